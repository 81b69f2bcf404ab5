/**
 * Browser mode: the contract over the loopback bridge, with the built renderer, for running the
 * UI in an ordinary browser (no Electron binary here) and for the end-to-end tests.
 * With `demo` and no `portalUrl`, the reference portal is started in demo mode on a free port
 * (it generates the demo PKI it trusts) and the key folder points at that PKI's keys.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBridge } from './bridge/server.ts';
import { createAppContext } from './create-app-context.ts';
import { createDispatch } from './dispatch.ts';
import { defaultUserDataDir } from './settings.ts';
import type { KeyBackend } from './signing-service.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_DIST = path.join(repoRoot, 'renderer', 'dist');

export interface BrowserModeOptions {
  port?: number;
  portalUrl?: string;
  demo?: boolean;
  /** Settings folder. Default: a fresh temporary folder in demo, the user data folder otherwise. */
  dataDir?: string;
  /** Demo with a given portalUrl: the demo keys to show (default: generated inside dataDir). */
  demoPkiDir?: string;
  /** Tests: the signing backend (default: signing/index.ts). */
  backend?: KeyBackend;
  policyPath?: string | null;
}

export interface BrowserMode {
  /** The address to open; includes `#token=`. */
  url: string;
  portalUrl: string;
  close(): Promise<void>;
}

async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

export async function startBrowserMode(options: BrowserModeOptions = {}): Promise<BrowserMode> {
  const demo = options.demo ?? false;
  const dataDir =
    options.dataDir ?? (demo ? await mkdtemp(path.join(os.tmpdir(), 'joldama-browser-')) : defaultUserDataDir());
  const cleanups: (() => Promise<void>)[] = [];
  // A temporary demo folder is ours to remove; a given or user folder never is.
  if (!options.dataDir && demo) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  try {
    let demoKeysFolder: string | undefined;
    let portalUrl = options.portalUrl;
    if (demo && !portalUrl) {
      // The demo portal generates (once) and trusts its own demo PKI in <its data folder>/demo-pki.
      const portalDataDir = path.join(dataDir, 'portal');
      const { startPortal } = await import('../portal/server/start.ts');
      const portal = await startPortal({ port: 0, demo: true, dataDir: portalDataDir, log: false });
      cleanups.unshift(() => portal.close());
      portalUrl = portal.url;
      demoKeysFolder = path.join(portalDataDir, 'demo-pki');
    } else if (demo) {
      // Another portal: show demo keys from the given folder, or generate a set for the UI.
      demoKeysFolder = options.demoPkiDir ?? path.join(dataDir, 'demo-pki');
      if (!existsSync(path.join(demoKeysFolder, 'index.json'))) {
        const { generateDemoPki } = await import('../signing/demo-pki/generate.ts');
        await generateDemoPki(demoKeysFolder);
      }
    }
    const context = await createAppContext({
      mode: 'browser',
      version: await packageVersion(),
      dataDir,
      demo,
      ...(demoKeysFolder ? { demoKeysFolder } : {}),
      ...(portalUrl ? { portalUrl } : {}),
      ...(options.backend ? { backend: options.backend } : {}),
      ...(options.policyPath !== undefined ? { policyPath: options.policyPath } : {}),
      warn: (message) => console.warn(`joldama: ${message}`),
    });
    const bridge = await startBridge({
      dispatch: createDispatch(context),
      rendererRoot: RENDERER_DIST,
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
    cleanups.unshift(() => bridge.close());
    return {
      url: bridge.url,
      portalUrl: context.settings.get().portalUrl,
      close: async () => {
        for (const cleanup of cleanups) await cleanup();
      },
    };
  } catch (e) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw e;
  }
}
