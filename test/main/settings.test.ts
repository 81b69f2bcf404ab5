import { promises as fsPromises } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppFailure } from '../../main/errors.ts';
import { portalAddressProblem } from '../../main/portal-address.ts';
import { NO_POLICY, parsePolicy } from '../../main/policy/schema.ts';
import { DEFAULT_DEPLOYMENT, DEFAULT_PREFERENCES, openSettings } from '../../main/settings.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-settings-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const DEFAULTS = { ...DEFAULT_PREFERENCES, ...DEFAULT_DEPLOYMENT, locked: [] };

describe('settings', () => {
  it('starts from defaults when there is no file, and persists updates', async () => {
    const store = await openSettings({ dataDir: dir, policy: NO_POLICY });
    expect(store.get()).toEqual(DEFAULTS);
    await store.update({ language: 'ru', lastKeyPath: '/home/u/keys' });
    const reopened = await openSettings({ dataDir: dir, policy: NO_POLICY });
    expect(reopened.get()).toMatchObject({ language: 'ru', lastKeyPath: '/home/u/keys', trustStore: 'production' });
    const onDisk = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'));
    expect(onDisk).toEqual({ language: 'ru', lastKeyPath: '/home/u/keys' });
  });

  it('ignores undefined fields in an update', async () => {
    const store = await openSettings({ dataDir: dir, policy: NO_POLICY, defaults: { language: 'en' } });
    expect((await store.update({ language: undefined, lastKeyPath: '/k' })).language).toBe('en');
  });

  it.each([
    ['not JSON', '{ nope'],
    ['wrong types', JSON.stringify({ ...DEFAULT_PREFERENCES, language: 'de' })],
    ['unknown keys', JSON.stringify({ ...DEFAULT_PREFERENCES, extra: 1 })],
    ['a portal address (the user file cannot set one)', JSON.stringify({ ...DEFAULT_PREFERENCES, portalUrl: 'https://evil.test' })],
    ['a trust store (the user file cannot widen it)', JSON.stringify({ ...DEFAULT_PREFERENCES, trustStore: 'production+nca-test' })],
  ])('backs up a corrupt file (%s) and uses defaults', async (_label, content) => {
    await writeFile(path.join(dir, 'settings.json'), content);
    const warnings: string[] = [];
    const store = await openSettings({ dataDir: dir, policy: NO_POLICY, warn: (m) => warnings.push(m) });
    expect(store.get()).toEqual(DEFAULTS);
    expect(warnings).toHaveLength(1);
    const files = await readdir(dir);
    const backup = files.find((f) => f.startsWith('settings.json.corrupt-'));
    expect(backup).toBeDefined();
    expect(await readFile(path.join(dir, backup!), 'utf8')).toBe(content);
  });

  it('applies and locks the fields an administrator policy names', async () => {
    const policy = parsePolicy({ settings: { portalUrl: 'https://portal.gov.kz', trustStore: 'production', language: 'kk' } }, 'test');
    const store = await openSettings({ dataDir: dir, policy });
    expect(store.get().portalUrl).toBe('https://portal.gov.kz');
    expect([...store.get().locked].sort()).toEqual(['language', 'portalUrl', 'trustStore']);
    await expect(store.update({ language: 'ru' })).rejects.toMatchObject({ code: 'SETTING_LOCKED', details: { field: 'language' } });
    expect((await store.update({ lastKeyPath: '/k' })).lastKeyPath).toBe('/k');
    expect(store.get().portalUrl).toBe('https://portal.gov.kz');
  });

  it('offers only the languages the policy allows: a stored one it does not gives way, an update to one is refused', async () => {
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ language: 'en', lastKeyPath: null }));
    const store = await openSettings({ dataDir: dir, policy: parsePolicy({ languages: ['ru', 'kk'] }, 'test') });
    expect(store.get()).toMatchObject({ language: 'ru', locked: [] });
    await expect(store.update({ language: 'en' })).rejects.toMatchObject({ code: 'SETTING_LOCKED', details: { field: 'language' } });
    expect((await store.update({ language: 'kk' })).language).toBe('kk');
  });

  it('refuses invalid updates', async () => {
    const store = await openSettings({ dataDir: dir, policy: NO_POLICY });
    await expect(store.update({ language: 'xx' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('never keeps a network or relative folder as the last key folder', async () => {
    const store = await openSettings({ dataDir: dir, policy: NO_POLICY });
    await expect(store.update({ lastKeyPath: '\\\\host\\share\\Keys' })).rejects.toMatchObject({ code: 'KEY_PATH_REFUSED', details: { reason: 'network' } });
    await expect(store.update({ lastKeyPath: '//host/share/Keys' })).rejects.toMatchObject({ code: 'KEY_PATH_REFUSED' });
    await expect(store.update({ lastKeyPath: 'Keys' })).rejects.toMatchObject({ code: 'KEY_PATH_REFUSED', details: { reason: 'relative' } });
    expect(store.get().lastKeyPath).toBeNull();
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ language: 'ru', lastKeyPath: '//host/share/Keys' }));
    expect((await openSettings({ dataDir: dir, policy: NO_POLICY })).get()).toMatchObject({ language: 'ru', lastKeyPath: null });
  });

});

describe("the portal's address: never the window's", () => {
  it('settings.update cannot set the portal address or the trust store, even to valid values', async () => {
    const store = await openSettings({ dataDir: dir, policy: NO_POLICY });
    await expect(store.update({ portalUrl: 'https://other-portal.kz' } as never)).rejects.toBeInstanceOf(AppFailure);
    await expect(store.update({ trustStore: 'production+nca-test' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(store.get()).toMatchObject({ portalUrl: DEFAULT_DEPLOYMENT.portalUrl, trustStore: 'production' });
  });

  it("comes from the installer's configuration, below the policy and above the launcher's value", async () => {
    const config = path.join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ portalUrl: 'https://portal.region.kz' }));
    const launched = { dataDir: dir, policy: NO_POLICY, deployment: { portalUrl: 'https://launcher.kz' } };
    expect((await openSettings(launched)).get().portalUrl).toBe('https://launcher.kz');
    expect((await openSettings({ ...launched, installerConfigPath: config })).get()).toMatchObject({ portalUrl: 'https://portal.region.kz', locked: [] });
    const policy = parsePolicy({ settings: { portalUrl: 'https://portal.gov.kz' } }, 'test');
    expect((await openSettings({ ...launched, installerConfigPath: config, policy })).get()).toMatchObject({
      portalUrl: 'https://portal.gov.kz',
      locked: ['portalUrl'],
    });
    await writeFile(config, '{ "portalUrl": 7 }');
    await expect(openSettings({ ...launched, installerConfigPath: config })).rejects.toMatchObject({ code: 'INSTALLER_CONFIG_INVALID' });
  });

  it('is https, or loopback http in demo mode only', async () => {
    const open = (portalUrl: string, demo = false) => openSettings({ dataDir: dir, policy: NO_POLICY, demo, deployment: { portalUrl } });
    await expect(open('http://portal.kz')).rejects.toMatchObject({ code: 'PORTAL_ADDRESS_REFUSED' });
    await expect(open('http://127.0.0.1:8740')).rejects.toMatchObject({ code: 'PORTAL_ADDRESS_REFUSED' });
    expect((await open('http://127.0.0.1:8740', true)).get().portalUrl).toBe('http://127.0.0.1:8740');
    await expect(open('http://portal.kz', true)).rejects.toMatchObject({ code: 'PORTAL_ADDRESS_REFUSED' });
    const policy = parsePolicy({ settings: { portalUrl: 'http://portal.gov.kz' } }, 'test');
    await expect(openSettings({ dataDir: dir, policy })).rejects.toMatchObject({ code: 'PORTAL_ADDRESS_REFUSED' });
  });

  it.each([
    ['https://portal.kz', false, null],
    ['https://portal.kz/joldama/', false, null],
    ['http://localhost:8740', true, null],
    ['http://[::1]:8740', true, null],
    ['http://127.1.2.3', true, null],
    ['http://localhost:8740', false, 'plain http'],
    ['http://10.0.0.1', true, 'plain http'],
    ['http://127.0.0.1.evil.kz', true, 'plain http'],
    ['https://user:pw@portal.kz', false, 'credentials'],
    ['file:///etc/passwd', true, 'scheme file:'],
    ['javascript:alert(1)', true, 'scheme javascript:'],
    ['not a url', true, 'not a URL'],
  ])('portalAddressProblem(%s, demo %s)', (url, demo, problem) => {
    const found = portalAddressProblem(url, { demo });
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });
});

describe('settings writes', () => {
  it('loses no change when updates come at once (50 tries), and leaves no temporary file', async () => {
    for (let i = 0; i < 50; i++) {
      const store = await openSettings({ dataDir: dir, policy: NO_POLICY });
      const language = i % 2 === 0 ? 'ru' : 'en';
      await Promise.all([store.update({ language }), store.update({ lastKeyPath: `/keys/${i}` }), store.update({ lastKeyPath: `/keys/${i}/last` })]);
      expect(store.get()).toMatchObject({ language, lastKeyPath: `/keys/${i}/last` });
      expect(JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'))).toEqual({ language, lastKeyPath: `/keys/${i}/last` });
    }
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('writes a temporary file of its own, created exclusively and flushed before the rename', async () => {
    const steps: string[] = [];
    const open = fsPromises.open.bind(fsPromises);
    vi.spyOn(fsPromises, 'open').mockImplementation(async (file, flags, mode) => {
      const handle = await open(file, flags, mode);
      if (String(file).endsWith('.tmp')) {
        steps.push(`open ${String(flags)} ${(Number(mode) & 0o777).toString(8)}`);
        const sync = handle.sync.bind(handle);
        handle.sync = async () => (steps.push('sync'), sync());
      }
      return handle;
    });
    const rename = fsPromises.rename.bind(fsPromises);
    vi.spyOn(fsPromises, 'rename').mockImplementation(async (from, to) => (steps.push('rename'), rename(from, to)));
    const store = await openSettings({ dataDir: dir, policy: NO_POLICY });
    await store.update({ language: 'ru' });
    expect(steps).toEqual(['open wx 600', 'sync', 'rename']);
  });

  it('tries the rename again when Windows says EPERM (a reader holds the file)', async () => {
    const rename = fsPromises.rename.bind(fsPromises);
    const eperm = Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' });
    vi.spyOn(fsPromises, 'rename').mockRejectedValueOnce(eperm).mockRejectedValueOnce(eperm).mockImplementation(rename);
    const store = await openSettings({ dataDir: dir, policy: NO_POLICY });
    await store.update({ language: 'en' });
    expect(JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'))).toMatchObject({ language: 'en' });
    expect(fsPromises.rename).toHaveBeenCalledTimes(3);
  });

  it('gives up on a rename that keeps failing, keeps the old settings and removes its temporary file', async () => {
    const store = await openSettings({ dataDir: dir, policy: NO_POLICY });
    await store.update({ language: 'ru' });
    vi.spyOn(fsPromises, 'rename').mockRejectedValue(Object.assign(new Error('EPERM'), { code: 'EPERM' }));
    await expect(store.update({ language: 'en' })).rejects.toMatchObject({ code: 'EPERM' });
    expect(store.get().language).toBe('ru');
    expect(await readdir(dir)).toEqual(['settings.json']);
    // The queue goes on after a failure.
    vi.restoreAllMocks();
    expect((await store.update({ language: 'en' })).language).toBe('en');
  });
});
