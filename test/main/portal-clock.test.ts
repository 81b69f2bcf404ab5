/**
 * A portal whose clock is not the computer's (a demo moved with --clock, or a computer whose clock
 * is off): the desktop app dates its login document on the portal's time from the challenge, so the
 * login is not refused as AUTH_TIMESTAMP_OUT_OF_RANGE.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/create-app-context.ts';
import { createDispatch, type Dispatch } from '../../main/dispatch.ts';
import { loadKeyBackend } from '../../main/signing-service.ts';
import { startPortal, type RunningPortal } from '../../portal/server/start.ts';
import { DEMO_IDENTITIES } from '../../signing/demo-pki/identities.ts';
import { demoPkiIndexSchema } from '../../signing/demo-pki/generate.ts';

const DAY = 86_400_000;
let portal: RunningPortal;
let dir: string;
let dispatch: Dispatch;
let authKey: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-clock-'));
  // Three days ahead: far outside the login timestamp window, well inside the demo keys' validity.
  const clock = new Date(Date.now() + 3 * DAY).toISOString();
  portal = await startPortal({ port: 0, demo: true, clock, dataDir: path.join(dir, 'portal'), log: false });
  const index = demoPkiIndexSchema.parse(JSON.parse(await readFile(path.join(dir, 'portal', 'demo-pki', 'index.json'), 'utf8')));
  const person = DEMO_IDENTITIES.find((p) => p.role === 'individual')!;
  const key = index.keys.find((k) => k.iin === person.iin && k.purposes.includes('AUTH') && k.role === 'individual')!;
  authKey = path.join(dir, 'portal', 'demo-pki', key.file);
  const context = await createAppContext({
    mode: 'browser',
    version: 'test',
    dataDir: path.join(dir, 'app'),
    policyPath: null,
    portalUrl: portal.url,
    backend: await loadKeyBackend(),
  });
  dispatch = createDispatch(context, { log: { warn: () => {}, error: () => {} } });
}, 120_000);

afterAll(async () => {
  await portal?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a portal three days ahead of the computer', () => {
  it('takes the certificate login: the document is dated on the portal clock', async () => {
    const result = await dispatch('auth.login', { file: authKey, keyIndex: 0, password: 'Qwerty12' });
    expect(result).toMatchObject({ ok: true, value: { user: { needsEmail: true } } });
  });
});
