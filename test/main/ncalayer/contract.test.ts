/**
 * The NCALayer service's contract shapes (contract/contract.ts): the window's answer and the
 * "a site asks to sign" event are strict, bounded, and refuse what does not fit.
 */
import { describe, expect, it } from 'vitest';
import { contract, parseAppEvent } from '../../../contract/contract.ts';

const ID = '3b2f1c9e-8f1a-4c2d-9e3b-7a6d5c4b3a21';
const ref = { kind: 'file', path: '/home/a/keys/RSA256_x.p12', index: 0 };
const answer = contract['ncalayer.answer'].input;
const request = {
  requestId: ID,
  origin: 'https://egov.kz',
  originStanding: 'unknown',
  action: 'sign',
  format: 'xml',
  documents: [{ kind: 'xml', bytes: 10, sha256: 'A'.repeat(64), lines: [{ path: 'a/b', text: 'x' }], complete: true }],
  key: { purpose: 'SIGN' },
  timestampRequested: false,
};

describe('the NCALayer contract', () => {
  it('takes an answer with a uuid and a key reference, cancel or refuse', () => {
    expect(answer.safeParse({ requestId: ID, answer: { outcome: 'confirmed', ref, secret: 'p', rememberOrigin: false } }).success).toBe(true);
    expect(answer.safeParse({ requestId: ID, answer: { outcome: 'cancelled' } }).success).toBe(true);
    expect(answer.safeParse({ requestId: ID, answer: { outcome: 'refused' } }).success).toBe(true);
  });

  it.each([
    ['a request id that is not a uuid', { requestId: '1', answer: { outcome: 'cancelled' } }],
    ['an unknown outcome', { requestId: ID, answer: { outcome: 'maybe' } }],
    ['a confirmation without a key', { requestId: ID, answer: { outcome: 'confirmed', secret: 'p', rememberOrigin: false } }],
    ['an extra field', { requestId: ID, answer: { outcome: 'cancelled', origin: 'https://evil.example' } }],
    ['a key path with a NUL byte', { requestId: ID, answer: { outcome: 'confirmed', ref: { ...ref, path: '\0' }, secret: 'p', rememberOrigin: false } }],
    ['an overlong secret', { requestId: ID, answer: { outcome: 'confirmed', ref, secret: 'p'.repeat(257), rememberOrigin: false } }],
  ])('refuses %s', (_why, input) => {
    expect(answer.safeParse(input).success).toBe(false);
  });

  it('passes a site request event to the window and drops one with a bad origin, hash or too many lines', () => {
    expect(parseAppEvent({ name: 'ncalayer.request', payload: request })).not.toBeNull();
    expect(parseAppEvent({ name: 'ncalayer.request', payload: { ...request, origin: 'http://egov.kz' } })).toBeNull();
    expect(parseAppEvent({ name: 'ncalayer.request', payload: { ...request, origin: 'https://egov.kz/path' } })).toBeNull();
    const badHash = { ...request, documents: [{ kind: 'hash', sha256: 'zz' }] };
    expect(parseAppEvent({ name: 'ncalayer.request', payload: badHash })).toBeNull();
    const many = { ...request, documents: [{ ...request.documents[0], lines: Array.from({ length: 501 }, () => ({ path: 'a', text: 'b' })) }] };
    expect(parseAppEvent({ name: 'ncalayer.request', payload: many })).toBeNull();
    expect(parseAppEvent({ name: 'ncalayer.requestClosed', payload: { requestId: ID } })).not.toBeNull();
  });
});
