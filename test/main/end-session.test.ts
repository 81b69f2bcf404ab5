/**
 * session.end in browser mode (no Chromium of main's own to clear): the portal session is logged
 * out, main forgets it and the last key folder; app.info tells the window what the policy says.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/create-app-context.ts';
import { createDispatch } from '../../main/dispatch.ts';
import { loadKeyBackend } from '../../main/signing-service.ts';
import { getDemoPki, type DemoPki } from '../helpers/demo-pki.ts';
import { startStubPortal, type StubPortal } from './helpers/stub-portal.ts';

let pki: DemoPki;
let portal: StubPortal;
let dataDir: string;

beforeAll(async () => {
  pki = await getDemoPki();
  portal = await startStubPortal(pki);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'joldama-end-'));
});
afterAll(async () => {
  await portal.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function app(policy: object | null) {
  const policyPath = policy ? path.join(dataDir, 'policy.json') : null;
  if (policyPath) await writeFile(policyPath, JSON.stringify(policy));
  const context = await createAppContext({
    mode: 'browser',
    version: '0.1.0-test',
    dataDir,
    policyPath,
    demo: true,
    portalUrl: portal.url,
    backend: await loadKeyBackend(),
  });
  return createDispatch(context, { log: { warn: () => {}, error: () => {} } });
}

describe('ending the session', () => {
  it('logs out at the portal, forgets the session, the last key folder and the application drafts', async () => {
    const dispatch = await app(null);
    const key = pki.key({ status: 'valid', purpose: 'AUTH', role: 'individual' });
    expect(await dispatch('auth.login', { ref: { kind: 'file', path: key.path, index: 0 }, secret: pki.password })).toMatchObject({ ok: true });
    await dispatch('settings.update', { lastKeyPath: path.dirname(key.path) });
    expect(await dispatch('apply.saveDraft', { draft: { childFirstName: 'Айлин' } })).toMatchObject({ ok: true });
    portal.requests.length = 0;

    expect(await dispatch('session.end', {})).toEqual({ ok: true, value: {} });
    expect(portal.requests).toEqual(['POST /api/auth/logout']);
    expect(await dispatch('auth.session', {})).toEqual({ ok: true, value: null });
    expect(await dispatch('settings.get', {})).toMatchObject({ ok: true, value: { lastKeyPath: null } });
    // The next person on this computer finds no draft, even their own from before.
    await dispatch('auth.login', { ref: { kind: 'file', path: key.path, index: 0 }, secret: pki.password });
    expect(await dispatch('apply.draft', {})).toMatchObject({ ok: true, value: { draft: expect.not.objectContaining({ childFirstName: 'Айлин' }) } });
    await dispatch('auth.logout', {});
    // Nothing to end is no error (the idle timeout on a fresh screen).
    expect(await dispatch('session.end', {})).toEqual({ ok: true, value: {} });
  });

  it('tells the window the policy it must honour: kiosk, languages, idle timeout, sources, methods', async () => {
    expect(await app(null).then((d) => d('app.info', {}))).toMatchObject({
      ok: true,
      value: { policy: { kiosk: false, languages: ['kk', 'ru', 'en'], idleTimeoutSeconds: null, settingsHidden: false } },
    });
    const kiosk = await app({ kiosk: true, settings: { portalUrl: portal.url }, languages: ['kk', 'ru'], loginMethods: ['certificate'] });
    expect(await kiosk('app.info', {})).toMatchObject({
      ok: true,
      value: {
        policy: {
          kiosk: true,
          languages: ['kk', 'ru'],
          idleTimeoutSeconds: 120,
          keySources: ['file', 'token'],
          loginMethods: ['certificate'],
          settingsHidden: true,
        },
      },
    });
  });

  it('a tokens-only policy refuses key files in main itself, whatever the window sends', async () => {
    const tokensOnly = await app({ keySources: ['token'] });
    portal.requests.length = 0;
    const key = pki.key({ status: 'valid', purpose: 'AUTH', role: 'individual' });
    const refused = { ok: false, error: { code: 'KEY_FILES_DISABLED' } };
    expect(await tokensOnly('keys.list', { path: key.path, password: pki.password })).toEqual(refused);
    expect(await tokensOnly('auth.login', { ref: { kind: 'file', path: key.path, index: 0 }, secret: pki.password })).toEqual(refused);
    expect(portal.requests.filter((r) => r.includes('/api/auth/'))).toEqual([]);
  });
});
