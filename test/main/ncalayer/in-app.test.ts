/**
 * The NCALayer service as the app runs it (control.ts, window-user.ts): on and off by the setting
 * or the policy, a port NCALayer holds, the site's request as the window's event, the window's
 * answer through main's key path (a wrong password tried again), stale ids, one request at a
 * time, cancel, the window going away, and the trust step with the user's consent.
 */
import { chmod, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, KeyRef, SiteRequest } from '../../../contract/contract.ts';
import { EventHub } from '../../../main/events.ts';
import { NcaLayerControl, NCALAYER_STATE_FILE, tokenStorageNames } from '../../../main/ncalayer/control.ts';
import { SigningService, loadKeyBackend } from '../../../main/signing-service.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import { getDemoPki, type DemoPki } from '../../helpers/demo-pki.ts';
import { connectClient, type Client } from './fixtures.ts';

const ORIGIN = 'https://portal.test';
const XML = '<request xmlns="urn:portal"><child iin="150101500013">Әлия</child></request>';
const SIGN_XML = JSON.stringify({ module: 'kz.gov.pki.knca.commonUtils', method: 'signXml', args: ['PKCS12', 'SIGNATURE', XML, '', ''] });

let pki: DemoPki;
let signKey: KeyRef;
let authKey: KeyRef;
beforeAll(async () => {
  pki = await getDemoPki();
  signKey = { kind: 'file', path: pki.keyPath({ status: 'valid', purpose: 'SIGN', role: 'individual' }), index: 0 };
  authKey = { kind: 'file', path: pki.keyPath({ status: 'valid', purpose: 'AUTH', role: 'individual' }), index: 0 };
}, 180_000);

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface App {
  control: NcaLayerControl;
  dir: string;
  /** Site requests as the window receives them. */
  requests: SiteRequest[];
  closedIds: string[];
  connect(): Promise<Client>;
  /** A site (on `client`, else a new connection) asks to sign XML; the request the window shows. */
  ask(client?: Client): Promise<{ client: Client; request: SiteRequest }>;
  /** The window goes away (no listener). */
  closeWindow(): void;
}

async function startApp(options: { forced?: boolean | null; port?: number; dir?: string; trust?: Partial<ConstructorParameters<typeof NcaLayerControl>[0]> } = {}): Promise<App> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'joldama-ncalayer-app-')));
  if (!options.dir) cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const events = new EventHub();
  const requests: SiteRequest[] = [];
  const closedIds: string[] = [];
  const waiting: Array<(r: SiteRequest) => void> = [];
  const unsubscribe = events.subscribe((event: AppEvent) => {
    if (event.name === 'ncalayer.request') {
      requests.push(event.payload);
      waiting.shift()?.(event.payload);
    }
    if (event.name === 'ncalayer.requestClosed') closedIds.push(event.payload.requestId);
  });
  const control = new NcaLayerControl({
    dataDir: dir,
    forced: options.forced ?? null,
    port: options.port ?? 0,
    signing: new SigningService(await loadKeyBackend()),
    window: {
      show: (request) => events.emit('ncalayer.request', request),
      closed: (requestId) => events.emit('ncalayer.requestClosed', { requestId }),
      windowOpen: () => events.hasListeners(),
      activeTokens: async () => [],
    },
    ...options.trust,
  });
  cleanups.push(() => control.stop());
  const nextRequest = () => new Promise<SiteRequest>((resolve) => waiting.push(resolve));
  const connect = async () => {
    const status = await control.status();
    const client = await connectClient(`wss://127.0.0.1:${status.port}`, await readFile(status.certificate!.path, 'utf8'), { origin: ORIGIN });
    cleanups.push(async () => client.socket.close());
    return client;
  };
  return {
    control,
    dir,
    requests,
    closedIds,
    connect,
    ask: async (client) => {
      const asking = client ?? (await connect());
      const shown = nextRequest();
      asking.socket.send(SIGN_XML);
      return { client: asking, request: await shown };
    },
    closeWindow: unsubscribe,
  };
}

/** An app with the service turned on. */
async function runningApp(): Promise<App> {
  const app = await startApp();
  await app.control.setEnabled(true);
  return app;
}

async function expectSignedXml(reply: Record<string, unknown>): Promise<void> {
  expect(reply.code).toBe('200');
  const report = await verifyXml(String(reply.responseObject), { trust: TrustStore.fromCertificates([pki.root, pki.intermediate]), revocation: false, purpose: 'SIGN' });
  expect(report.indication, report.errors.join('; ')).toBe('TOTAL_PASSED');
}

// Opening a key three times runs the key derivation in the worker: seconds each on a loaded machine.
describe('the NCALayer service in the app', { timeout: 120_000 }, () => {
  it('is off by default; turned on it listens, remembers that, and starts at the next launch; turned off it stops', async () => {
    const app = await startApp();
    expect(await app.control.status()).toMatchObject({ enabled: false, running: false, locked: false, port: null, certificate: null });
    await app.control.startIfEnabled();
    expect((await app.control.status()).running).toBe(false);

    const on = await app.control.setEnabled(true);
    expect(on).toMatchObject({ enabled: true, running: true, problem: null, certificate: { created: true } });
    expect(JSON.parse(await readFile(join(app.dir, NCALAYER_STATE_FILE), 'utf8'))).toMatchObject({ enabled: true });
    await app.control.stop();

    const again = await startApp({ dir: app.dir });
    await again.control.startIfEnabled();
    const status = await again.control.status();
    expect(status).toMatchObject({ enabled: true, running: true, certificate: { created: false } });
    await again.connect();

    const off = await again.control.setEnabled(false);
    expect(off).toMatchObject({ enabled: false, running: false, port: null });
  });

  it('follows the policy, which locks it on or off', async () => {
    const forcedOn = await startApp({ forced: true });
    await forcedOn.control.startIfEnabled();
    expect(await forcedOn.control.status()).toMatchObject({ enabled: true, locked: true, running: true });
    await expect(forcedOn.control.setEnabled(false)).rejects.toMatchObject({ code: 'SETTING_LOCKED' });
    expect((await forcedOn.control.status()).running).toBe(true);

    const forcedOff = await startApp({ forced: false });
    await expect(forcedOff.control.setEnabled(true)).rejects.toMatchObject({ code: 'SETTING_LOCKED' });
    expect(await forcedOff.control.status()).toMatchObject({ enabled: false, locked: true, running: false });
  });

  it('says NCALAYER_PORT_IN_USE when another program (NCALayer) holds the port, and stays off', async () => {
    const holder: Server = createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)));
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const app = await startApp({ port });
    await expect(app.control.setEnabled(true)).rejects.toMatchObject({ code: 'NCALAYER_PORT_IN_USE' });
    expect(await app.control.status()).toMatchObject({ enabled: false, running: false, problem: 'NCALAYER_PORT_IN_USE' });
  });

  it('shows the site and the document in the window; a wrong password is said there and tried again; the right one signs', async () => {
    const app = await runningApp();
    const { client, request } = await app.ask();
    expect(request).toMatchObject({ origin: ORIGIN, originStanding: 'unknown', action: 'sign', format: 'xml', key: { purpose: 'SIGN' } });
    expect(request.documents[0]).toMatchObject({ kind: 'xml', complete: true, lines: [{ path: 'request/child/@iin', text: '150101500013' }, { path: 'request/child', text: 'Әлия' }] });

    await expect(app.control.answer(request.requestId, { outcome: 'confirmed', ref: signKey, secret: 'wrong', rememberOrigin: false })).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
    // A key of the wrong kind (a login key for a signing request) is said too, by main's own check.
    await expect(app.control.answer(request.requestId, { outcome: 'confirmed', ref: authKey, secret: pki.password, rememberOrigin: false })).rejects.toMatchObject({
      code: 'WRONG_PURPOSE',
    });
    await app.control.answer(request.requestId, { outcome: 'confirmed', ref: signKey, secret: pki.password, rememberOrigin: true });
    await expectSignedXml(await client.next());
    expect((await app.control.status()).rememberedSites).toEqual([ORIGIN]);

    // Answered: the id is stale now.
    await expect(app.control.answer(request.requestId, { outcome: 'cancelled' })).rejects.toMatchObject({ code: 'NCALAYER_REQUEST_UNKNOWN' });
    // The next request from the remembered site says so.
    expect((await app.ask(client)).request.originStanding).toBe('remembered');
  });

  it('refuses an unknown id, holds a second site request (BUSY), and gives the site the cancel reply on Cancel', async () => {
    const app = await runningApp();
    const { client: first, request } = await app.ask();
    await expect(app.control.answer('8f0e2c8e-3f0b-4a35-9a43-2f1f3b7c9d10', { outcome: 'cancelled' })).rejects.toMatchObject({ code: 'NCALAYER_REQUEST_UNKNOWN' });

    const second = await app.connect();
    second.socket.send(SIGN_XML);
    expect(await second.next()).toEqual({ code: '500', message: expect.stringMatching(/^BUSY: /) });
    expect(app.requests).toHaveLength(1);

    await app.control.answer(request.requestId, { outcome: 'cancelled' });
    expect(await first.next()).toEqual({ code: '500', message: 'action.canceled' });
  });

  it('cancels the waiting request when the window goes away or the page leaves, and says NO_WINDOW without a window', async () => {
    const app = await runningApp();
    const { client, request } = await app.ask();
    app.control.cancelPending();
    expect(await client.next()).toEqual({ code: '500', message: 'action.canceled' });
    expect(app.closedIds).toEqual([request.requestId]);

    // The page leaves: the window is told to close the dialog.
    const { client: page, request: left } = await app.ask();
    page.socket.close();
    await expect.poll(() => app.closedIds).toContain(left.requestId);
    await expect(app.control.answer(left.requestId, { outcome: 'cancelled' })).rejects.toMatchObject({ code: 'NCALAYER_REQUEST_UNKNOWN' });

    app.closeWindow();
    const alone = await app.connect();
    alone.socket.send(SIGN_XML);
    expect(await alone.next()).toEqual({ code: '500', message: expect.stringMatching(/^NO_WINDOW: /) });
  });

  it('forgets the remembered sites at the end of a kiosk session', async () => {
    const app = await runningApp();
    const { client, request } = await app.ask();
    await app.control.answer(request.requestId, { outcome: 'confirmed', ref: signKey, secret: pki.password, rememberOrigin: true });
    await client.next();
    await app.control.forgetSites();
    expect(await app.control.status()).toMatchObject({ rememberedSites: [], running: true });
    expect((await app.ask()).request.originStanding).toBe('unknown');
  });

  it('adds the certificate to the Linux NSS database only when asked, with certutil found on PATH', async () => {
    const home = await mkdtemp(join(tmpdir(), 'joldama-home-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    const bin = join(home, 'bin');
    await mkdir(bin);
    await mkdir(join(home, '.pki', 'nssdb'), { recursive: true });
    const log = join(home, 'certutil.log');
    await writeFile(join(bin, 'certutil'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\n`);
    await chmod(join(bin, 'certutil'), 0o755);
    const trustEnvironment = { platform: 'linux' as const, env: { PATH: bin }, home };

    const app = await startApp({ trust: { trustEnvironment } });
    await app.control.setEnabled(true);
    // No database yet (Chrome never ran): not offered.
    expect((await app.control.status()).trust).toEqual({ os: 'linux', automatic: false, added: false });
    await expect(app.control.trust()).rejects.toMatchObject({ code: 'NCALAYER_TRUST_UNAVAILABLE' });
    await expect(readFile(log, 'utf8')).rejects.toThrow();

    await writeFile(join(home, '.pki', 'nssdb', 'cert9.db'), '');
    expect((await app.control.status()).trust).toEqual({ os: 'linux', automatic: true, added: false });
    const status = await app.control.trust();
    expect(status.trust.added).toBe(true);
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([
      '-d',
      `sql:${join(home, '.pki', 'nssdb')}`,
      '-A',
      '-t',
      'P,,',
      '-n',
      'Joldama local signing service',
      '-i',
      status.certificate!.path,
    ]);
  });

  it('offers the Windows CurrentUser store with the system certutil, and nothing on macOS', async () => {
    const windows = await startApp({ trust: { trustEnvironment: { platform: 'win32', env: { SystemRoot: 'C:\\Windows' }, home: 'C:\\Users\\a' }, runCommand: async (file, args) => ran.push([file, ...args]) } });
    const ran: string[][] = [];
    await windows.control.setEnabled(true);
    const status = await windows.control.trust();
    expect(ran).toEqual([['C:\\Windows\\System32\\certutil.exe', '-user', '-addstore', 'Root', status.certificate!.path]]);

    const mac = await startApp({ trust: { trustEnvironment: { platform: 'darwin', env: {}, home: '/Users/a' } } });
    await mac.control.setEnabled(true);
    expect((await mac.control.status()).trust).toEqual({ os: 'macos', automatic: false, added: false });
  });

  it('names NCALayer storages for the tokens plugged in', () => {
    expect(tokenStorageNames([
      { manufacturer: 'NCA RK', model: 'Kaztoken', label: 'K1' },
      { manufacturer: 'SoftHSM project', model: 'SoftHSM v2', label: 'PERSONAL' },
    ])).toEqual(['AKKaztokenStore']);
  });
});
