/** Builds the services behind the calls, the same way for Electron and for browser mode. */
import os from 'node:os';
import path from 'node:path';
import { ApplicationDraftStore } from './application-draft-store.ts';
import { ApplicationService } from './application-service.ts';
import { AuthService } from './auth-service.ts';
import { watchCabinet } from './cabinet-watch.ts';
import { DocumentService } from './document-service.ts';
import { EventHub } from './events.ts';
import { NcaLayerControl, tokenStorageNames } from './ncalayer/control.ts';
import { keyMediumWatcher } from './key-medium.ts';
import type { MainContext } from './context.ts';
import { PortalClient } from './portal-client.ts';
import { portalFetch } from './portal-fetch.ts';
import { ReferralService } from './referral-service.ts';
import { realpath } from 'node:fs/promises';
import { refuseKeyPath, refuseProofPath, removableMediaFence, systemRemovableRoots, type RemovableMedia } from './removable-media.ts';
import { loadPolicy, policyLocation } from './policy/load.ts';
import { NO_POLICY, type Policy } from './policy/schema.ts';
import { wipeSession } from './session-wipe.ts';
import { openSettings, type SettingsStore } from './settings.ts';
import { lazyKeyBackend, SigningService, type KeyBackend } from './signing-service.ts';
import { tokenAccess, type TokenAccess } from './token-access.ts';
import { TokenService } from './token-service.ts';
import { TrustService } from './trust-service.ts';
import { NO_UPDATES } from './updates.ts';

export interface AppContextOptions {
  mode: MainContext['mode'];
  version: string;
  dataDir: string;
  /** The policy, already loaded (Electron: policy/load.ts for this build). */
  policy?: Policy;
  /** Without `policy`: this file instead of the system's places (tests, browser mode; read as it is); null: none. */
  policyPath?: string | null;
  /** The installer's configuration (packaged app: config.json in its resources); absent: none. */
  installerConfigPath?: string | null;
  /** Browser mode's launcher: use this portal for this run (unless the installer's configuration or the policy sets one). */
  portalUrl?: string;
  demo?: boolean;
  demoKeysFolder?: string;
  pickKeyFile?: MainContext['pickKeyFile'];
  pickProofFile?: MainContext['pickProofFile'];
  backend?: KeyBackend;
  fetch?: typeof fetch;
  warn?: (message: string) => void;
  /** How often main looks for news in the applicant's feed (default 30 s). */
  watchIntervalMs?: number;
  /**
   * PKCS#11 modules to use beside the vendors' defaults and the installer's configuration
   * (docs/tokens.md, "Module paths"): browser mode's launcher; never the window.
   */
  tokenModules?: readonly string[];
  /** Tests: the tokens (default: the real modules, token-access.ts). */
  tokens?: TokenAccess;
  /** How often main looks at the token slots once the window has asked for tokens (default 2 s). */
  tokenPollMs?: number;
  /** The NCALayer service's port (default 13579; 0: a free one, for tests). */
  ncalayerPort?: number;
  /** The removable media's roots (default: this computer's, removable-media.ts); a folder in tests. */
  removableRoots?: () => Promise<string[]>;
  mediumPollMs?: number;
}

export async function createAppContext(options: AppContextOptions): Promise<MainContext> {
  const policy =
    options.policy ??
    (options.policyPath === null
      ? NO_POLICY
      : await loadPolicy(
          options.policyPath !== undefined
            ? { kind: 'override', file: options.policyPath }
            : policyLocation({ platform: process.platform, packaged: false, env: process.env }),
        ));
  const settings = await openSettings({
    dataDir: options.dataDir,
    policy,
    ...(options.installerConfigPath !== undefined ? { installerConfigPath: options.installerConfigPath } : {}),
    deployment: {
      ...(options.portalUrl ? { portalUrl: options.portalUrl } : {}),
      ...(options.demo ? { trustStore: 'production+demo' } : {}),
    },
    demo: options.demo ?? false,
    ...(options.warn ? { warn: options.warn } : {}),
  });
  return {
    version: options.version,
    mode: options.mode,
    demo: options.demo ?? false,
    ...(options.demoKeysFolder ? { demoKeysFolder: options.demoKeysFolder } : {}),
    ...assembleServices({
      settings,
      policy,
      backend: options.backend ?? lazyKeyBackend(),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.watchIntervalMs ? { watchIntervalMs: options.watchIntervalMs } : {}),
      ...(options.demoKeysFolder ? { demoKeysFolder: options.demoKeysFolder } : {}),
      tokens: options.tokens ?? tokenAccess([...(settings.tokenModules ?? []), ...(options.tokenModules ?? [])]),
      ...(options.tokenPollMs ? { tokenPollMs: options.tokenPollMs } : {}),
      removableRoots: options.removableRoots ?? (() => systemRemovableRoots()),
      ...(options.mediumPollMs ? { mediumPollMs: options.mediumPollMs } : {}),
      draftsDir: path.join(options.dataDir, 'application-drafts'),
      dataDir: options.dataDir,
      ...(options.ncalayerPort !== undefined ? { ncalayerPort: options.ncalayerPort } : {}),
      ...(options.warn ? { warn: options.warn } : {}),
    }),
    ...(options.pickKeyFile ? { pickKeyFile: options.pickKeyFile } : {}),
    ...(options.pickProofFile ? { pickProofFile: options.pickProofFile } : {}),
  };
}

type Services = Pick<MainContext, 'ncalayer' | 'endSession' | 'policy' | 'settings' | 'signing' | 'tokens' | 'auth' | 'portal' | 'referral' | 'applications' | 'documents' | 'trust' | 'events' | 'cabinetWatch' | 'windowActivity' | 'updates'>;

/** The services wired to each other: one way for the app and for tests that bring their own settings. */
export function assembleServices(options: {
  settings: SettingsStore;
  /** createAppContext passes the loaded policy; tests that bring their own settings may leave it out. */
  policy?: Policy;
  backend: KeyBackend;
  fetch?: typeof fetch;
  watchIntervalMs?: number;
  /** Demo: the demo keys folder, whose CA the demo trust store adds. */
  demoKeysFolder?: string;
  /** Hardware tokens; left out: none. The policy's key sources may also leave them out. */
  tokens?: TokenAccess;
  tokenPollMs?: number;
  /** The removable media's roots: a session whose key file came from one ends when it is removed; left out: not watched. */
  removableRoots?: () => Promise<string[]>;
  /** How often the key file's medium is looked at (default 2 s). */
  mediumPollMs?: number;
  /** Where the application wizard keeps its drafts (the user-data folder's application-drafts). */
  draftsDir?: string;
  /** The user-data folder (the NCALayer service's state and certificate); default: a temporary one. */
  dataDir?: string;
  ncalayerPort?: number;
  warn?: (message: string) => void;
}): Services {
  const { settings } = options;
  const policy = options.policy ?? NO_POLICY;
  const tokenKeys = options.tokens && policy.keySources.includes('token') ? options.tokens : null;
  // removableMediaOnly holds in main for every path the window sends, not only in the dialogs.
  const media: RemovableMedia = { platform: process.platform, removableRoots: options.removableRoots ?? (() => systemRemovableRoots()), realpath: (p) => realpath(p) };
  const asGiven = async (p: string) => p;
  const keyPaths = policy.removableMediaOnly ? removableMediaFence(media, refuseKeyPath) : asGiven;
  const proofPaths = policy.removableMediaOnly ? removableMediaFence(media, refuseProofPath) : asGiven;
  const signing = new SigningService(options.backend, undefined, tokenKeys, policy.keySources.includes('file'), keyPaths);
  const portal = new PortalClient({ baseUrl: () => settings.get().portalUrl, fetch: options.fetch ?? portalFetch() });
  const events = new EventHub();
  const watchKeyFile = options.removableRoots
    ? keyMediumWatcher({
        platform: process.platform,
        removableRoots: options.removableRoots,
        ...(options.mediumPollMs ? { intervalMs: options.mediumPollMs } : {}),
      })
    : undefined;
  // The watch is made below; a session starts only after both exist.
  const auth = new AuthService(signing, portal, (reason) => events.emit('session.ended', { reason }), watchKeyFile, () => cabinetWatch.loggedIn());
  const windowActivity = { lastCallAt: Date.now() };
  const cabinetWatch = watchCabinet({
    auth,
    portal,
    events,
    lastWindowCall: () => windowActivity.lastCallAt,
    ...(options.watchIntervalMs ? { intervalMs: options.watchIntervalMs } : {}),
  });
  const trust = new TrustService({
    choice: () => settings.get().trustStore,
    ...(options.demoKeysFolder ? { demoKeysFolder: options.demoKeysFolder } : {}),
  });
  const tokens = new TokenService(tokenKeys, {
    onListed: (certificate) => signing.rememberListed(certificate),
    // A token plugged in or removed: the window lists them again; a session whose key's token left ends.
    onChange: (present) => {
      events.emit('tokens.changed', {});
      void auth.tokensPresent(present);
    },
    ...(options.tokenPollMs ? { intervalMs: options.tokenPollMs } : {}),
  });
  const applications = new ApplicationService(
    auth,
    portal,
    signing,
    new ApplicationDraftStore(options.draftsDir ?? path.join(os.tmpdir(), `joldama-drafts-${process.pid}`)),
    proofPaths,
  );
  const ncalayer = new NcaLayerControl({
    dataDir: options.dataDir ?? path.join(os.tmpdir(), `joldama-ncalayer-${process.pid}`),
    forced: policy.ncalayer,
    ...(options.ncalayerPort !== undefined ? { port: options.ncalayerPort } : {}),
    signing,
    window: {
      show: (request) => events.emit('ncalayer.request', request),
      closed: (requestId) => events.emit('ncalayer.requestClosed', { requestId }),
      windowOpen: () => events.hasListeners(),
      // Listing tokens needs no PIN; without tokens (or their support) there are none.
      activeTokens: async () => (tokenKeys ? tokenStorageNames((await tokens.list().catch(() => ({ tokens: [] }))).tokens) : []),
    },
    ...(options.warn ? { warn: options.warn } : {}),
  });
  return {
    policy,
    ncalayer,
    // Electron replaces it with one that also clears Chromium's storage and the window's history.
    endSession: () => wipeSession({ auth, settings, drafts: applications, ncalayer }),
    settings,
    signing,
    tokens,
    auth,
    portal,
    referral: new ReferralService(auth, portal, signing),
    applications,
    documents: new DocumentService(auth, portal, trust),
    trust,
    events,
    cabinetWatch,
    windowActivity,
    // Electron replaces it for a home install with a feed (updates.ts); nothing else updates itself.
    updates: NO_UPDATES,
  };
}
