/**
 * Token login end to end inside main, against SoftHSM 2 (test/helpers/softhsm.ts): the real
 * PKCS#11 modules through main's context (module path from the launcher's configuration), the
 * contract's dispatch, and a portal that verifies the signed login document. A wrong PIN, the
 * login with the right one, and the session ended when the token is pulled out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, CallOutput, KeyRef } from '../../contract/contract.ts';
import type { MainContext } from '../../main/context.ts';
import { createAppContext } from '../../main/create-app-context.ts';
import { createDispatch, type Dispatch } from '../../main/dispatch.ts';
import { loadKeyBackend } from '../../main/signing-service.ts';
import { getDemoPki, type DemoPki } from '../helpers/demo-pki.ts';
import { makeSoftHsm, USER_PIN, type SoftHsm } from '../helpers/softhsm.ts';
import { startStubPortal, type StubPortal } from './helpers/stub-portal.ts';

let pki: DemoPki;
let portal: StubPortal;
let dataDir: string;
let hsm: SoftHsm | undefined;
let context: MainContext | undefined;

beforeAll(async () => {
  pki = await getDemoPki();
  portal = await startStubPortal(pki);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'joldama-token-login-'));
});

afterAll(async () => {
  await portal.close();
  await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await context?.tokens.stop();
  context = undefined;
  hsm?.cleanup();
  hsm = undefined;
});

/** A SoftHSM token "PERSONAL" holding a valid AUTH key (id 01), and an app whose configuration names SoftHSM's module. */
async function appWithToken(): Promise<{ dispatch: Dispatch; context: MainContext; key: ReturnType<DemoPki['key']> }> {
  const key = pki.key({ status: 'valid', purpose: 'AUTH', role: 'individual' });
  hsm = makeSoftHsm();
  await hsm.makeToken('PERSONAL');
  await hsm.importP12('PERSONAL', key.path, pki.password, '01');
  context = await createAppContext({
    mode: 'browser',
    version: '0.1.0-test',
    dataDir,
    policyPath: null,
    demo: true,
    portalUrl: portal.url,
    backend: await loadKeyBackend(),
    tokenModules: [hsm.module],
  });
  return { dispatch: createDispatch(context, { log: { warn: () => {}, error: () => {} } }), context, key };
}

async function tokenKey(dispatch: Dispatch): Promise<KeyRef> {
  const listed = await dispatch('keys.tokens', {});
  if (!listed.ok) throw new Error(`keys.tokens: ${JSON.stringify(listed.error)}`);
  const { tokens } = listed.value as CallOutput<'keys.tokens'>;
  const personal = tokens.find((t) => t.label === 'PERSONAL');
  const key = personal?.keys[0];
  if (!key) throw new Error('no key on the token');
  return key.ref;
}

describe('a SoftHSM token through main', () => {
  it('lists the token key without a PIN, tells a wrong PIN (with the token’s warning), logs in with the right one', async () => {
    const { dispatch, key } = await appWithToken();
    const listed = await dispatch('keys.tokens', {});
    expect(listed).toMatchObject({
      ok: true,
      value: {
        tokens: [
          {
            label: 'PERSONAL',
            manufacturer: 'SoftHSM project',
            pinLocked: false,
            keys: [{ ref: { kind: 'token', id: '01' }, storage: { kind: 'token', label: 'PERSONAL' }, iin: key.iin, purposes: ['AUTH'], status: 'valid' }],
          },
        ],
      },
    });
    const ref = await tokenKey(dispatch);
    // SoftHSM raises CKF_USER_PIN_COUNT_LOW after a wrong PIN: main passes it on as details.pinTries.
    expect(await dispatch('auth.login', { ref, secret: '000000' })).toEqual({ ok: false, error: { code: 'PIN_INCORRECT', details: { pinTries: 'low' } } });
    expect(portal.requests.some((r) => r.includes('/api/auth/login'))).toBe(false);
    const login = await dispatch('auth.login', { ref, secret: USER_PIN });
    expect(login).toMatchObject({ ok: true, value: { user: { iin: key.iin } } });
  });

  it('ends the session when the token holding its key is removed, and tells the window', async () => {
    const { dispatch, context } = await appWithToken();
    const ref = await tokenKey(dispatch);
    expect((await dispatch('auth.login', { ref, secret: USER_PIN })).ok).toBe(true);
    const seen: AppEvent[] = [];
    context.events.subscribe((event) => seen.push(event));
    await context.tokens.check();
    expect(seen).toEqual([]);

    hsm!.removeTokens();
    await context.tokens.check();
    expect(seen).toEqual([
      { name: 'tokens.changed', payload: {} },
      { name: 'session.ended', payload: { reason: 'token-removed' } },
    ]);
    expect(await dispatch('auth.session', {})).toEqual({ ok: true, value: null });
    expect(await dispatch('auth.login', { ref, secret: USER_PIN })).toEqual({ ok: false, error: { code: 'TOKEN_REMOVED' } });
  });
});
