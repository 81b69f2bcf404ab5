/**
 * The demo app: browser mode (main/browser-mode.ts) against a demo portal started here (or a
 * given portal), with the demo keys offered in the key dialog. Used by `npm start` where no
 * Electron binary is installed, by `npm run start:browser` and by the end-to-end tests.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBrowserMode, type BrowserModeOptions } from '../main/browser-mode.ts';
import { generateDemoPki } from './pki/generate.ts';
import { demoPkiFolder, startDemoPortal } from './portal/start.ts';

export interface DemoAppOptions extends Omit<BrowserModeOptions, 'portalUrl' | 'demoKeysFolder' | 'dataDir'> {
  /** Another portal to talk to; default: a demo portal started on a free port. */
  portalUrl?: string;
  /** Where the app's settings, the demo portal's data and its keys go; default a temporary folder, removed on close. */
  dataDir?: string;
  /** Called before each step that may take a while (the user sees progress). */
  progress?: (step: string) => void;
}

export interface DemoApp {
  /** The address to open; includes `#token=`. */
  url: string;
  portalUrl: string;
  demoKeysFolder: string;
  close(): Promise<void>;
}

export async function startDemoApp(options: DemoAppOptions = {}): Promise<DemoApp> {
  const { portalUrl: givenPortal, dataDir: givenDir, progress, ...rest } = options;
  const dataDir = givenDir ?? (await mkdtemp(path.join(os.tmpdir(), 'joldama-demo-')));
  const cleanups: (() => Promise<void>)[] = [];
  // A temporary folder is ours to remove; a given one never is.
  if (!givenDir) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  try {
    let portalUrl = givenPortal;
    let demoKeysFolder: string;
    if (!portalUrl) {
      const portalDataDir = path.join(dataDir, 'portal');
      progress?.('starting the demo portal (demo keys and data are made on the first start)');
      const portal = await startDemoPortal({ port: 0, dataDir: portalDataDir, log: false });
      cleanups.unshift(() => portal.close());
      portalUrl = portal.url;
      demoKeysFolder = demoPkiFolder(portalDataDir);
    } else {
      // Another portal: offer demo keys from a set made for the UI.
      demoKeysFolder = path.join(dataDir, 'demo-pki');
      if (!existsSync(path.join(demoKeysFolder, 'index.json'))) {
        progress?.('making demo keys');
        await generateDemoPki(demoKeysFolder);
      }
    }
    const mode = await startBrowserMode({ ...rest, portalUrl, demoKeysFolder, dataDir: path.join(dataDir, 'app') });
    cleanups.unshift(() => mode.close());
    return {
      url: mode.url,
      portalUrl: mode.portalUrl,
      demoKeysFolder,
      close: async () => {
        for (const cleanup of cleanups) await cleanup();
      },
    };
  } catch (e) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw e;
  }
}
