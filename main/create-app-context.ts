/** Builds the services behind the calls, the same way for Electron and for browser mode. */
import { AuthService } from './auth-service.ts';
import type { MainContext } from './context.ts';
import { PortalClient } from './portal-client.ts';
import { ReferralService } from './referral-service.ts';
import { openSettings } from './settings.ts';
import { lazyKeyBackend, SigningService, type KeyBackend } from './signing-service.ts';

export interface AppContextOptions {
  mode: MainContext['mode'];
  version: string;
  dataDir: string;
  /** Default: the documented policy path; null: none. */
  policyPath?: string | null;
  /** Use this portal for this run (unless the policy locks the address). */
  portalUrl?: string;
  demo?: boolean;
  demoKeysFolder?: string;
  pickKeyFile?: MainContext['pickKeyFile'];
  backend?: KeyBackend;
  fetch?: typeof fetch;
  warn?: (message: string) => void;
}

export async function createAppContext(options: AppContextOptions): Promise<MainContext> {
  const settings = await openSettings({
    dataDir: options.dataDir,
    ...(options.policyPath !== undefined ? { policyPath: options.policyPath } : {}),
    defaults: options.demo ? { trustStore: 'production+demo' } : {},
    ...(options.warn ? { warn: options.warn } : {}),
  });
  if (options.portalUrl && !settings.get().locked.includes('portalUrl')) {
    await settings.update({ portalUrl: options.portalUrl });
  }
  const signing = new SigningService(options.backend ?? lazyKeyBackend());
  const portal = new PortalClient({ baseUrl: () => settings.get().portalUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const auth = new AuthService(signing, portal);
  return {
    version: options.version,
    mode: options.mode,
    demo: options.demo ?? false,
    ...(options.demoKeysFolder ? { demoKeysFolder: options.demoKeysFolder } : {}),
    settings,
    signing,
    auth,
    portal,
    referral: new ReferralService(auth, portal, signing),
    ...(options.pickKeyFile ? { pickKeyFile: options.pickKeyFile } : {}),
  };
}
