/**
 * `npm start` keeps its demo (keys, portal data, settings) in one folder from run to run, and
 * starts it afresh when asked or when its keys have aged.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_MAX_AGE_DAYS, defaultDemoDataDir, demoGuide, openDemoDataDir, startDemoApp } from '../../demo/app.ts';

const DAY = 86_400_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A demo folder whose demo keys (for another portal) were made at `madeAt`. */
function demoFolder(madeAt: Date): string {
  const dir = mkdtempSync(join(tmpdir(), 'joldama-demo-data-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'demo-pki'));
  writeFileSync(join(dir, 'demo-pki', 'index.json'), JSON.stringify({ generatedAt: madeAt.toISOString() }));
  return dir;
}

describe('the demo data folder', () => {
  it('is reused: the demo keys are made once', async () => {
    const madeAt = new Date(Date.now() - DAY);
    const dir = demoFolder(madeAt);
    expect(await openDemoDataDir(dir)).toBeUndefined();
    const app = await startDemoApp({ dataDir: dir, portalUrl: 'http://127.0.0.1:9' });
    await app.close();
    expect(app.demoKeysFolder).toBe(join(dir, 'demo-pki'));
    expect(app.messageLog).toBeUndefined(); // another portal sends its own messages
    expect(JSON.parse(readFileSync(join(dir, 'demo-pki', 'index.json'), 'utf8'))).toEqual({ generatedAt: madeAt.toISOString() });
    expect(existsSync(join(dir, 'app'))).toBe(true); // the app's settings live beside them
  });

  it(`starts afresh when its keys are older than ${DEMO_MAX_AGE_DAYS} days, or when asked`, async () => {
    const now = new Date();
    const young = demoFolder(new Date(now.getTime() - (DEMO_MAX_AGE_DAYS - 1) * DAY));
    expect(await openDemoDataDir(young, { now })).toBeUndefined();
    expect(existsSync(young)).toBe(true);
    const old = demoFolder(new Date(now.getTime() - (DEMO_MAX_AGE_DAYS + 1) * DAY));
    expect(await openDemoDataDir(old, { now })).toMatch(/more than 30 days old/);
    expect(existsSync(old)).toBe(false);
    expect(await openDemoDataDir(young, { reset: true })).toMatch(/--reset-demo/);
    expect(existsSync(young)).toBe(false);
  });

  it("lives in the user's cache folder", () => {
    expect(defaultDemoDataDir({ XDG_CACHE_HOME: '/c' }, 'linux')).toBe('/c/joldama/demo');
    expect(defaultDemoDataDir({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32')).toMatch(/Joldama.demo$/);
    expect(defaultDemoDataDir({}, 'darwin')).toMatch(/Library\/Caches\/Joldama\/demo$/);
  });
});

describe("npm start's guide", () => {
  it('says where the demo portal writes its SMS and e-mail, when the demo runs its own portal', () => {
    const withOwn = demoGuide('/d/demo-pki', '/d/portal/notifications.log');
    expect(withOwn.at(-1)).toBe("demo SMS and e-mail (the codes for the IIN + password login and the application's phone) go to /d/portal/notifications.log");
    expect(demoGuide('/d/demo-pki').some((l) => l.includes('SMS'))).toBe(false);
  });
});
