import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../contract/contract.ts';
import { SIGNING_PASS_THROUGH_CODES } from '../../main/errors.ts';
import { PortalClient } from '../../main/portal-client.ts';
import { notFound } from '../../portal/api/applicant-views.ts';
import { SignedDocumentError } from '../../protocol/signed-documents.ts';
import { APPLICANT_LOGIN_REFUSALS } from '../../portal/auth/certificate-login.ts';
import { REFERRAL_SUBMISSION_REFUSALS } from '../../portal/documents/referral-submission.ts';
import { CREATE_REFERRAL_REFUSALS } from '../../portal/queue/errors.ts';
import { SERVER_ERROR_CODES } from '../../portal/server/errors.ts';
import { FORMAT_REFUSAL_CODE } from '../../portal/server/format-refusal.ts';
import { dictionaries, interpolate, type Dictionary } from '../../renderer/src/i18n/index.ts';

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

const kkKeys = flatten(dictionaries.kk);

describe('dictionaries', () => {
  it('kk has over a hundred texts, all non-empty strings', () => {
    expect(kkKeys.size).toBeGreaterThan(100);
    for (const [key, text] of kkKeys) {
      expect(typeof text, key).toBe('string');
      expect((text as string).trim(), key).not.toBe('');
    }
  });

  for (const lang of ['ru', 'en'] as const) {
    it(`${lang} has exactly kk's keys, non-empty, with the same placeholders`, () => {
      const other = flatten(dictionaries[lang]);
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

/**
 * What each portal route main calls can refuse with, beyond SERVER_ERROR_CODES (which any route
 * can answer): composed from the portal's own code lists, never copied. A 401 on a call made with
 * the session token reaches the renderer as SESSION_EXPIRED (portal-client.ts), so the session
 * hook's UNAUTHENTICATED is not listed. Staff routes and the routes main does not call are left out.
 */
const APPLICATION_NOT_FOUND = notFound().code;
const SIGNED_DOCUMENT_REFUSALS = [FORMAT_REFUSAL_CODE, new SignedDocumentError('').code];
const ROUTE_REFUSALS: Record<string, readonly string[]> = {
  'POST /api/auth/challenge': [],
  'POST /api/auth/login': [...APPLICANT_LOGIN_REFUSALS, ...SIGNED_DOCUMENT_REFUSALS],
  'POST /api/auth/logout': [],
  'GET /api/me': [],
  'PUT /api/me/email': [],
  'GET /api/applications': [],
  'GET /api/feed': [],
  'GET /api/applications/:applicationId': [APPLICATION_NOT_FOUND],
  'GET /api/applications/:applicationId/vacancies': [APPLICATION_NOT_FOUND],
  'POST /api/applications/:applicationId/referral': [
    ...REFERRAL_SUBMISSION_REFUSALS,
    ...SIGNED_DOCUMENT_REFUSALS,
    APPLICATION_NOT_FOUND,
    ...CREATE_REFERRAL_REFUSALS,
  ],
};

/** Every route PortalClient calls, as "METHOD /path" with the application id as :applicationId. */
async function routesPortalClientCalls(): Promise<string[]> {
  const seen: string[] = [];
  const fetchFn = (async (input: URL | string, init: RequestInit = {}) => {
    seen.push(`${init.method ?? 'GET'} ${new URL(String(input)).pathname.replace('/4242', '/:applicationId')}`);
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const portal = new PortalClient({ baseUrl: () => 'https://portal.test/', fetch: fetchFn });
  const calls = Object.getOwnPropertyNames(PortalClient.prototype).filter((name) => name !== 'constructor' && name !== 'request');
  for (const name of calls) {
    const call = (portal as unknown as Record<string, (...args: string[]) => Promise<unknown>>)[name];
    // token, application id (or e-mail / signed XML), signed XML, idempotency key: each call takes a prefix.
    await call?.call(portal, 'token', '4242', '<x/>', 'idempotency-key').catch(() => undefined);
  }
  return seen;
}

describe('error texts', () => {
  const mainCodes = [...ErrorCode.options, ...SIGNING_PASS_THROUGH_CODES];
  const portalCodes = [...new Set([...SERVER_ERROR_CODES, ...Object.values(ROUTE_REFUSALS).flat()])];

  it('knows the refusals of every portal route main calls', async () => {
    expect([...new Set(await routesPortalClientCalls())].sort()).toEqual(Object.keys(ROUTE_REFUSALS).sort());
  });

  it.each([...new Set([...mainCodes, ...portalCodes])])('%s has a title and what to do in every language', (code) => {
    for (const dict of Object.values(dictionaries) as Dictionary[]) {
      const text = (dict.errors as Record<string, { title: string; action: string } | undefined>)[code];
      expect(text?.title?.trim(), code).toBeTruthy();
      expect(text?.action?.trim(), code).toBeTruthy();
      expect(text?.title).not.toBe(text?.action);
    }
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
