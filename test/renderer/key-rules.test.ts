import { describe, expect, it } from 'vitest';
import type { KeyDetails } from '../../contract/contract.ts';
import { cannotUse, errorInContext, preferredKey } from '../../renderer/src/features/sign/key-rules.ts';
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
