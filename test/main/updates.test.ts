/**
 * Updates of a home install (main/updates.ts, docs/kiosk.md "Updates"): the decision whether to look
 * at all, what electron-builder leaves in the resources folder, and the update calls with a
 * stand-in for electron-updater.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEvent } from '../../contract/contract.ts';
import { createDispatch } from '../../main/dispatch.ts';
import {
  installedUpdateFacts,
  NO_UPDATES,
  packageKind,
  parseUpdateConfig,
  startUpdates,
  updateDecision,
  type UpdateFacts,
  type Updater,
} from '../../main/updates.ts';
import { fakeContext } from './helpers/fake-context.ts';

const FEED = { url: 'https://updates.joldama.kz/stable', publisherNames: ['CN=Joldama, O=Joldama, C=KZ'] };
const home: UpdateFacts = { packaged: true, kiosk: false, policyAllows: true, platform: 'win32', kind: 'nsis', feed: FEED };

describe('whether the app looks for updates', () => {
  it('a packaged NSIS install with a signed HTTPS feed, or an AppImage with an HTTPS feed', () => {
    expect(updateDecision(home)).toEqual({ check: true, feed: FEED });
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
    expect(await installedUpdateFacts({ resourcesPath: dir, platform: 'linux', env: { APPIMAGE: '/a' } })).toEqual({ feed: null, kind: 'appimage' });
    await writeFile(path.join(dir, 'app-update.yml'), 'provider: generic\nurl: https://u.kz\n');
    await writeFile(path.join(dir, 'package-type'), 'deb');
    expect(await installedUpdateFacts({ resourcesPath: dir, platform: 'linux', env: {} })).toEqual({ feed: { url: 'https://u.kz', publisherNames: [] }, kind: 'deb' });
  });
});

/** A stand-in for electron-updater's autoUpdater. */
function standIn() {
  const emitter = new EventEmitter();
  const updater = Object.assign(emitter, {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    checkForUpdates: vi.fn(async () => null),
    quitAndInstall: vi.fn(),
  }) as unknown as Updater & EventEmitter & { checkForUpdates: ReturnType<typeof vi.fn>; quitAndInstall: ReturnType<typeof vi.fn> };
  return updater;
}
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the update calls, with a stand-in updater', () => {
  it('looks at start, tells the window once an update is downloaded, installs it on request', async () => {
    const updater = standIn();
    const context = fakeContext();
    const events: AppEvent[] = [];
    context.events.subscribe((e) => events.push(e));
    context.updates = startUpdates({ decision: updateDecision(home), updater: async () => updater, events: context.events, warn: () => {} });
    const dispatch = createDispatch(context, { log: { warn: () => {}, error: () => {} } });
    await flush();
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true });
    expect(await dispatch('update.status', {})).toEqual({ ok: true, value: { ready: null } });
    expect(await dispatch('update.install', {})).toEqual({ ok: false, error: { code: 'UPDATE_NOT_READY' } });
    expect(updater.quitAndInstall).not.toHaveBeenCalled();

    updater.emit('update-downloaded', { version: '1.2.0', files: [] });
    expect(events).toContainEqual({ name: 'update.ready', payload: { version: '1.2.0' } });
    expect(await dispatch('update.status', {})).toEqual({ ok: true, value: { ready: { version: '1.2.0' } } });
    expect(await dispatch('update.install', {})).toEqual({ ok: true, value: {} });
    expect(updater.quitAndInstall).toHaveBeenCalledTimes(1);
    context.updates.stop();
  });

  it('a failed check or download is a warning and the app goes on; the next look tries again', async () => {
    vi.useFakeTimers();
    try {
      const updater = standIn();
      updater.checkForUpdates.mockRejectedValueOnce(new Error('net::ERR_NAME_NOT_RESOLVED'));
      const warn = vi.fn();
      const control = startUpdates({ decision: updateDecision(home), updater: async () => updater, events: { emit: vi.fn() }, warn, intervalMs: 1000 });
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
    expect(startUpdates({ decision: updateDecision({ ...home, kiosk: true }), updater, events: { emit: vi.fn() }, warn: () => {} })).toBe(NO_UPDATES);
    expect(updater).not.toHaveBeenCalled();
    const dispatch = createDispatch(fakeContext(), { log: { warn: () => {}, error: () => {} } });
    expect(await dispatch('update.status', {})).toEqual({ ok: true, value: { ready: null } });
    expect(await dispatch('update.install', {})).toEqual({ ok: false, error: { code: 'UPDATE_NOT_READY' } });
  });
});
