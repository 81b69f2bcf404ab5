import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../main/errors.ts';
import { DEFAULT_SETTINGS, defaultPolicyPath, openSettings } from '../../main/settings.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('settings', () => {
  it('starts from defaults when there is no file, and persists updates', async () => {
    const store = await openSettings({ dataDir: dir, policyPath: null });
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, locked: [] });
    await store.update({ language: 'ru', lastKeyPath: '/home/u/keys' });
    const reopened = await openSettings({ dataDir: dir, policyPath: null });
    expect(reopened.get()).toMatchObject({ language: 'ru', lastKeyPath: '/home/u/keys', trustStore: 'production' });
    const onDisk = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'));
    expect(onDisk).not.toHaveProperty('locked');
  });

  it('ignores undefined fields in an update', async () => {
    const store = await openSettings({ dataDir: dir, policyPath: null, defaults: { language: 'en' } });
    expect((await store.update({ language: undefined, trustStore: 'production+demo' })).language).toBe('en');
  });

  it.each([
    ['not JSON', '{ nope'],
    ['wrong types', JSON.stringify({ ...DEFAULT_SETTINGS, language: 'de' })],
    ['unknown keys', JSON.stringify({ ...DEFAULT_SETTINGS, extra: 1 })],
    ['a javascript: portal', JSON.stringify({ ...DEFAULT_SETTINGS, portalUrl: 'javascript:alert(1)' })],
  ])('backs up a corrupt file (%s) and uses defaults', async (_label, content) => {
    await writeFile(path.join(dir, 'settings.json'), content);
    const warnings: string[] = [];
    const store = await openSettings({ dataDir: dir, policyPath: null, warn: (m) => warnings.push(m) });
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, locked: [] });
    expect(warnings).toHaveLength(1);
    const files = await readdir(dir);
    const backup = files.find((f) => f.startsWith('settings.json.corrupt-'));
    expect(backup).toBeDefined();
    expect(await readFile(path.join(dir, backup!), 'utf8')).toBe(content);
  });

  it('applies and locks the fields an administrator policy names', async () => {
    const policy = path.join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ settings: { portalUrl: 'https://portal.gov.kz', trustStore: 'production' } }));
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, portalUrl: 'http://evil.test' }));
    const store = await openSettings({ dataDir: dir, policyPath: policy });
    expect(store.get()).toMatchObject({ portalUrl: 'https://portal.gov.kz', locked: ['portalUrl', 'trustStore'] });
    await expect(store.update({ portalUrl: 'http://evil.test' })).rejects.toMatchObject({
      code: 'SETTING_LOCKED',
      details: { field: 'portalUrl' },
    });
    await expect(store.update({ trustStore: 'production+nca-test' })).rejects.toBeInstanceOf(AppFailure);
    expect((await store.update({ language: 'ru' })).language).toBe('ru');
    expect(store.get().portalUrl).toBe('https://portal.gov.kz');
  });

  it('refuses to start with an invalid policy file rather than running unlocked', async () => {
    const policy = path.join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ settings: { portalUrl: 42 } }));
    await expect(openSettings({ dataDir: dir, policyPath: policy })).rejects.toMatchObject({ code: 'POLICY_INVALID' });
  });

  it('refuses invalid updates', async () => {
    const store = await openSettings({ dataDir: dir, policyPath: null });
    await expect(store.update({ language: 'xx' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(store.update({ portalUrl: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('documents where the policy lives', () => {
    expect(defaultPolicyPath({}, 'linux')).toBe('/etc/joldama/policy.json');
    expect(defaultPolicyPath({ ProgramData: 'D:\\PD' }, 'win32')).toBe('D:\\PD\\Joldama\\policy.json');
    expect(defaultPolicyPath({ JOLDAMA_POLICY_FILE: '/x/p.json' }, 'linux')).toBe('/x/p.json');
  });
});
