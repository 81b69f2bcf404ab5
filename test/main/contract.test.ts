import { describe, expect, it, vi } from 'vitest';
import { apiFromCall, callNames, contract, ResultSchema } from '../../contract/contract.ts';
import { createDispatch, type DispatchLogger } from '../../main/dispatch.ts';
import type { Handlers } from '../../main/handlers/index.ts';
import { fakeContext } from './helpers/fake-context.ts';

function quietLog(): DispatchLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (f, m) => lines.push(m + JSON.stringify(f)), error: (f, m) => lines.push(m + JSON.stringify(f)) };
}

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
    ];
    for (const [thrown, expected] of cases) {
      const handlers = { 'keys.list': async () => Promise.reject(signingError(thrown)) } as unknown as Handlers;
      const dispatch = createDispatch(ctx, { handlers, log: quietLog() });
      expect(await dispatch('keys.list', { path: '/k', password: 'x' })).toEqual({ ok: false, error: { code: expected } });
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

  it('a locked setting is refused with SETTING_LOCKED', async () => {
    const ctx = fakeContext({ locked: { language: 'ru' } });
    const dispatch = createDispatch(ctx);
    expect(await dispatch('settings.update', { language: 'kk' })).toEqual({
      ok: false,
      error: { code: 'SETTING_LOCKED', details: { field: 'language' } },
    });
  });
});
