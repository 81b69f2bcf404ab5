/**
 * The administrator's policy holds in main, whatever the window sends (docs/kiosk.md): under
 * removableMediaOnly every path the window types (keys.list, the key a login or a signature names,
 * the application's proof) must lie on removable media after resolving links; keySources and
 * loginMethods are refused by the handlers themselves. Real key files on a folder that stands in
 * for a USB stick, a stub portal.
 */
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../main/create-app-context.ts';
import { createDispatch } from '../../main/dispatch.ts';
import { loadKeyBackend } from '../../main/signing-service.ts';
import { getDemoPki, type DemoPki } from '../helpers/demo-pki.ts';
import { fakeContext } from './helpers/fake-context.ts';
import { FINGERPRINT, fakeTokens, tokenInfo } from './helpers/fake-keys.ts';
import { startStubPortal, type StubPortal } from './helpers/stub-portal.ts';

let pki: DemoPki;
let portal: StubPortal;
let root: string;
/** Stands in for a mounted USB stick. */
let stick: string;
/** A key on the stick, a copy on the disk, and a link on the stick to the disk's copy. */
let onStick: string;
let onDisk: string;
let linkToDisk: string;
let proofOnDisk: string;

beforeAll(async () => {
  pki = await getDemoPki();
  portal = await startStubPortal(pki);
  root = await mkdtemp(path.join(os.tmpdir(), 'joldama-fence-'));
  stick = path.join(root, 'media', 'STICK');
  const disk = path.join(root, 'home');
  await mkdir(path.join(stick, 'keys'), { recursive: true });
  await mkdir(disk, { recursive: true });
  const key = pki.key({ status: 'valid', purpose: 'AUTH', role: 'individual' });
  onStick = path.join(stick, 'keys', path.basename(key.path));
  onDisk = path.join(disk, path.basename(key.path));
  linkToDisk = path.join(stick, 'linked.p12');
  proofOnDisk = path.join(disk, 'certificate.pdf');
  await copyFile(key.path, onStick);
  await copyFile(key.path, onDisk);
  await symlink(onDisk, linkToDisk);
  await writeFile(proofOnDisk, '%PDF-1.4\n');
});
afterAll(async () => {
  await portal.close();
  await rm(root, { recursive: true, force: true });
});

async function app(policy: object, roots: () => string[] = () => [stick]) {
  const dataDir = await mkdtemp(path.join(root, 'data-'));
  const policyPath = path.join(dataDir, 'policy.json');
  await writeFile(policyPath, JSON.stringify(policy));
  const context = await createAppContext({
    mode: 'browser',
    version: '0.1.0-test',
    dataDir,
    policyPath,
    demo: true,
    portalUrl: portal.url,
    backend: await loadKeyBackend(),
    removableRoots: async () => roots(),
  });
  return createDispatch(context, { log: { warn: () => {}, error: () => {} } });
}

const refused = (reason: string) => ({ ok: false, error: { code: 'KEY_PATH_REFUSED', details: { reason } } });
const fileRef = (p: string) => ({ kind: 'file', path: p, index: 0 });

describe('removableMediaOnly in main', () => {
  it('lists and logs in with a key on the medium, refuses one on the disk or linked from the medium to the disk', async () => {
    const dispatch = await app({ removableMediaOnly: true });
    expect(await dispatch('keys.list', { path: stick, password: pki.password })).toMatchObject({ ok: true, value: { keys: [{ storage: { path: onStick } }] } });
    expect(await dispatch('keys.list', { path: onDisk, password: pki.password })).toMatchObject(refused('not-removable'));
    expect(await dispatch('keys.list', { path: path.dirname(onDisk), password: pki.password })).toMatchObject(refused('not-removable'));
    expect(await dispatch('keys.list', { path: linkToDisk, password: pki.password })).toMatchObject(refused('not-removable'));
    // A path into the medium that climbs back out is judged where it leads.
    expect(await dispatch('keys.list', { path: path.join(stick, '..', '..', 'home'), password: pki.password })).toMatchObject(refused('not-removable'));

    portal.requests.length = 0;
    expect(await dispatch('auth.login', { ref: fileRef(onDisk), secret: pki.password })).toMatchObject(refused('not-removable'));
    expect(await dispatch('auth.login', { ref: fileRef(linkToDisk), secret: pki.password })).toMatchObject(refused('not-removable'));
    expect(portal.requests.filter((r) => r.includes('/api/auth/'))).toEqual([]);
    expect(await dispatch('auth.login', { ref: fileRef(onStick), secret: pki.password })).toMatchObject({ ok: true });
  });

  it('refuses every key path while no medium is inserted', async () => {
    const dispatch = await app({ removableMediaOnly: true }, () => []);
    expect(await dispatch('keys.list', { path: onStick, password: pki.password })).toMatchObject(refused('no-removable-media'));
    expect(await dispatch('auth.login', { ref: fileRef(onStick), secret: pki.password })).toMatchObject(refused('no-removable-media'));
  });

  it("refuses the application's proof from the disk before reading it", async () => {
    const dispatch = await app({ removableMediaOnly: true });
    expect(await dispatch('apply.attachProof', { path: proofOnDisk })).toMatchObject({
      ok: false,
      error: { code: 'APPLY_PROOF_NOT_REMOVABLE', details: { reason: 'not-removable' } },
    });
  });

  it('without the policy, a key anywhere on this computer is opened', async () => {
    const dispatch = await app({});
    expect(await dispatch('keys.list', { path: onDisk, password: pki.password })).toMatchObject({ ok: true });
    expect(await dispatch('apply.attachProof', { path: proofOnDisk })).toMatchObject({ ok: false, error: { code: 'NOT_LOGGED_IN' } });
  });
});

describe('keySources in main', () => {
  it('a files-only policy refuses a token key in a login, and never opens the token', async () => {
    const { state, access } = fakeTokens({ present: [tokenInfo('a'.repeat(32))] });
    const dispatch = createDispatch(fakeContext({ tokens: access, keySources: ['file'] }), { log: { warn: () => {}, error: () => {} } });
    const ref = { kind: 'token', module: '/usr/lib/vendor-pkcs11.so', slot: '01', token: 'a'.repeat(32), id: '01', certificate: FINGERPRINT };
    expect(await dispatch('auth.login', { ref, secret: '0000' })).toEqual({ ok: false, error: { code: 'TOKENS_UNAVAILABLE' } });
    expect(state.opened).toBe(0);
  });
});
