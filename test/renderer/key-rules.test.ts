import { describe, expect, it } from 'vitest';
import type { KeyDetails } from '../../contract/contract.ts';
import { describeError } from '../../renderer/src/errors.ts';
import { dictionaries } from '../../renderer/src/i18n/index.ts';
import { cannotUse, errorInContext, keyId, preferredKey } from '../../renderer/src/features/sign/key-rules.ts';
import { failurePlace } from '../../renderer/src/features/vacancies/referral-flow.ts';

const key = (over: Partial<KeyDetails>): KeyDetails => ({
  ref: { kind: 'file', path: '/k/AUTH_RSA256_x.p12', index: 0 },
  storage: { kind: 'file', path: '/k/AUTH_RSA256_x.p12' },
  commonName: 'ТЕСТОВ ТЕСТ',
  role: 'individual',
  purposes: ['AUTH'],
  serialNumber: '01',
  issuer: 'CA',
  subject: 'CN=ТЕСТОВ ТЕСТ',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2027-01-01T00:00:00Z',
  status: 'valid',
  algorithm: 'RSA',
  fingerprintSha256: 'AA',
  ...over,
});

describe('which keys can do the action', () => {
  it('says why a key cannot: purpose (login or signing), expired, not yet valid, revoked', () => {
    expect(cannotUse(key({ purposes: ['SIGN'] }), 'AUTH', 'good')).toBe('cannotLogin');
    expect(cannotUse(key({ purposes: ['AUTH'] }), 'SIGN', 'good')).toBe('cannotSign');
    expect(cannotUse(key({ status: 'expired' }), 'AUTH', 'unknown')).toBe('cannotExpired');
    expect(cannotUse(key({ status: 'not_yet_valid' }), 'AUTH', 'unknown')).toBe('cannotNotYetValid');
    expect(cannotUse(key({}), 'AUTH', 'revoked')).toBe('cannotRevoked');
  });

  it('a web site that accepts any key (NCALayer, no key type): either purpose, still not an expired one', () => {
    expect(cannotUse(key({ purposes: ['SIGN'] }), 'ANY', 'good')).toBeNull();
    expect(cannotUse(key({ purposes: ['AUTH'] }), 'ANY', 'good')).toBeNull();
    expect(cannotUse(key({ status: 'expired' }), 'ANY', 'good')).toBe('cannotExpired');
  });

  it('does not block while revocation is being checked or could not be', () => {
    for (const state of ['checking', 'unknown', 'untrusted', 'good'] as const) expect(cannotUse(key({}), 'AUTH', state)).toBeNull();
  });

  it('preselects the first key that can do the action', () => {
    const sign = key({ ref: { kind: 'file', path: '/k/RSA256_x.p12', index: 0 }, purposes: ['SIGN'] });
    const auth = key({});
    expect(preferredKey([auth, sign], 'SIGN')).toBe(sign);
    expect(preferredKey([sign], 'AUTH')).toBe(sign);
  });

  it('shows a wrong-purpose refusal in the words of the action', () => {
    expect(errorInContext({ code: 'WRONG_PURPOSE', details: { expected: 'AUTH' } }, 'AUTH').code).toBe('AUTH_WRONG_PURPOSE');
    expect(errorInContext({ code: 'WRONG_PURPOSE' }, 'SIGN').code).toBe('SIGN_WRONG_PURPOSE');
    expect(errorInContext({ code: 'WRONG_PASSWORD' }, 'AUTH').code).toBe('WRONG_PASSWORD');
    // The removable-media fence's refusals are told apart from a network path's.
    expect(errorInContext({ code: 'KEY_PATH_REFUSED', details: { reason: 'not-removable' } }, 'AUTH').code).toBe('KEY_NOT_ON_REMOVABLE_MEDIA');
    expect(errorInContext({ code: 'KEY_PATH_REFUSED', details: { reason: 'no-removable-media' } }, 'SIGN').code).toBe('NO_REMOVABLE_MEDIA');
    expect(errorInContext({ code: 'KEY_PATH_REFUSED', details: { reason: 'network' } }, 'AUTH').code).toBe('KEY_PATH_REFUSED');
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const titles = ['KEY_PATH_REFUSED', 'KEY_NOT_ON_REMOVABLE_MEDIA', 'NO_REMOVABLE_MEDIA'].map((code) => describeError({ code }, dictionaries[lang]).title);
      expect(new Set(titles).size, lang).toBe(3);
      expect(titles, lang).not.toContain(dictionaries[lang].errors.UNKNOWN.title);
    }
  });

  it('tells PIN errors apart: incorrect (with the tries the token reports), locked, removed, failed; never a failure as a wrong PIN', () => {
    const shown = (error: { code: string; details?: Record<string, string> }) => {
      const code = errorInContext(error, 'SIGN').code;
      return [code, describeError({ code }, dictionaries.en).title];
    };
    expect(shown({ code: 'PIN_INCORRECT' })).toEqual(['PIN_INCORRECT', 'Incorrect PIN']);
    expect(shown({ code: 'PIN_INCORRECT', details: { pinTries: 'low' } })).toEqual(['PIN_INCORRECT_LOW', 'Incorrect PIN: few tries are left']);
    expect(shown({ code: 'PIN_INCORRECT', details: { pinTries: 'final' } })).toEqual(['PIN_INCORRECT_FINAL', 'Incorrect PIN: one try is left']);
    expect(shown({ code: 'PIN_LOCKED' })).toEqual(['PIN_LOCKED', "The token's PIN is locked"]);
    expect(shown({ code: 'TOKEN_REMOVED' })).toEqual(['TOKEN_REMOVED', 'The token was removed']);
    expect(shown({ code: 'TOKEN_FAILURE', details: { pinTries: 'final' } })[0]).toBe('TOKEN_FAILURE');
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const titles = ['PIN_INCORRECT', 'PIN_INCORRECT_LOW', 'PIN_INCORRECT_FINAL', 'PIN_LOCKED', 'PIN_EXPIRED', 'TOKEN_REMOVED', 'TOKEN_FAILURE'].map(
        (code) => describeError({ code }, dictionaries[lang]).title,
      );
      // Each its own text in every language (none falls back to the generic one).
      expect(new Set(titles).size, lang).toBe(titles.length);
      expect(titles, lang).not.toContain(dictionaries[lang].errors.UNKNOWN.title);
    }
    expect(failurePlace('PIN_INCORRECT')).toBe('dialog');
    expect(failurePlace('TOKEN_REMOVED')).toBe('dialog');
  });
});

describe('keys on tokens', () => {
  const tokenKey = (id: string, over: Partial<KeyDetails> = {}) =>
    key({
      ref: { kind: 'token', module: '/usr/lib/m.so', slot: '01', token: 'a'.repeat(32), id, certificate: 'AB'.repeat(32) },
      storage: { kind: 'token', label: 'PERSONAL', manufacturer: 'M', model: 'T', serial: '1' },
      ...over,
    });

  it('refuses a GOST key (or any not RSA) plainly, before purpose and validity', () => {
    expect(cannotUse(tokenKey('01', { algorithm: 'GOST', problem: { code: 'GOST_NOT_SUPPORTED' } }), 'AUTH', 'good')).toBe('cannotGost');
    expect(cannotUse(tokenKey('01', { algorithm: 'EC', problem: { code: 'UNSUPPORTED_ALGORITHM' } }), 'AUTH', 'good')).toBe('cannotAlgorithm');
    expect(cannotUse(tokenKey('01'), 'AUTH', 'good')).toBeNull();
  });

  it('tells keys apart by token and CKA_ID, and from a file key', () => {
    const ids = new Set([keyId(tokenKey('01')), keyId(tokenKey('02')), keyId(key({}))]);
    expect(ids.size).toBe(3);
  });
});

describe('where a failure of sign and send is shown', () => {
  it('key problems in the dialog, a lost answer as send-again, the rest on the list', () => {
    expect(failurePlace('WRONG_PASSWORD')).toBe('dialog');
    expect(failurePlace('SIGN_CERT_REVOKED')).toBe('dialog');
    expect(failurePlace('PORTAL_UNREACHABLE')).toBe('lost');
    expect(failurePlace('SUBMISSION_IN_PROGRESS')).toBe('lost');
    expect(failurePlace('PLACE_TAKEN')).toBe('screen');
    expect(failurePlace('OFFER_NOT_ACTIVE')).toBe('screen');
  });
});
