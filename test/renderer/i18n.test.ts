import { describe, expect, it } from 'vitest';
import { APP_ERRORS } from '../../contract/contract.ts';
import { PortalClient } from '../../main/portal-client.ts';
import { CORRECTIONAL_CATEGORIES } from '../../protocol/categories.ts';
import { ANY_ROUTE_REFUSALS, ROUTE_REFUSALS, type PortalRoute } from '../../protocol/refusals.ts';
import { dictionaries, interpolate, type Dictionary } from '../../renderer/src/i18n/index.ts';
import { plural, pluralCategories } from '../../renderer/src/i18n/plural.ts';

/** Every leaf as "a.b.c" → text. */
function flatten(node: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      for (const [path, leaf] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(path, leaf);
    }
  } else {
    out.set(prefix, node);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Plural entries have one text per plural category of their language, so their keys differ by language. */
const isPlural = (key: string) => key.startsWith('plurals.');
const kkKeys = new Map([...flatten(dictionaries.kk)].filter(([key]) => !isPlural(key)));

describe('dictionaries', () => {
  it('names every correctional category of the closed list, and no other', () => {
    expect(Object.keys(dictionaries.kk.categories).sort()).toEqual([...CORRECTIONAL_CATEGORIES].sort());
  });

  it('kk has over a hundred texts, all non-empty strings', () => {
    expect(kkKeys.size).toBeGreaterThan(100);
    for (const [key, text] of kkKeys) {
      expect(typeof text, key).toBe('string');
      expect((text as string).trim(), key).not.toBe('');
    }
  });

  for (const lang of ['ru', 'en'] as const) {
    it(`${lang} has exactly kk's keys, non-empty, with the same placeholders`, () => {
      const other = new Map([...flatten(dictionaries[lang])].filter(([key]) => !isPlural(key)));
      expect([...other.keys()].sort()).toEqual([...kkKeys.keys()].sort());
      for (const [key, text] of other) {
        expect(typeof text, key).toBe('string');
        expect((text as string).trim(), key).not.toBe('');
        expect(placeholders(text as string), key).toEqual(placeholders(kkKeys.get(key) as string));
      }
    });
  }

  it('uses the seed\'s Kazakh wording in the key dialog', () => {
    expect(dictionaries.kk.keyDialog.refresh).toBe('Кілттер тізімін жаңарту');
    expect(dictionaries.kk.keyDialog.sign).toBe('Қол қою');
    expect(dictionaries.kk.keyDialog.cancel).toBe('Болдырмау');
    expect(dictionaries.kk.keyDialog.password).toContain('құпиясөз');
    expect(dictionaries.ru.keyDialog.windowTitle).toBe('Формирование ЭЦП');
    expect(dictionaries.ru.keyDialog.authTitle).toBe('Аутентификация');
    expect(dictionaries.ru.keyDialog.refresh).toBe('Обновить список ключей');
  });
});

/** Every route PortalClient calls, as "METHOD /path" with the application id as :applicationId. */
async function routesPortalClientCalls(): Promise<string[]> {
  const seen: string[] = [];
  const fetchFn = (async (input: URL | string, init: RequestInit = {}) => {
    const path = new URL(String(input)).pathname
      .replace('/pmpk/commissions/4242', '/pmpk/commissions/:commissionId')
      .replace('/pmpk/bookings/4242', '/pmpk/bookings/:bookingId')
      .replace('/4242', '/:applicationId')
      .replace('/documents/%3Cx%2F%3E', '/documents/:documentId');
    seen.push(`${init.method ?? 'GET'} ${path}`);
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const portal = new PortalClient({ baseUrl: () => 'https://portal.test/', fetch: fetchFn });
  const internal = new Set(['constructor', 'request', 'send', 'refusal']);
  const calls = Object.getOwnPropertyNames(PortalClient.prototype).filter((name) => !internal.has(name));
  for (const name of calls) {
    const call = (portal as unknown as Record<string, (...args: string[]) => Promise<unknown>>)[name];
    // token, application id (or e-mail / signed XML), signed XML, idempotency key: each call takes a prefix.
    await call?.call(portal, 'token', '4242', '<x/>', 'idempotency-key').catch(() => undefined);
  }
  return seen;
}

/**
 * The codes the window can meet, derived from the two catalogues: the app's own (contract
 * APP_ERRORS) and, for every portal route main calls, what the API's catalogue says that route can
 * refuse with (protocol/refusals.ts). A 401 on a call made with the session token reaches the
 * renderer as SESSION_EXPIRED (portal-client.ts), so the session hook's UNAUTHENTICATED is not one.
 */
async function codesTheWindowCanMeet(): Promise<string[]> {
  const routes = [...new Set(await routesPortalClientCalls())];
  const unknown = routes.filter((r) => !Object.prototype.hasOwnProperty.call(ROUTE_REFUSALS, r));
  if (unknown.length) throw new Error(`PortalClient calls routes the refusal catalogue does not know: ${unknown.join(', ')}`);
  const portal = routes.flatMap((r) => ROUTE_REFUSALS[r as PortalRoute]).filter((c) => c !== 'UNAUTHENTICATED');
  return [...new Set([...Object.keys(APP_ERRORS), ...ANY_ROUTE_REFUSALS, ...portal])];
}
const windowCodes = await codesTheWindowCanMeet();

describe('error texts', () => {
  it('cover the referral journey and the login (the catalogues reach the routes main calls)', () => {
    for (const code of ['AUTH_CERT_REVOKED', 'PLACE_TAKEN', 'SIGN_WRONG_PURPOSE', 'XML_INVALID', 'RATE_LIMITED', 'WRONG_PASSWORD']) {
      expect(windowCodes).toContain(code);
    }
  });

  it.each(windowCodes)('%s has a title and what to do in every language', (code) => {
    for (const dict of Object.values(dictionaries) as Dictionary[]) {
      const text = (dict.errors as Record<string, { title: string; action: string } | undefined>)[code];
      expect(text?.title?.trim(), code).toBeTruthy();
      expect(text?.action?.trim(), code).toBeTruthy();
      expect(text?.title).not.toBe(text?.action);
    }
  });
});

describe('plural texts', () => {
  for (const lang of ['kk', 'ru', 'en'] as const) {
    it(`${lang}: every plural entry has exactly the language's categories, each with {count}`, () => {
      const categories = pluralCategories(lang).sort();
      expect(Object.keys(dictionaries[lang].plurals).sort()).toEqual(Object.keys(dictionaries.kk.plurals).sort());
      for (const [name, entry] of Object.entries(dictionaries[lang].plurals)) {
        expect(Object.keys(entry).sort(), name).toEqual(categories);
        for (const text of Object.values(entry)) expect(text, name).toContain('{count}');
      }
    });
  }

  it('follows Russian rules: 1 рабочий день, 2 рабочих дня, 5 рабочих дней, 21 рабочий день', () => {
    const left = dictionaries.ru.plurals.workingDaysLeft;
    expect(plural('ru', left, 1)).toBe('остался 1 рабочий день');
    expect(plural('ru', left, 2)).toBe('осталось 2 рабочих дня');
    expect(plural('ru', left, 5)).toBe('осталось 5 рабочих дней');
    expect(plural('ru', left, 21)).toBe('остался 21 рабочий день');
    expect(plural('ru', dictionaries.ru.plurals.withinWorkingDays, 3)).toBe('3 рабочих дней');
  });

  it('follows English and Kazakh rules', () => {
    expect(plural('en', dictionaries.en.plurals.workingDaysLeft, 1)).toBe('1 working day left');
    expect(plural('en', dictionaries.en.plurals.workingDaysLeft, 3)).toBe('3 working days left');
    expect(plural('kk', dictionaries.kk.plurals.workingDaysLeft, 3)).toBe('3 жұмыс күні қалды');
  });
});

describe('interpolate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('Қош келдіңіз, {name}!', { name: 'ТЕСТОВ ТЕСТ' })).toBe('Қош келдіңіз, ТЕСТОВ ТЕСТ!');
    expect(interpolate('{count} / {total}', { count: 3 })).toBe('3 / {total}');
  });

  it('does not treat replacement patterns in values specially', () => {
    expect(interpolate('{name}', { name: '$& $1' })).toBe('$& $1');
  });
});

// #10: the navigation shows short labels and names each section in full (label in name, WCAG 2.5.3).
describe('the short navigation labels', () => {
  it.each(['kk', 'ru', 'en'] as const)('are each part of their section’s full name in %s', (language) => {
    const t = dictionaries[language];
    const full = { home: t.nav.home, feed: t.sections.feed, journal: t.nav.journal, pmpk: t.nav.pmpk, referrals: t.sections.referrals, settings: t.sections.settings };
    for (const [section, short] of Object.entries(t.navShort)) {
      expect(full[section as keyof typeof full].toLocaleLowerCase(language), section).toContain(short.toLocaleLowerCase(language));
    }
  });
});
