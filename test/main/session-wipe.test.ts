import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NO_POLICY, parsePolicy } from '../../main/policy/schema.ts';
import { wipeSession, type BrowserData } from '../../main/session-wipe.ts';
import { openSettings } from '../../main/settings.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-wipe-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const browser = () => ({
  clearStorageData: vi.fn<BrowserData['clearStorageData']>(async () => undefined),
  clearCache: vi.fn<BrowserData['clearCache']>(async () => undefined),
  clearAuthCache: vi.fn<BrowserData['clearAuthCache']>(async () => undefined),
  clearCodeCaches: vi.fn<BrowserData['clearCodeCaches']>(async () => undefined),
});

describe('ending a session on a shared computer (main side)', () => {
  it('logs out, forgets the last key folder, clears every kind of browser data and the history', async () => {
    const settings = await openSettings({ dataDir: dir, policy: NO_POLICY });
    await settings.update({ lastKeyPath: '/media/u/KEYS', language: 'en' });
    const auth = { logout: vi.fn(async () => undefined) };
    const data = browser();
    const history = { clear: vi.fn() };
    const drafts = { forgetAllDrafts: vi.fn(async () => undefined) };
    const ncalayer = { forgetSites: vi.fn(async () => undefined) };
    expect(await wipeSession({ auth, settings, drafts, ncalayer, browser: data, history })).toEqual([]);
    expect(drafts.forgetAllDrafts).toHaveBeenCalledOnce();
    // The NCALayer service's remembered sites (and a site's request waiting in the window) go too.
    expect(ncalayer.forgetSites).toHaveBeenCalledOnce();
    expect(auth.logout).toHaveBeenCalledOnce();
    expect(settings.get().lastKeyPath).toBeNull();
    expect(settings.get().language).toBe('kk');
    expect((await openSettings({ dataDir: dir, policy: NO_POLICY })).get().lastKeyPath).toBeNull();
    for (const clear of Object.values(data)) expect(clear).toHaveBeenCalledOnce();
    expect(history.clear).toHaveBeenCalledOnce();
  });

  it('runs every step when one fails and names the failed ones; a key folder the policy fixes stays', async () => {
    const settings = await openSettings({ dataDir: dir, policy: parsePolicy({ settings: { lastKeyPath: '/media/KEYS' } }, 'test') });
    const data = browser();
    data.clearStorageData.mockRejectedValueOnce(new Error('busy'));
    const failed = await wipeSession({ auth: { logout: async () => Promise.reject(new Error('offline')) }, settings, drafts: { forgetAllDrafts: async () => undefined }, browser: data });
    expect(failed).toEqual(['portal session', 'storage']);
    expect(data.clearCache).toHaveBeenCalledOnce();
    expect(data.clearCodeCaches).toHaveBeenCalledOnce();
    expect(settings.get().lastKeyPath).toBe('/media/KEYS');
  });
});
