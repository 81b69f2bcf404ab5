/**
 * Updates of a home install (docs/kiosk.md, "Updates"): electron-updater against the HTTPS feed
 * the release build names, never in a kiosk or when the administrator's policy turns updates off.
 * Whether to look at all is decided here, from plain facts (updateDecision, tested); the
 * updater itself sits behind the `Updater` interface (electron-main.ts passes electron-updater's,
 * tests a stand-in). What is checked of a download, per package:
 * - NSIS installer (Windows): electron-updater checks the feed's SHA-512, then the installer's
 *   Authenticode signature: valid and its subject matching `publisherName` in app-update.yml
 *   (without a publisherName electron-updater skips that check, so no publisherName means no
 *   updates here); then main checks the release key's signature (update-signature.ts);
 * - AppImage (Linux): electron-updater checks the feed's SHA-512; then main checks the release
 *   key's signature, the only thing that vouches for the file beyond the HTTPS feed;
 * - deb: electron-updater would install the downloaded package as root with `dpkg -i`: not here,
 *   the package manager or the office's deployment updates it; tar.gz and the portable .exe
 *   cannot be updated in place: never.
 * No release key in the package (resources/update-key.pem): no updates at all.
 */
import type { KeyObject } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { UpdateRefused } from '../contract/contract.ts';
import type { EventHub } from './events.ts';
import { checkUpdateSignature, fetchSignature, releasePublicKey, signatureUrl, type SignatureCheck } from './update-signature.ts';

/** The file electron-builder writes beside app.asar when the build names a feed (`publish`). */
export const UPDATE_CONFIG_FILE = 'app-update.yml';

/** The release key's public half, shipped beside app.asar (electron-builder.yml extraResources). */
export const RELEASE_KEY_FILE = 'update-key.pem';

/** How this copy of the app was installed, as far as updating goes. */
export type PackageKind = 'nsis' | 'portable' | 'appimage' | 'deb' | 'other';

export interface UpdateFeed {
  url: string;
  /** The Authenticode subjects (full DN or CN) an NSIS update must be signed by. */
  publisherNames: readonly string[];
}

export type NoUpdateReason = 'unpackaged' | 'kiosk' | 'policy' | 'no-feed' | 'feed-not-https' | 'package-kind' | 'unsigned' | 'no-release-key';
export type UpdateDecision = { check: true; feed: UpdateFeed; releaseKey: KeyObject } | { check: false; reason: NoUpdateReason };

export interface UpdateFacts {
  packaged: boolean;
  kiosk: boolean;
  /** The policy's `updates` (false: the administrator turned them off). */
  policyAllows: boolean;
  platform: NodeJS.Platform;
  kind: PackageKind;
  /** The build's feed (app-update.yml), null when it names none. */
  feed: UpdateFeed | null;
  /** The release key every update must be signed with (update-key.pem), null when the package has none. */
  releaseKey: KeyObject | null;
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
  if (!facts.releaseKey) return { check: false, reason: 'no-release-key' };
  return { check: true, feed: facts.feed, releaseKey: facts.releaseKey };
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

/** update-key.pem's text → the release key; null when it is not an Ed25519 public key. */
export function parseReleaseKey(pem: string): KeyObject | null {
  try {
    return releasePublicKey(pem);
  } catch {
    return null;
  }
}

/** What electron-builder left in the resources folder: the feed (app-update.yml), the release key and the package kind. */
export async function installedUpdateFacts(options: {
  resourcesPath: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
}): Promise<Pick<UpdateFacts, 'feed' | 'kind' | 'releaseKey'>> {
  const read = (name: string) => readFile(path.join(options.resourcesPath, name), 'utf8').catch(() => null);
  const [config, packageType, key] = await Promise.all([read(UPDATE_CONFIG_FILE), read('package-type'), read(RELEASE_KEY_FILE)]);
  return {
    feed: config === null ? null : parseUpdateConfig(config),
    kind: packageKind(options.platform, options.env, packageType),
    releaseKey: key === null ? null : parseReleaseKey(key),
  };
}

/** What electron-updater reports of a finished download (its UpdateDownloadedEvent). */
export interface DownloadedUpdate {
  version: string;
  /** The downloaded file, in electron-updater's cache folder. */
  downloadedFile: string;
}

/** Checks a download; fetches `<file>.sig` from the feed's folder and verifies it with the release key. */
export type DownloadCheck = (download: DownloadedUpdate) => Promise<SignatureCheck>;

export function releaseSignatureCheck(options: {
  feed: UpdateFeed;
  releaseKey: KeyObject;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
}): DownloadCheck {
  return async (download) => {
    const url = signatureUrl(options.feed.url, path.basename(download.downloadedFile));
    const signatureBytes = await fetchSignature(options.fetch, url);
    return checkUpdateSignature({ file: download.downloadedFile, version: download.version, signatureBytes, publicKey: options.releaseKey });
  };
}

/** A refused download → what the window is told. */
export function refusal(version: string, check: Extract<SignatureCheck, { ok: false }>): UpdateRefused {
  return { version, code: check.problem === 'missing' ? 'UPDATE_SIGNATURE_MISSING' : 'UPDATE_SIGNATURE_INVALID', reason: check.problem };
}

/** What the app uses of electron-updater's autoUpdater. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'update-downloaded', listener: (info: DownloadedUpdate) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Looks again this often while the app runs (a home computer may stay on for days). */
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** The contract's update calls (context.updates). */
export interface UpdateControl {
  /** The update downloaded, checked and ready to install, if any. */
  ready(): { version: string } | null;
  /** The last download refused by main's check (and deleted), unless a later one was ready. */
  refused(): UpdateRefused | null;
  /** Quits and installs the downloaded update; false when there is none. */
  install(): boolean;
  stop(): void;
}

/** Never looks for updates (browser mode, kiosks, unpackaged runs...). */
export const NO_UPDATES: UpdateControl = { ready: () => null, refused: () => null, install: () => false, stop: () => undefined };

/**
 * Starts looking for updates when `decision` says so: downloads in the background; once
 * electron-updater has a download, the release key's signature on it (its `.sig` fetched from
 * the feed with `fetch`, releaseSignatureCheck) decides: a good
 * one is offered to the window (`update.ready`) and installed on request or at quit; any other is
 * deleted and the window told why (`update.refused`).
 *
 * Install at quit: electron-updater adds its quit handler right after emitting
 * `update-downloaded`, only if `autoInstallOnAppQuit` is true then, and reads the flag again at
 * quit. So the flag stays true for the handler to be added, is turned off in the microtask after
 * each download (before anything else can run, a quit included), and on again only once the
 * download has passed the check.
 */
export function startUpdates(options: {
  decision: UpdateDecision;
  updater: () => Promise<Updater>;
  /** Fetches the .sig (Electron: net.fetch, which honours the system's proxy as electron-updater does). */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  events: Pick<EventHub, 'emit'>;
  warn: (message: string) => void;
  /** Deletes a refused download (default: fs.rm). */
  remove?: (file: string) => Promise<void>;
  intervalMs?: number;
}): UpdateControl {
  if (!options.decision.check) return NO_UPDATES;
  const checkDownload = releaseSignatureCheck({ feed: options.decision.feed, releaseKey: options.decision.releaseKey, fetch: options.fetch });
  const remove = options.remove ?? ((file: string) => rm(file, { force: true }));
  let ready: { version: string } | null = null;
  let refused: UpdateRefused | null = null;
  let updater: Updater | null = null;
  // Only the latest download's check counts (electron-updater may report a cached one, then a newer).
  let latest = 0;
  const look = () => updater?.checkForUpdates().catch((e: unknown) => options.warn(`update check failed: ${e instanceof Error ? e.message : String(e)}`));
  const timer = setInterval(() => void look(), options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
  timer.unref();

  const checked = async (download: DownloadedUpdate, which: number, loaded: Updater) => {
    const verdict = await checkDownload(download).catch((): SignatureCheck => ({ ok: false, problem: 'unreadable' }));
    if (which !== latest) return;
    if (verdict.ok) {
      ready = { version: download.version };
      refused = null;
      loaded.autoInstallOnAppQuit = true;
      options.events.emit('update.ready', ready);
      return;
    }
    await remove(download.downloadedFile).catch((e: unknown) => options.warn(`could not delete the refused update: ${e instanceof Error ? e.message : String(e)}`));
    refused = refusal(download.version, verdict);
    options.warn(`update ${download.version} refused: signature ${verdict.problem}`);
    options.events.emit('update.refused', refused);
  };

  void options
    .updater()
    .then((loaded) => {
      updater = loaded;
      loaded.autoDownload = true;
      loaded.autoInstallOnAppQuit = true;
      loaded.on('update-downloaded', (info) => {
        const which = ++latest;
        ready = null;
        queueMicrotask(() => {
          if (which === latest && ready === null) loaded.autoInstallOnAppQuit = false;
        });
        void checked({ version: info.version, downloadedFile: info.downloadedFile }, which, loaded);
      });
      // A failed check or a download that fails its checks: the app goes on, the next look tries again.
      loaded.on('error', (error) => options.warn(`update failed: ${error.message}`));
      return look();
    })
    .catch((e: unknown) => options.warn(`updates unavailable: ${e instanceof Error ? e.message : String(e)}`));
  return {
    ready: () => ready,
    refused: () => refused,
    install: () => {
      if (!ready || !updater) return false;
      updater.quitAndInstall();
      return true;
    },
    stop: () => clearInterval(timer),
  };
}
