import { describe, expect, it } from 'vitest';
import { describeError, isSessionLapse } from '../../renderer/src/errors.ts';
import { dictionaries } from '../../renderer/src/i18n/index.ts';
import { isValidEmail } from '../../renderer/src/validation.ts';

describe('describeError', () => {
  it('translates a known code in the chosen language', () => {
    expect(describeError({ code: 'WRONG_PASSWORD' }, dictionaries.ru)).toEqual({
      code: 'WRONG_PASSWORD',
      title: 'Неверный пароль',
      action: dictionaries.ru.errors.WRONG_PASSWORD.action,
    });
    expect(describeError({ code: 'AUTH_CERT_REVOKED' }, dictionaries.kk).title).toBe('Сертификат кері қайтарылған');
  });

  it('gives unknown codes the generic text but keeps the code for support', () => {
    const shown = describeError({ code: 'SOMETHING_NEW' }, dictionaries.en);
    expect(shown.code).toBe('SOMETHING_NEW');
    expect(shown.title).toBe(dictionaries.en.errors.UNKNOWN.title);
  });

  it('never looks up inherited object properties as codes', () => {
    expect(describeError({ code: 'constructor' }, dictionaries.en).title).toBe(dictionaries.en.errors.UNKNOWN.title);
    expect(describeError({ code: 'UNKNOWN' }, dictionaries.en).code).toBe('UNKNOWN');
  });
});

describe('isSessionLapse', () => {
  it('is true only for the session codes', () => {
    expect(isSessionLapse('SESSION_EXPIRED')).toBe(true);
    expect(isSessionLapse('NOT_LOGGED_IN')).toBe(true);
    expect(isSessionLapse('AUTH_CHALLENGE_EXPIRED')).toBe(false);
    expect(isSessionLapse('WRONG_PASSWORD')).toBe(false);
  });
});

describe('isValidEmail', () => {
  it('accepts ordinary addresses and refuses malformed ones', () => {
    expect(isValidEmail('aigerim@mail.kz')).toBe(true);
    expect(isValidEmail('a.b+c@example.org')).toBe(true);
    expect(isValidEmail('aigerim@')).toBe(false);
    expect(isValidEmail('aigerim mail.kz')).toBe(false);
    expect(isValidEmail('')).toBe(false);
    expect(isValidEmail(`${'a'.repeat(250)}@x.kz`)).toBe(false);
  });
});
