/**
 * Certificate login end to end inside main: real demo keys, the real signing library, the
 * contract's dispatch, and a portal that verifies the signed login document.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../contract/contract.ts';
import type { MainContext } from '../../main/context.ts';
import { assembleServices, createAppContext } from '../../main/create-app-context.ts';
import type { SettingsStore } from '../../main/settings.ts';
import { createDispatch, type Dispatch } from '../../main/dispatch.ts';
import { loadKeyBackend } from '../../main/signing-service.ts';
import { getDemoPki, type DemoPki } from '../helpers/demo-pki.ts';
import { startStubPortal, type StubPortal } from './helpers/stub-portal.ts';

let pki: DemoPki;
let portal: StubPortal;
let dataDir: string;
let dispatch: Dispatch;
let context: MainContext;

beforeAll(async () => {
  pki = await getDemoPki();
  portal = await startStubPortal(pki);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'joldama-auth-'));
});

afterAll(async () => {
  await portal.close();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  portal.requests.length = 0;
  context = await createAppContext({
    mode: 'browser',
    version: '0.1.0-test',
    dataDir,
    policyPath: null,
    // A loopback http portal: accepted in demo mode only.
    demo: true,
    portalUrl: portal.url,
    backend: await loadKeyBackend(),
  });
  dispatch = createDispatch(context, { log: { warn: () => {}, error: () => {} } });
});

const authKey = () => pki.key({ status: 'valid', purpose: 'AUTH', role: 'individual' });

describe('keys.list', () => {
  it('lists the certificate details of a key file, never key material', async () => {
    const key = authKey();
    const result = await dispatch('keys.list', { path: key.path, password: pki.password });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { keys } = result.value as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      ref: { kind: 'file', path: key.path, index: 0, certificate: expect.stringMatching(/^[0-9A-F]{64}$/) },
      storage: { kind: 'file', path: key.path },
      iin: key.iin,
      status: 'valid',
      purposes: ['AUTH'],
    });
    const text = JSON.stringify(result);
    expect(text).not.toMatch(/PRIVATE KEY|privateKey|"d":/);
    expect(text).not.toContain(pki.password);
  });

  it('maps a wrong password and a missing file to their codes', async () => {
    const key = authKey();
    expect(await dispatch('keys.list', { path: key.path, password: 'wrong' })).toEqual({ ok: false, error: { code: 'WRONG_PASSWORD' } });
    expect(await dispatch('keys.list', { path: path.join(pki.dir, 'nope.p12'), password: 'x' })).toEqual({
      ok: false,
      error: { code: 'FILE_NOT_FOUND' },
    });
  });
});

describe('certificate login', () => {
  it('logs in with an AUTH key, asks for an e-mail first, keeps the session in main, logs out', async () => {
    const key = authKey();
    const login = await dispatch('auth.login', { ref: { kind: 'file', path: key.path, index: 0 }, secret: pki.password });
    expect(login).toMatchObject({ ok: true, value: { user: { iin: key.iin, needsEmail: true, email: null } } });
    expect(JSON.stringify(login)).not.toMatch(/token/i);
    // The feed's newest entry, before the login is answered: news from now on reaches the window (cabinet-watch.ts).
    expect(portal.requests).toEqual(['POST /api/auth/challenge', 'POST /api/auth/login', 'GET /api/feed?limit=1']);

    expect(await dispatch('auth.session', {})).toMatchObject({ ok: true, value: { user: { iin: key.iin } } });
    expect(await dispatch('auth.setEmail', { email: 'parent@example.kz' })).toMatchObject({
      ok: true,
      value: { user: { email: 'parent@example.kz', needsEmail: false } },
    });

    expect(await dispatch('auth.logout', {})).toEqual({ ok: true, value: {} });
    expect(portal.requests).toContain('POST /api/auth/logout');
    expect(await dispatch('auth.session', {})).toEqual({ ok: true, value: null });
    expect(await dispatch('auth.setEmail', { email: 'x@example.kz' })).toEqual({ ok: false, error: { code: 'NOT_LOGGED_IN' } });
  });

  it('a second login ends the first session at the portal', async () => {
    const key = authKey();
    const login = { ref: { kind: 'file', path: key.path, index: 0 }, secret: pki.password };
    expect((await dispatch('auth.login', login)).ok).toBe(true);
    expect((await dispatch('auth.login', login)).ok).toBe(true);
    expect(portal.requests.filter((r) => r === 'POST /api/auth/logout')).toHaveLength(1);
    expect(await dispatch('auth.session', {})).toMatchObject({ ok: true, value: { user: { iin: key.iin } } });
  });

  it('refuses a SIGN-only key locally, before contacting the portal', async () => {
    const sign = pki.key({ status: 'valid', purpose: 'SIGN', role: 'individual' });
    expect(sign.purposes).not.toContain('AUTH');
    expect(await dispatch('auth.login', { ref: { kind: 'file', path: sign.path, index: 0 }, secret: pki.password })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PURPOSE' },
    });
    expect(portal.requests).toEqual([]);
  });

  it('refuses an expired key locally, before contacting the portal', async () => {
    const expired = pki.key({ status: 'expired', purpose: 'AUTH' });
    expect(await dispatch('auth.login', { ref: { kind: 'file', path: expired.path, index: 0 }, secret: pki.password })).toEqual({
      ok: false,
      error: { code: 'CERT_EXPIRED' },
    });
    expect(portal.requests).toEqual([]);
  });

  it('refuses a key index the container does not have', async () => {
    expect(await dispatch('auth.login', { ref: { kind: 'file', path: authKey().path, index: 3 }, secret: pki.password })).toEqual({
      ok: false,
      error: { code: 'KEY_INDEX_OUT_OF_RANGE' },
    });
  });

  it("passes the portal's refusal code through", async () => {
    const key = pki.key({ status: 'revoked', purpose: 'AUTH' });
    portal.revoked.add(key.iin);
    expect(await dispatch('auth.login', { ref: { kind: 'file', path: key.path, index: 0 }, secret: pki.password })).toEqual({
      ok: false,
      error: { code: 'AUTH_CERT_REVOKED' },
    });
  });

  it('brings a lapsed session back to login: session null, calls SESSION_EXPIRED', async () => {
    const key = authKey();
    expect((await dispatch('auth.login', { ref: { kind: 'file', path: key.path, index: 0 }, secret: pki.password })).ok).toBe(true);
    portal.expireSessions();
    expect(await dispatch('auth.setEmail', { email: 'a@example.kz' })).toEqual({ ok: false, error: { code: 'SESSION_EXPIRED' } });
    expect(await dispatch('auth.session', {})).toEqual({ ok: true, value: null });
  });

  it('tells the window once when the portal drops the session', async () => {
    const seen: AppEvent[] = [];
    context.events.subscribe((event) => seen.push(event));
    expect((await dispatch('auth.login', { ref: { kind: 'file', path: authKey().path, index: 0 }, secret: pki.password })).ok).toBe(true);
    expect(seen).toEqual([]);
    portal.expireSessions();
    await dispatch('auth.setEmail', { email: 'a@example.kz' });
    await dispatch('auth.session', {});
    expect(seen).toEqual([{ name: 'session.ended', payload: { reason: 'expired' } }]);
    // A logout the window asked for is not announced back to it.
    expect((await dispatch('auth.login', { ref: { kind: 'file', path: authKey().path, index: 0 }, secret: pki.password })).ok).toBe(true);
    await dispatch('auth.logout', {});
    expect(seen).toHaveLength(1);
  });

  it("refuses to sign a login whose challenge names another site than the configured portal's", async () => {
    portal.challengeOrigin('https://egov.kz');
    try {
      expect(await dispatch('auth.login', { ref: { kind: 'file', path: authKey().path, index: 0 }, secret: pki.password })).toEqual({
        ok: false,
        error: { code: 'AUTH_WRONG_ORIGIN' },
      });
      // Nothing signed went anywhere.
      expect(portal.requests).toEqual(['POST /api/auth/challenge']);
    } finally {
      portal.challengeOrigin(null);
    }
  });

  it("ends the session when the portal's address changes: the token never goes to the new address", async () => {
    const other = await startStubPortal(pki);
    try {
      let portalUrl = portal.url;
      const settings: SettingsStore = {
        get: () => ({ portalUrl, language: 'kk', lastKeyPath: null, trustStore: 'production', locked: [] }),
        update: async () => settings.get(),
        reset: async () => settings.get(),
      };
      const services = assembleServices({ settings, backend: await loadKeyBackend() });
      const seen: AppEvent[] = [];
      services.events.subscribe((event) => seen.push(event));
      const moved = createDispatch({ version: 't', mode: 'browser', demo: true, ...services }, { log: { warn: () => {}, error: () => {} } });
      expect((await moved('auth.login', { ref: { kind: 'file', path: authKey().path, index: 0 }, secret: pki.password })).ok).toBe(true);

      portalUrl = other.url;
      expect(await moved('auth.setEmail', { email: 'a@example.kz' })).toEqual({ ok: false, error: { code: 'NOT_LOGGED_IN' } });
      expect(await moved('auth.session', {})).toEqual({ ok: true, value: null });
      expect(await moved('auth.logout', {})).toEqual({ ok: true, value: {} });
      expect(other.requests).toEqual([]);
      expect(seen).toEqual([{ name: 'session.ended', payload: { reason: 'portal-changed' } }]);
      services.cabinetWatch.stop();
    } finally {
      await other.close();
    }
  });

  it('reports an unreachable portal', async () => {
    const context = await createAppContext({
      mode: 'browser',
      version: 't',
      dataDir,
      policyPath: null,
      demo: true,
      portalUrl: 'http://127.0.0.1:9',
      backend: await loadKeyBackend(),
    });
    const offline = createDispatch(context);
    expect(await offline('auth.login', { ref: { kind: 'file', path: authKey().path, index: 0 }, secret: pki.password })).toEqual({
      ok: false,
      error: { code: 'PORTAL_UNREACHABLE' },
    });
  });
});
