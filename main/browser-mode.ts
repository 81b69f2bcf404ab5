/**
 * Browser mode: the contract over the loopback bridge, with the built renderer, for running the
 * UI in an ordinary browser (no Electron binary here) and for the end-to-end tests. It talks to
 * the portal at `portalUrl`; the demo launcher (demo/app.ts) starts a demo portal first and
 * passes its demo keys folder.
 */
import { readFile } from 'node:fs/promises';
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
  portalUrl: string;
  port?: number;
  /** Settings folder. Default: the user data folder. */
  dataDir?: string;
  /** Demo: the folder of demo keys the UI offers (and the demo CA trusted). */
  demoKeysFolder?: string;
  /** Tests: the signing backend (default: signing/index.ts). */
  backend?: KeyBackend;
  policyPath?: string | null;
  /** PKCS#11 modules beside the vendors' defaults; default: JOLDAMA_PKCS11_MODULES (modulesFromEnv). */
  tokenModules?: readonly string[];
  /** The NCALayer service's port (default 13579; 0: a free one, for tests). */
  ncalayerPort?: number;
  /**
   * Tests: these folders count as removable media (a session whose key file came from one ends when
   * the folder goes); default: this computer's removable media (removable-media.ts).
   */
  removableRoots?: readonly string[];
  /** Tests: how often the key file's medium is looked at (default 2 s). */
  mediumPollMs?: number;
  /** Tests: how often the applicant's feed is looked at for news (cabinet-watch.ts; default 30 s). */
  watchIntervalMs?: number;
}

/**
 * JOLDAMA_PKCS11_MODULES: PKCS#11 module paths separated by the OS's path list separator, for
 * unpackaged runs (browser mode, the end-to-end tests' SoftHSM). A packaged app reads its modules
 * from the installer's configuration only.
 */
export function modulesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.JOLDAMA_PKCS11_MODULES ?? '').split(path.delimiter).filter((p) => path.isAbsolute(p));
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

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const context = await createAppContext({
    mode: 'browser',
    version: await packageVersion(),
    dataDir: options.dataDir ?? defaultUserDataDir(),
    demo: options.demoKeysFolder !== undefined,
    ...(options.demoKeysFolder ? { demoKeysFolder: options.demoKeysFolder } : {}),
    portalUrl: options.portalUrl,
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.policyPath !== undefined ? { policyPath: options.policyPath } : {}),
    tokenModules: options.tokenModules ?? modulesFromEnv(),
    ...(options.ncalayerPort !== undefined ? { ncalayerPort: options.ncalayerPort } : {}),
    ...(options.removableRoots ? { removableRoots: async () => [...options.removableRoots!] } : {}),
    ...(options.mediumPollMs ? { mediumPollMs: options.mediumPollMs } : {}),
    ...(options.watchIntervalMs ? { watchIntervalMs: options.watchIntervalMs } : {}),
    warn: (message) => console.warn(`joldama: ${message}`),
  });
  const bridge = await startBridge({
    dispatch: createDispatch(context),
    subscribe: (listener) => {
      const unsubscribe = context.events.subscribe(listener);
      return () => {
        unsubscribe();
        // The last page showing the app went away: a site request waiting for it is cancelled.
        if (!context.events.hasListeners()) context.ncalayer.cancelPending();
      };
    },
    rendererRoot: RENDERER_DIST,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  // On when the user's setting or the policy says so; a port NCALayer holds is in its status.
  await context.ncalayer.startIfEnabled();
  return {
    url: bridge.url,
    portalUrl: context.settings.get().portalUrl,
    close: async () => {
      context.cabinetWatch.stop();
      await context.tokens.stop();
      await context.ncalayer.stop();
      await bridge.close();
    },
  };
}
