/**
 * Updates of a home install (main/updates.ts, docs/kiosk.md "Updates"): the decision whether to look
 * at all, what electron-builder leaves in the resources folder, and the update calls with a
 * stand-in for electron-updater.
 */
import { generateKeyPairSync } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { AppEvent, UpdateRefused } from '../../contract/contract.ts';
import { createDispatch } from '../../main/dispatch.ts';
import {
  installedUpdateFacts,
  NO_UPDATES,
  packageKind,
  parseReleaseKey,
  parseUpdateConfig,
  startUpdates,
  updateDecision,
  type UpdateFacts,
  type Updater,
} from '../../main/updates.ts';
import { signUpdateFile } from '../../main/update-signature.ts';
import { fakeContext } from './helpers/fake-context.ts';

const FEED = { url: 'https://updates.joldama.kz/stable', publisherNames: ['CN=Joldama, O=Joldama, C=KZ'] };
const release = generateKeyPairSync('ed25519');
const home: UpdateFacts = { packaged: true, kiosk: false, policyAllows: true, platform: 'win32', kind: 'nsis', feed: FEED, releaseKey: release.publicKey };

describe('whether the app looks for updates', () => {
  it('a packaged NSIS install with a signed HTTPS feed, or an AppImage with an HTTPS feed', () => {
    expect(updateDecision(home)).toEqual({ check: true, feed: FEED, releaseKey: release.publicKey });
    expect(updateDecision({ ...home, platform: 'linux', kind: 'appimage', feed: { ...FEED, publisherNames: [] } })).toMatchObject({ check: true });
  });

  it.each([
    ['an unpackaged run (npm start, tests)', { packaged: false }, 'unpackaged'],
    ['a kiosk, even if the policy allows updates', { kiosk: true }, 'kiosk'],
    ['a policy that turns updates off', { policyAllows: false }, 'policy'],
    ['a build without a feed (electron-builder.yml: publish null)', { feed: null }, 'no-feed'],
    ['a plain http feed', { feed: { ...FEED, url: 'http://updates.joldama.kz/stable' } }, 'feed-not-https'],
    ['a feed that is no URL', { feed: { ...FEED, url: 'updates.joldama.kz' } }, 'feed-not-https'],
    ['the portable .exe', { kind: 'portable' }, 'package-kind'],
    ['the deb (the package manager updates it)', { platform: 'linux', kind: 'deb' }, 'package-kind'],
    ['the tar.gz', { platform: 'linux', kind: 'other' }, 'package-kind'],
    ['macOS (no package is built)', { platform: 'darwin', kind: 'other' }, 'package-kind'],
    ['an NSIS build without a publisher name (electron-updater would not check the signature)', { feed: { ...FEED, publisherNames: [] } }, 'unsigned'],
    ['a package without the release key (resources/update-key.pem)', { releaseKey: null }, 'no-release-key'],
    ['an AppImage without the release key', { platform: 'linux', kind: 'appimage', releaseKey: null }, 'no-release-key'],
  ] as const)('never in %s', (_what, change, reason) => {
    expect(updateDecision({ ...home, ...change })).toEqual({ check: false, reason });
  });

  it('tells the package kinds apart by what each package leaves', () => {
    expect(packageKind('win32', {}, null)).toBe('nsis');
    expect(packageKind('win32', { PORTABLE_EXECUTABLE_FILE: 'D:\\Joldama.exe' }, null)).toBe('portable');
    expect(packageKind('linux', { APPIMAGE: '/home/u/Joldama.AppImage' }, null)).toBe('appimage');
    expect(packageKind('linux', { APPIMAGE: '/x' }, 'deb\n')).toBe('deb');
    expect(packageKind('linux', {}, null)).toBe('other');
    expect(packageKind('darwin', {}, null)).toBe('other');
  });
});

describe("the build's feed (app-update.yml)", () => {
  it('reads a generic feed and its publisher names, one or several', () => {
    expect(parseUpdateConfig('provider: generic\nurl: https://u.kz/stable\nupdaterCacheDirName: joldama-updater\npublisherName:\n  - CN=Joldama\n')).toEqual({
      url: 'https://u.kz/stable',
      publisherNames: ['CN=Joldama'],
    });
    expect(parseUpdateConfig('provider: generic\nurl: https://u.kz\npublisherName: Joldama\n')).toEqual({ url: 'https://u.kz', publisherNames: ['Joldama'] });
    expect(parseUpdateConfig('provider: generic\nurl: https://u.kz\n')).toEqual({ url: 'https://u.kz', publisherNames: [] });
  });

  it('refuses another provider, a missing URL, and what is not YAML', () => {
    expect(parseUpdateConfig('provider: github\nowner: x\nrepo: y\n')).toBeNull();
    expect(parseUpdateConfig('provider: generic\n')).toBeNull();
    expect(parseUpdateConfig('url: [unclosed\n')).toBeNull();
    expect(parseUpdateConfig('a: &x 1\nb: *x\n')).toBeNull();
  });

  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the resources folder: the feed and the deb marker; none there, no feed', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-resources-'));
    expect(await installedUpdateFacts({ resourcesPath: dir, platform: 'linux', env: { APPIMAGE: '/a' } })).toEqual({ feed: null, kind: 'appimage', releaseKey: null });
    await writeFile(path.join(dir, 'app-update.yml'), 'provider: generic\nurl: https://u.kz\n');
    await writeFile(path.join(dir, 'package-type'), 'deb');
    await writeFile(path.join(dir, 'update-key.pem'), release.publicKey.export({ type: 'spki', format: 'pem' }));
    const facts = await installedUpdateFacts({ resourcesPath: dir, platform: 'linux', env: {} });
    expect(facts).toMatchObject({ feed: { url: 'https://u.kz', publisherNames: [] }, kind: 'deb' });
    expect(facts.releaseKey?.equals(release.publicKey)).toBe(true);
  });

  it('takes only an Ed25519 public key as the release key', () => {
    expect(parseReleaseKey(release.publicKey.export({ type: 'spki', format: 'pem' }) as string)?.asymmetricKeyType).toBe('ed25519');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(parseReleaseKey(rsa)).toBeNull();
    expect(parseReleaseKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).toBeNull();
    expect(parseReleaseKey('')).toBeNull();
  });
});

/**
 * A stand-in for electron-updater's autoUpdater, in its order: `update-downloaded` is emitted, then
 * the quit handler is added only if autoInstallOnAppQuit is true; at quit the handler installs only
 * if the flag is still true (BaseUpdater.addQuitHandler, 6.8.10).
 */
interface StandIn extends Updater {
  checkForUpdates: Mock<() => Promise<unknown>>;
  quitAndInstall: Mock<() => void>;
  installedAtQuit: Mock<() => void>;
  emit(event: string, ...args: unknown[]): boolean;
  download(info: { version: string; downloadedFile: string }): void;
  quit(): void;
}
function standIn(): StandIn {
  const emitter = new EventEmitter();
  let quitHandler = false;
  const updater: StandIn = Object.assign(emitter, {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    checkForUpdates: vi.fn(async () => null),
    quitAndInstall: vi.fn(),
    installedAtQuit: vi.fn(),
    download(info: { version: string; downloadedFile: string }) {
      emitter.emit('update-downloaded', { ...info, files: [] });
      if (updater.autoInstallOnAppQuit) quitHandler = true;
    },
    quit() {
      if (quitHandler && updater.autoInstallOnAppQuit) updater.installedAtQuit();
    },
  });
  return updater;
}
const flush = () => new Promise((resolve) => setImmediate(resolve));
const quiet = { log: { warn: () => {}, error: () => {} } };
const exists = (file: string) => access(file).then(() => true, () => false);

/** The feed as a stand-in for net.fetch: file name → the .sig's body (absent: 404). */
function feedServing(sigs: Record<string, string>) {
  return vi.fn(async (url: string) => {
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    const body = sigs[name];
    return body === undefined ? new Response('not found', { status: 404 }) : new Response(body);
  });
}

describe('the update calls, with a stand-in updater and the release key', () => {
  let work: string;
  let appImage: string;
  beforeEach(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'joldama-update-'));
    appImage = path.join(work, 'Joldama-1.2.0.AppImage');
    await writeFile(appImage, 'the new AppImage');
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });
  const linuxHome = { ...home, platform: 'linux', kind: 'appimage' } as const;

  it('a download signed with the release key: offered once checked, installed on request or at quit', async () => {
    const updater = standIn();
    const context = fakeContext();
    const events: AppEvent[] = [];
    context.events.subscribe((e) => events.push(e));
    const fetch = feedServing({ 'Joldama-1.2.0.AppImage.sig': await signUpdateFile(appImage, '1.2.0', release.privateKey) });
    context.updates = startUpdates({ decision: updateDecision(linuxHome), updater: async () => updater, fetch, events: context.events, warn: () => {} });
    const dispatch = createDispatch(context, quiet);
    await flush();
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true });
    expect(await dispatch('update.status', {})).toEqual({ ok: true, value: { ready: null, refused: null } });
    expect(await dispatch('update.install', {})).toEqual({ ok: false, error: { code: 'UPDATE_NOT_READY' } });

    updater.download({ version: '1.2.0', downloadedFile: appImage });
    await vi.waitFor(() => expect(events).toContainEqual({ name: 'update.ready', payload: { version: '1.2.0' } }));
    expect(fetch).toHaveBeenCalledWith('https://updates.joldama.kz/stable/Joldama-1.2.0.AppImage.sig', expect.anything());
    expect(await dispatch('update.status', {})).toEqual({ ok: true, value: { ready: { version: '1.2.0' }, refused: null } });
    updater.quit();
    expect(updater.installedAtQuit).toHaveBeenCalledTimes(1);
    expect(await dispatch('update.install', {})).toEqual({ ok: true, value: {} });
    expect(updater.quitAndInstall).toHaveBeenCalledTimes(1);
    expect(await exists(appImage)).toBe(true);
    context.updates.stop();
  });

  it('nothing is installed at quit while the signature is still being checked', async () => {
    const updater = standIn();
    let answer: (r: Response) => void = () => {};
    const fetch = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    const control = startUpdates({ decision: updateDecision(linuxHome), updater: async () => updater, fetch, events: { emit: vi.fn() }, warn: () => {} });
    await flush();
    updater.download({ version: '1.2.0', downloadedFile: appImage });
    await flush();
    expect(fetch).toHaveBeenCalledTimes(1);
    updater.quit();
    expect(updater.installedAtQuit).not.toHaveBeenCalled();
    expect(control.install()).toBe(false);
    answer(new Response(await signUpdateFile(appImage, '1.2.0', release.privateKey)));
    await vi.waitFor(() => expect(control.ready()).toEqual({ version: '1.2.0' }));
    updater.quit();
    expect(updater.installedAtQuit).toHaveBeenCalledTimes(1);
    control.stop();
  });

  const other = generateKeyPairSync('ed25519');
  const cases: [string, () => Promise<string | undefined>, UpdateRefused['code'], UpdateRefused['reason']][] = [
    ['signed with another key', async () => signUpdateFile(appImage, '1.2.0', other.privateKey), 'UPDATE_SIGNATURE_INVALID', 'mismatch'],
    [
      'the file altered after signing',
      async () => {
        const sig = await signUpdateFile(appImage, '1.2.0', release.privateKey);
        await writeFile(appImage, 'the new AppImage, altered');
        return sig;
      },
      'UPDATE_SIGNATURE_INVALID',
      'mismatch',
    ],
    ['an older package signed as itself, offered as 1.2.0', async () => signUpdateFile(appImage, '1.1.0', release.privateKey), 'UPDATE_SIGNATURE_INVALID', 'mismatch'],
    ['no .sig on the feed', async () => undefined, 'UPDATE_SIGNATURE_MISSING', 'missing'],
    ['a .sig of 1 MB', async () => 'A'.repeat(1024 * 1024), 'UPDATE_SIGNATURE_INVALID', 'too-large'],
    ['a .sig that is no signature', async () => 'not a signature\n', 'UPDATE_SIGNATURE_INVALID', 'malformed'],
  ];
  it.each(cases)('%s: deleted, never offered or installed, the window told why', async (_what, makeSig, code, reason) => {
    const updater = standIn();
    const context = fakeContext();
    const events: AppEvent[] = [];
    context.events.subscribe((e) => events.push(e));
    const sig = await makeSig();
    const fetch = feedServing(sig === undefined ? {} : { 'Joldama-1.2.0.AppImage.sig': sig });
    const warn = vi.fn();
    context.updates = startUpdates({ decision: updateDecision(linuxHome), updater: async () => updater, fetch, events: context.events, warn });
    const dispatch = createDispatch(context, quiet);
    await flush();
    updater.download({ version: '1.2.0', downloadedFile: appImage });
    await vi.waitFor(() => expect(events.map((e) => e.name)).toContain('update.refused'));
    const refused = { version: '1.2.0', code, reason };
    expect(events).toEqual([{ name: 'update.refused', payload: refused }]);
    expect(await exists(appImage)).toBe(false);
    expect(await dispatch('update.status', {})).toEqual({ ok: true, value: { ready: null, refused } });
    expect(await dispatch('update.install', {})).toEqual({ ok: false, error: { code: 'UPDATE_NOT_READY' } });
    updater.quit();
    expect(updater.installedAtQuit).not.toHaveBeenCalled();
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(`update 1.2.0 refused: signature ${reason}`);
    context.updates.stop();
  });

  it('the Windows installer needs the release signature too', async () => {
    const updater = standIn();
    const installer = path.join(work, 'Joldama-Setup-1.2.0-x64.exe');
    await writeFile(installer, 'MZ the installer');
    const events = { emit: vi.fn() };
    const control = startUpdates({ decision: updateDecision(home), updater: async () => updater, fetch: feedServing({}), events, warn: () => {} });
    await flush();
    updater.download({ version: '1.2.0', downloadedFile: installer });
    await vi.waitFor(() => expect(control.refused()).toEqual({ version: '1.2.0', code: 'UPDATE_SIGNATURE_MISSING', reason: 'missing' }));
    expect(await exists(installer)).toBe(false);
    expect(events.emit).not.toHaveBeenCalledWith('update.ready', expect.anything());
    control.stop();
  });

  it('a failed check or download is a warning and the app goes on; the next look tries again', async () => {
    vi.useFakeTimers();
    try {
      const updater = standIn();
      updater.checkForUpdates.mockRejectedValueOnce(new Error('net::ERR_NAME_NOT_RESOLVED'));
      const warn = vi.fn();
      const control = startUpdates({ decision: updateDecision(home), updater: async () => updater, fetch: feedServing({}), events: { emit: vi.fn() }, warn, intervalMs: 1000 });
      await vi.advanceTimersByTimeAsync(0);
      updater.emit('error', new Error('sha512 checksum mismatch'));
      expect(warn.mock.calls.map(([m]) => m)).toEqual(['update check failed: net::ERR_NAME_NOT_RESOLVED', 'update failed: sha512 checksum mismatch']);
      await vi.advanceTimersByTimeAsync(1000);
      expect(updater.checkForUpdates).toHaveBeenCalledTimes(2);
      expect(control.ready()).toBeNull();
      control.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('never loads the updater when the decision says no; browser mode and kiosks answer UPDATE_NOT_READY', async () => {
    const updater = vi.fn(async () => standIn());
    expect(startUpdates({ decision: updateDecision({ ...home, kiosk: true }), updater, fetch: feedServing({}), events: { emit: vi.fn() }, warn: () => {} })).toBe(NO_UPDATES);
    expect(updater).not.toHaveBeenCalled();
    const dispatch = createDispatch(fakeContext(), quiet);
    expect(await dispatch('update.status', {})).toEqual({ ok: true, value: { ready: null, refused: null } });
    expect(await dispatch('update.install', {})).toEqual({ ok: false, error: { code: 'UPDATE_NOT_READY' } });
  });
});
