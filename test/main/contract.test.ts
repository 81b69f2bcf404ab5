import { describe, expect, it, vi } from 'vitest';
import { apiFromCall, callNames, contract, ResultSchema } from '../../contract/contract.ts';
import { createDispatch, type DispatchLogger } from '../../main/dispatch.ts';
import type { Handlers } from '../../main/handlers/index.ts';
import { fakeContext } from './helpers/fake-context.ts';

function quietLog(): DispatchLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (f, m) => lines.push(m + JSON.stringify(f)), error: (f, m) => lines.push(m + JSON.stringify(f)) };
}

const TOKEN_REF = { kind: 'token', module: '/usr/lib/m.so', slot: '01', token: 'a'.repeat(32), id: '01', certificate: 'AB'.repeat(32) };

describe('key references (auth.login, referral.signAndSubmit)', () => {
  const FILE_REF = { kind: 'file', path: '/keys/AUTH.p12', index: 0, certificate: 'AB'.repeat(32) };
  const bad: [string, unknown][] = [
    ['an unknown kind', { ...TOKEN_REF, kind: 'cloud' }],
    ['a file reference with token fields', { ...FILE_REF, module: '/usr/lib/m.so' }],
    ['a token reference without its certificate', { ...TOKEN_REF, certificate: undefined }],
    ['a lower-case or short fingerprint', { ...TOKEN_REF, certificate: 'ab'.repeat(32) }],
    ['a token fingerprint of another length', { ...TOKEN_REF, token: 'a'.repeat(64) }],
    ['an odd-length CKA_ID', { ...TOKEN_REF, id: '012' }],
    ['a CKA_ID that is not hex', { ...TOKEN_REF, id: 'zz' }],
    ['a slot that is not hex', { ...TOKEN_REF, slot: '-1' }],
    ['a module path with a NUL', { ...TOKEN_REF, module: '/usr/lib/m.so\0x' }],
    ['a huge module path', { ...TOKEN_REF, module: `/${'a'.repeat(5000)}` }],
    ['a negative index', { ...FILE_REF, index: -1 }],
    ['the old file/keyIndex form', { file: '/keys/AUTH.p12', keyIndex: 0 }],
  ];

  it.each(bad)('auth.login: %s → INVALID_INPUT, handler not reached', async (_label, ref) => {
    const login = vi.fn();
    const dispatch = createDispatch(fakeContext(), { handlers: { 'auth.login': login } as unknown as Handlers, log: quietLog() });
    expect(await dispatch('auth.login', { ref, secret: '123456' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(login).not.toHaveBeenCalled();
  });

  it('takes a file reference (with or without its fingerprint) and a token reference, for login and for signing', async () => {
    const seen: unknown[] = [];
    const handlers = {
      'auth.login': async (input: unknown) => (seen.push(input), { user: { commonName: 'A', iin: '900101300015', needsEmail: false } }),
      'referral.signAndSubmit': async (input: unknown) => (seen.push(input), Promise.reject(new Error('stop'))),
    } as unknown as Handlers;
    const dispatch = createDispatch(fakeContext(), { handlers, log: quietLog() });
    const { certificate: _omitted, ...withoutFingerprint } = FILE_REF;
    for (const ref of [FILE_REF, withoutFingerprint, TOKEN_REF]) {
      expect(await dispatch('auth.login', { ref, secret: 'x' })).toMatchObject({ ok: true });
    }
    await dispatch('referral.signAndSubmit', { applicationId: 'a1', offerId: 'o1', ref: TOKEN_REF, secret: '123456' });
    expect(seen).toEqual([
      { ref: FILE_REF, secret: 'x' },
      { ref: withoutFingerprint, secret: 'x' },
      { ref: TOKEN_REF, secret: 'x' },
      { applicationId: 'a1', offerId: 'o1', ref: TOKEN_REF, secret: '123456' },
    ]);
  });

  it('a token summary and the tokens.changed and token-removed events are checked like every output', async () => {
    const { parseAppEvent } = await import('../../contract/contract.ts');
    expect(parseAppEvent({ name: 'tokens.changed', payload: {} })).toEqual({ name: 'tokens.changed', payload: {} });
    expect(parseAppEvent({ name: 'tokens.changed', payload: { module: '/evil.so' } })).toBeNull();
    expect(parseAppEvent({ name: 'session.ended', payload: { reason: 'token-removed' } })).not.toBeNull();
    const output = contract['keys.tokens'].output;
    const summary = { module: '/usr/lib/m.so', slot: '01', label: 'PERSONAL', manufacturer: 'M', model: 'T', serial: '1', pinLocked: false, keys: [] };
    expect(output.safeParse({ tokens: [summary], problems: [] }).success).toBe(true);
    expect(output.safeParse({ tokens: [{ ...summary, pinTries: 3 }], problems: [] }).success).toBe(false);
    expect(output.safeParse({ tokens: [{ ...summary, label: 'L'.repeat(65) }], problems: [] }).success).toBe(false);
    expect(output.safeParse({ tokens: [{ ...summary, pin: '123456' }], problems: [] }).success).toBe(false);
  });
});

describe('the contract refuses hostile renderer input', () => {
  const hostile: [string, unknown][] = [
    ['wrong types', { path: 42, password: 'x' }],
    ['missing field', { path: '/k.p12' }],
    ['extra keys', { path: '/k.p12', password: 'x', exec: 'rm -rf /' }],
    ['huge path', { path: 'a'.repeat(5000), password: 'x' }],
    ['huge password', { path: '/k.p12', password: 'p'.repeat(257) }],
    ['NUL in path', { path: '/k.p12\0.txt', password: 'x' }],
    ['prototype pollution', JSON.parse('{"path":"/k.p12","password":"x","__proto__":{"polluted":true}}')],
    ['constructor key', JSON.parse('{"path":"/k.p12","password":"x","constructor":{"prototype":{"p":1}}}')],
    ['an array', ['/k.p12', 'x']],
    ['a string', '/k.p12'],
    ['null', null],
  ];

  it.each(hostile)('keys.list: %s → INVALID_INPUT, handler not reached', async (_label, input) => {
    const list = vi.fn();
    const dispatch = createDispatch(fakeContext(), { handlers: { 'keys.list': list } as unknown as Handlers, log: quietLog() });
    const result = await dispatch('keys.list', input);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(list).not.toHaveBeenCalled();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['__proto__'],
    ['constructor'],
    ['toString'],
    ['keys.list '],
    ['KEYS.LIST'],
    [''],
    [42],
    [null],
    ['a'.repeat(100_000)],
  ])('unknown call name %# → UNKNOWN_CALL', async (name) => {
    const dispatch = createDispatch(fakeContext(), { log: quietLog() });
    expect(await dispatch(name, {})).toEqual({ ok: false, error: { code: 'UNKNOWN_CALL' } });
  });

  it('refuses bad settings updates and a bad e-mail', async () => {
    const dispatch = createDispatch(fakeContext(), { log: quietLog() });
    for (const input of [
      { language: 'de' },
      { portalUrl: 'javascript:alert(1)' },
      { portalUrl: 'https://user:pw@portal.kz' },
      { trustStore: 'anything' },
      { locked: [] },
      // The window cannot move the portal session or widen the trust store, even to valid values.
      { portalUrl: 'https://other-portal.kz' },
      { trustStore: 'production+nca-test' },
    ]) {
      expect(await dispatch('settings.update', input)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(await dispatch('auth.setEmail', { email: 'not an email' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch('auth.login', { ref: { kind: 'file', path: '/k', index: -1 }, secret: '' })).toMatchObject({ ok: false });
    expect(await dispatch('auth.login', { ref: { kind: 'file', path: '/k', index: 1.5 }, secret: '' })).toMatchObject({ ok: false });
  });

  it('reports which fields were wrong, never the values', async () => {
    const dispatch = createDispatch(fakeContext(), { log: quietLog() });
    const result = await dispatch('keys.list', { path: '/k', password: 's3cret'.repeat(50) });
    expect(result).toEqual({ ok: false, error: { code: 'INVALID_INPUT', details: { fields: 'password' } } });
    expect(JSON.stringify(result)).not.toContain('s3cret');
  });

  it('every call has strict object input (or none) and a result schema that accepts its errors', () => {
    for (const name of callNames) {
      expect(contract[name].input.safeParse({ unexpected: 1 }).success).toBe(false);
      const schema = ResultSchema(contract[name].output);
      expect(schema.safeParse({ ok: false, error: { code: 'AUTH_CERT_REVOKED' } }).success).toBe(true);
      expect(schema.safeParse({ ok: false, error: { code: 'x', stack: 'at ...' } }).success).toBe(false);
    }
  });

  it('apiFromCall exposes exactly the contract calls, frozen', async () => {
    const call = vi.fn(async () => ({ ok: true as const, value: null }));
    const api = apiFromCall(call as never);
    expect(Object.keys(api).sort()).toEqual([...callNames].sort());
    expect(Object.isFrozen(api)).toBe(true);
    await api['auth.session']({});
    expect(call).toHaveBeenCalledWith('auth.session', {});
  });
});

describe('dispatch', () => {
  it('runs a valid call and returns its validated output', async () => {
    const dispatch = createDispatch(fakeContext());
    const result = await dispatch('app.info', undefined);
    expect(result).toEqual({
      ok: true,
      value: {
        version: '0.1.0-test',
        mode: 'browser',
        portalUrl: 'https://portal.test',
        demo: false,
        policy: { kiosk: false, languages: ['kk', 'ru', 'en'], idleTimeoutSeconds: null, keySources: ['file', 'token'], loginMethods: ['certificate', 'password'], settingsHidden: false },
      },
    });
  });

  it('maps signing errors to contract codes', async () => {
    const ctx = fakeContext();
    const signingError = (code: string) => Object.assign(new Error('boom'), { name: 'SigningError', code });
    const cases: [string, string][] = [
      ['WRONG_PASSWORD', 'WRONG_PASSWORD'],
      ['CERTIFICATE_EXPIRED', 'CERT_EXPIRED'],
      ['CERTIFICATE_WRONG_PURPOSE', 'WRONG_PURPOSE'],
      ['XML_MALFORMED', 'INTERNAL_ERROR'],
      ['PIN_LOCKED', 'PIN_LOCKED'],
      ['TOKEN_REMOVED', 'TOKEN_REMOVED'],
      ['TOKEN_FAILURE', 'TOKEN_FAILURE'],
    ];
    for (const [thrown, expected] of cases) {
      const handlers = { 'keys.list': async () => Promise.reject(signingError(thrown)) } as unknown as Handlers;
      const dispatch = createDispatch(ctx, { handlers, log: quietLog() });
      expect(await dispatch('keys.list', { path: '/k', password: 'x' })).toEqual({ ok: false, error: { code: expected } });
    }
  });

  it('passes a wrong PIN on with the tries the token reports, and nothing else of the error', async () => {
    const wrongPin = Object.assign(new Error('The PIN is incorrect.'), { name: 'SigningError', code: 'PIN_INCORRECT', detail: { pinTries: 'final' } });
    const odd = Object.assign(new Error('x'), { name: 'SigningError', code: 'PIN_INCORRECT', detail: { pinTries: '3; rm -rf' } });
    for (const [thrown, error] of [
      [wrongPin, { code: 'PIN_INCORRECT', details: { pinTries: 'final' } }],
      [odd, { code: 'PIN_INCORRECT' }],
    ] as const) {
      const handlers = { 'auth.login': async () => Promise.reject(thrown) } as unknown as Handlers;
      const dispatch = createDispatch(fakeContext(), { handlers, log: quietLog() });
      expect(await dispatch('auth.login', { ref: TOKEN_REF, secret: '0000' })).toEqual({ ok: false, error });
    }
  });

  it('turns an unexpected exception into INTERNAL_ERROR, logs it without the input', async () => {
    const log = quietLog();
    const handlers = {
      'keys.list': async () => {
        throw new TypeError('cannot read x of undefined');
      },
    } as unknown as Handlers;
    const dispatch = createDispatch(fakeContext(), { handlers, log });
    const result = await dispatch('keys.list', { path: '/k', password: 'hunter2' });
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL_ERROR' } });
    expect(JSON.stringify(result)).not.toContain('cannot read');
    expect(log.lines.join()).toContain('TypeError');
    expect(log.lines.join()).not.toContain('hunter2');
  });

  it('refuses a handler output that breaks the contract (no key material can leak)', async () => {
    const log = quietLog();
    const entry = {
      file: '/k.p12', index: 0, commonName: 'A', role: 'individual', purposes: ['AUTH'], serialNumber: 'AB', issuer: 'CA',
      subject: 'CN=A', notBefore: '2020', notAfter: '2030', status: 'valid', algorithm: 'RSA', fingerprintSha256: 'AA',
      privateKey: '-----BEGIN PRIVATE KEY-----',
    };
    const handlers = { 'keys.list': async () => ({ keys: [entry] }) } as unknown as Handlers;
    const dispatch = createDispatch(fakeContext(), { handlers, log });
    const result = await dispatch('keys.list', { path: '/k', password: 'x' });
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL_ERROR' } });
    expect(log.lines.join()).toContain('privateKey');
    expect(log.lines.join()).not.toContain('BEGIN');
  });

  it('keys.pickFile is not available in browser mode', async () => {
    const dispatch = createDispatch(fakeContext());
    expect(await dispatch('keys.pickFile', {})).toEqual({ ok: false, error: { code: 'NOT_AVAILABLE_IN_BROWSER' } });
    const electron = createDispatch({ ...fakeContext(), mode: 'electron', pickKeyFile: async () => '/home/u/AUTH.p12' });
    expect(await electron('keys.pickFile', {})).toEqual({ ok: true, value: { path: '/home/u/AUTH.p12' } });
  });

  it("apply.pickProof is main's dialog in Electron, not available in browser mode (the path is typed there)", async () => {
    expect(await createDispatch(fakeContext())('apply.pickProof', {})).toEqual({ ok: false, error: { code: 'NOT_AVAILABLE_IN_BROWSER' } });
    const electron = createDispatch({ ...fakeContext(), mode: 'electron', pickProofFile: async () => '/media/u/STICK/certificate.pdf' });
    expect(await electron('apply.pickProof', {})).toEqual({ ok: true, value: { path: '/media/u/STICK/certificate.pdf' } });
    const cancelled = createDispatch({ ...fakeContext(), mode: 'electron', pickProofFile: async () => null });
    expect(await cancelled('apply.pickProof', {})).toEqual({ ok: true, value: null });
  });

  it('a locked setting is refused with SETTING_LOCKED', async () => {
    const ctx = fakeContext({ locked: { language: 'ru' } });
    const dispatch = createDispatch(ctx);
    expect(await dispatch('settings.update', { language: 'kk' })).toEqual({
      ok: false,
      error: { code: 'SETTING_LOCKED', details: { field: 'language' } },
    });
  });
});
