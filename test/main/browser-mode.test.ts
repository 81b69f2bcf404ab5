import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBridgeApi, tokenFromFragment } from '../../contract/bridge-client.ts';
import { startBrowserMode, type BrowserMode } from '../../main/browser-mode.ts';
import { getDemoPki } from '../helpers/demo-pki.ts';

let app: BrowserMode;
let dataDir: string;
let demoPkiDir: string;

beforeAll(async () => {
  demoPkiDir = (await getDemoPki()).dir;
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'joldama-browser-test-'));
  app = await startBrowserMode({ portalUrl: 'http://127.0.0.1:9', dataDir, demoKeysFolder: demoPkiDir, policyPath: null });
});

afterAll(async () => {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('browser mode', () => {
  it('serves the contract on 127.0.0.1 with a token in the URL fragment', async () => {
    const url = new URL(app.url);
    expect(url.hostname).toBe('127.0.0.1');
    const token = tokenFromFragment(url.hash);
    expect(token).not.toBeNull();
    const api = createBridgeApi(token!, fetch, url.origin);
    expect(await api['app.info']({})).toEqual({
      ok: true,
      value: {
        version: expect.any(String),
        mode: 'browser',
        portalUrl: 'http://127.0.0.1:9',
        demo: true,
        demoKeysFolder: demoPkiDir,
        policy: expect.objectContaining({ kiosk: false, idleTimeoutSeconds: null }),
      },
    });
    expect(await api['settings.get']({})).toMatchObject({ ok: true, value: { trustStore: 'production+demo', portalUrl: 'http://127.0.0.1:9' } });
    expect(app.portalUrl).toBe('http://127.0.0.1:9');
  });

  it('keeps settings in the given data folder', async () => {
    const token = tokenFromFragment(new URL(app.url).hash)!;
    const api = createBridgeApi(token, fetch, new URL(app.url).origin);
    expect(await api['settings.update']({ language: 'ru' })).toMatchObject({ ok: true, value: { language: 'ru' } });
    expect(existsSync(path.join(dataDir, 'settings.json'))).toBe(true);
  });
});
