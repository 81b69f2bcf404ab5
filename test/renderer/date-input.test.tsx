/**
 * The app's date field (renderer/src/shared/date-input.ts, DateField.tsx): dd.MM.yyyy in every
 * language, read into ISO; malformed and impossible dates told apart; guided typing that adds the
 * dots and never undoes a Backspace; the field labelled and described by its format.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../contract/contract.ts';
import { DateField } from '../../renderer/src/shared/DateField.tsx';
import { guideDateTyping, isoToDisplay, parseDisplayDate } from '../../renderer/src/shared/date-input.ts';
import { I18nContext } from '../../renderer/src/i18n/context.tsx';
import { dictionaries } from '../../renderer/src/i18n/index.ts';

describe('parseDisplayDate', () => {
  it('reads dd.MM.yyyy into ISO', () => {
    expect(parseDisplayDate('31.12.2027')).toEqual({ ok: true, iso: '2027-12-31' });
    expect(parseDisplayDate('01.01.2000')).toEqual({ ok: true, iso: '2000-01-01' });
    expect(parseDisplayDate(' 05.06.2031 ')).toEqual({ ok: true, iso: '2031-06-05' });
  });

  it('takes 29 February only in a leap year (every 4th, not every 100th, every 400th)', () => {
    expect(parseDisplayDate('29.02.2028')).toEqual({ ok: true, iso: '2028-02-29' });
    expect(parseDisplayDate('29.02.2000')).toEqual({ ok: true, iso: '2000-02-29' });
    expect(parseDisplayDate('29.02.2027')).toEqual({ ok: false, problem: 'impossible' });
    expect(parseDisplayDate('29.02.2100')).toEqual({ ok: false, problem: 'impossible' });
    expect(parseDisplayDate('28.02.2027')).toEqual({ ok: true, iso: '2027-02-28' });
  });

  it('refuses a day no calendar has as impossible', () => {
    for (const text of ['31.04.2027', '31.06.2027', '31.09.2027', '31.11.2027', '32.01.2027', '00.01.2027', '15.00.2027', '15.13.2027', '01.01.0000'])
      expect(parseDisplayDate(text), text).toEqual({ ok: false, problem: 'impossible' });
    expect(parseDisplayDate('30.04.2027')).toEqual({ ok: true, iso: '2027-04-30' });
    expect(parseDisplayDate('31.05.2027')).toEqual({ ok: true, iso: '2027-05-31' });
  });

  it('refuses anything but dd.MM.yyyy as a format problem: a two-digit year is not guessed', () => {
    for (const text of ['31.12.27', '1.1.2027', '2027-12-31', '12/31/2027', '31122027', '31.12.20277', '31-12-2027', 'aa.bb.cccc', '', '31.12.'])
      expect(parseDisplayDate(text), text).toEqual({ ok: false, problem: 'format' });
  });

  it('shows an ISO date as dd.MM.yyyy', () => {
    expect(isoToDisplay('2027-04-30')).toBe('30.04.2027');
    expect(isoToDisplay('not a date')).toBe('not a date');
  });
});

describe('guideDateTyping', () => {
  /** Types `keys` one by one as a person would, each step through the guide. */
  const type = (keys: string, from = '') => [...keys].reduce((shown, key) => guideDateTyping(shown + key, false), from);

  it('adds the dots by itself while digits are typed', () => {
    expect(type('3')).toBe('3');
    expect(type('31')).toBe('31.');
    expect(type('3112')).toBe('31.12.');
    expect(type('31122027')).toBe('31.12.2027');
    expect(type('311220279')).toBe('31.12.2027');
  });

  it('takes the dots when typed too, without doubling them, and pads a one-digit day or month', () => {
    expect(type('31.12.2027')).toBe('31.12.2027');
    expect(type('1.')).toBe('01.');
    expect(type('1.4.2027')).toBe('01.04.2027');
    expect(type('..')).toBe('');
  });

  it('keeps only digits and dots', () => {
    expect(guideDateTyping('3a1/1b2-2027', false)).toBe('31.12.2027');
  });

  it('never adds back a dot the person deleted', () => {
    expect(guideDateTyping('31', true)).toBe('31');
    expect(guideDateTyping('31.1', true)).toBe('31.1');
    expect(guideDateTyping('31.12', true)).toBe('31.12');
  });

  it('shows a pasted ISO date as dd.MM.yyyy', () => {
    expect(guideDateTyping('2027-12-31', false)).toBe('31.12.2027');
  });

  it('turns a whole typed date into what parseDisplayDate reads', () => {
    expect(parseDisplayDate(type('29022028'))).toEqual({ ok: true, iso: '2028-02-29' });
  });
});

describe('DateField', () => {
  const render = (language: Language, props: Partial<Parameters<typeof DateField>[0]> = {}) =>
    renderToStaticMarkup(
      createElement(
        I18nContext.Provider,
        { value: { language, t: dictionaries[language], setLanguage: null } },
        createElement(DateField, { id: 'd', label: 'Last day', value: '', onChange: () => undefined, ...props }),
      ),
    );

  it('is a text input labelled, described by its format, never a native date input', () => {
    for (const language of ['kk', 'ru', 'en'] as const) {
      const html = render(language);
      expect(html).not.toContain('type="date"');
      expect(html).toContain('<label class="field-label" for="d">Last day</label>');
      expect(html).toContain('aria-describedby="d-hint"');
      expect(html).toContain(`id="d-hint" class="field-hint">${dictionaries[language].dateField.format}`);
      expect(html).not.toContain('aria-invalid');
    }
  });

  it('names an impossible or malformed date, in the UI language, once the form is sent', () => {
    expect(render('ru', { value: '31.04.2027' })).not.toContain('role="alert"');
    const impossible = render('ru', { value: '31.04.2027', check: true });
    expect(impossible).toContain(dictionaries.ru.dateField.impossible);
    expect(impossible).toContain('aria-invalid="true"');
    expect(impossible).toContain('aria-describedby="d-hint d-error"');
    expect(render('en', { value: '31.04.27', check: true })).toContain(dictionaries.en.dateField.formatProblem);
    expect(render('kk', { value: '30.04.2027', check: true })).not.toContain('role="alert"');
    expect(render('kk', { value: '', check: true, error: 'none given' })).toContain('none given');
  });
});
