/**
 * Updates of a home install (docs/kiosk.md, "Updates"): electron-updater against the HTTPS feed
 * the release build names, never in a kiosk or when the administrator's policy turns updates off.
 * Whether to look at all is decided here, from plain facts (updateDecision, tested); the
 * updater itself sits behind the `Updater` interface (electron-main.ts passes electron-updater's,
 * tests a stand-in). What electron-updater checks of a download, per package:
 * - NSIS installer (Windows): the feed's SHA-512, then the installer's Authenticode signature: valid
 *   and its subject matching `publisherName` in app-update.yml. Without a publisherName
 *   electron-updater skips that check, so no publisherName means no updates here;
 * - AppImage (Linux): the feed's SHA-512 only: the HTTPS feed is the only thing vouching for it;
 * - deb: electron-updater would install the downloaded package as root with `dpkg -i`, vouched for by
 *   the feed's SHA-512 only: not here, the package manager or the office's deployment updates it;
 *   tar.gz and the portable .exe cannot be updated in place: never.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { EventHub } from './events.ts';

/** The file electron-builder writes beside app.asar when the build names a feed (`publish`). */
export const UPDATE_CONFIG_FILE = 'app-update.yml';

/** How this copy of the app was installed, as far as updating goes. */
export type PackageKind = 'nsis' | 'portable' | 'appimage' | 'deb' | 'other';

export interface UpdateFeed {
  url: string;
  /** The Authenticode subjects (full DN or CN) an NSIS update must be signed by. */
  publisherNames: readonly string[];
}

export type NoUpdateReason = 'unpackaged' | 'kiosk' | 'policy' | 'no-feed' | 'feed-not-https' | 'package-kind' | 'unsigned';
export type UpdateDecision = { check: true; feed: UpdateFeed } | { check: false; reason: NoUpdateReason };

export interface UpdateFacts {
  packaged: boolean;
  kiosk: boolean;
  /** The policy's `updates` (false: the administrator turned them off). */
  policyAllows: boolean;
  platform: NodeJS.Platform;
  kind: PackageKind;
  /** The build's feed (app-update.yml), null when it names none. */
  feed: UpdateFeed | null;
}

export function updateDecision(facts: UpdateFacts): UpdateDecision {
  if (!facts.packaged) return { check: false, reason: 'unpackaged' };
  if (facts.kiosk) return { check: false, reason: 'kiosk' };
  if (!facts.policyAllows) return { check: false, reason: 'policy' };
  if (!facts.feed) return { check: false, reason: 'no-feed' };
  if (!URL.canParse(facts.feed.url) || new URL(facts.feed.url).protocol !== 'https:') return { check: false, reason: 'feed-not-https' };
  const updatable = (facts.platform === 'win32' && facts.kind === 'nsis') || (facts.platform === 'linux' && facts.kind === 'appimage');
  if (!updatable) return { check: false, reason: 'package-kind' };
  if (facts.platform === 'win32' && facts.feed.publisherNames.length === 0) return { check: false, reason: 'unsigned' };
  return { check: true, feed: facts.feed };
}

/**
 * The package kind from what the packages leave: electron-builder's portable .exe sets
 * PORTABLE_EXECUTABLE_FILE, an AppImage's runtime sets APPIMAGE, the deb ships
 * resources/package-type "deb" (read by the caller); anything else on Linux is the tar.gz.
 */
export function packageKind(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, packageType: string | null): PackageKind {
  if (platform === 'win32') return env.PORTABLE_EXECUTABLE_FILE ? 'portable' : 'nsis';
  if (platform !== 'linux') return 'other';
  if (packageType?.trim() === 'deb') return 'deb';
  return env.APPIMAGE ? 'appimage' : 'other';
}

const UpdateConfig = z.object({
  provider: z.literal('generic'),
  url: z.string().max(2048),
  publisherName: z.union([z.string().min(1).max(1024), z.array(z.string().min(1).max(1024)).max(16)]).optional(),
});

/** app-update.yml's text → the feed; null when it is not a generic feed (or not YAML at all). */
export function parseUpdateConfig(text: string): UpdateFeed | null {
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 0 });
  } catch {
    return null;
  }
  const parsed = UpdateConfig.safeParse(value);
  if (!parsed.success) return null;
  const names = parsed.data.publisherName;
  return { url: parsed.data.url, publisherNames: names === undefined ? [] : Array.isArray(names) ? names : [names] };
}

/** What electron-builder left in the resources folder: the feed (app-update.yml) and the package kind. */
export async function installedUpdateFacts(options: {
  resourcesPath: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
}): Promise<Pick<UpdateFacts, 'feed' | 'kind'>> {
  const read = (name: string) => readFile(path.join(options.resourcesPath, name), 'utf8').catch(() => null);
  const [config, packageType] = await Promise.all([read(UPDATE_CONFIG_FILE), read('package-type')]);
  return { feed: config === null ? null : parseUpdateConfig(config), kind: packageKind(options.platform, options.env, packageType) };
}

/** What the app uses of electron-updater's autoUpdater. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Looks again this often while the app runs (a home computer may stay on for days). */
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** The contract's update calls (context.updates). */
export interface UpdateControl {
  /** The update downloaded and ready to install, if any. */
  ready(): { version: string } | null;
  /** Quits and installs the downloaded update; false when there is none. */
  install(): boolean;
  stop(): void;
}

/** Never looks for updates (browser mode, kiosks, unpackaged runs...). */
export const NO_UPDATES: UpdateControl = { ready: () => null, install: () => false, stop: () => undefined };

/**
 * Starts looking for updates when `decision` says so: downloads in the background, tells the
 * window (`update.ready`) once one is verified and downloaded, installs it on request or at quit.
 */
export function startUpdates(options: {
  decision: UpdateDecision;
  updater: () => Promise<Updater>;
  events: Pick<EventHub, 'emit'>;
  warn: (message: string) => void;
  intervalMs?: number;
}): UpdateControl {
  if (!options.decision.check) return NO_UPDATES;
  let ready: { version: string } | null = null;
  let updater: Updater | null = null;
  const look = () => updater?.checkForUpdates().catch((e: unknown) => options.warn(`update check failed: ${e instanceof Error ? e.message : String(e)}`));
  const timer = setInterval(() => void look(), options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
  timer.unref();
  void options
    .updater()
    .then((loaded) => {
      updater = loaded;
      loaded.autoDownload = true;
      loaded.autoInstallOnAppQuit = true;
      loaded.on('update-downloaded', (info) => {
        ready = { version: info.version };
        options.events.emit('update.ready', ready);
      });
      // A failed check or a download that fails its checks: the app goes on, the next look tries again.
      loaded.on('error', (error) => options.warn(`update failed: ${error.message}`));
      return look();
    })
    .catch((e: unknown) => options.warn(`updates unavailable: ${e instanceof Error ? e.message : String(e)}`));
  return {
    ready: () => ready,
    install: () => {
      if (!ready || !updater) return false;
      updater.quitAndInstall();
      return true;
    },
    stop: () => clearInterval(timer),
  };
}
