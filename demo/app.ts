/**
 * The demo app: browser mode (main/browser-mode.ts) against a demo portal started here (or a
 * given portal), with the demo keys offered in the key dialog. Used by `npm start` where no
 * Electron binary is installed, by `npm run start:browser` and by the end-to-end tests.
 *
 * `npm start` keeps its demo in one folder (defaultDemoDataDir) from run to run: the demo keys,
 * the portal's database and the app's settings are made on the first start and reused, which is
 * most of what a start used to cost. openDemoDataDir starts that folder afresh when asked to
 * (`npm start -- --reset-demo`) or when its demo keys are older than DEMO_MAX_AGE_DAYS.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startBrowserMode, type BrowserModeOptions } from '../main/browser-mode.ts';
import { DEMO_PASSWORD, generateDemoPki } from './pki/generate.ts';
import { DEMO_IDENTITIES, demoCommonName } from './pki/identities.ts';
import { demoNotificationLog, demoPkiFolder, startDemoPortal } from './portal/start.ts';

/** Demo keys are valid for a year from the day they are made and the "expired" person's key is dated from it: a month keeps the demo as it was made. */
export const DEMO_MAX_AGE_DAYS = 30;

export interface DemoAppOptions extends Omit<BrowserModeOptions, 'portalUrl' | 'demoKeysFolder' | 'dataDir'> {
  /** Another portal to talk to; default: a demo portal started on a free port. */
  portalUrl?: string;
  /** With portalUrl: the demo keys that portal trusts (a demo portal started apart); default: a set made for the UI. */
  demoKeysFolder?: string;
  /** Where the app's settings, the demo portal's data and its keys go; default a temporary folder, removed on close. */
  dataDir?: string;
  /** Called as each step starts (the user sees progress); the last step ends when startDemoApp resolves. */
  progress?: (step: string) => void;
}

export interface DemoApp {
  /** The address to open; includes `#token=`. */
  url: string;
  portalUrl: string;
  demoKeysFolder: string;
  /** Where the demo portal writes the SMS and e-mail it sends; none when the app talks to another portal. */
  messageLog?: string;
  close(): Promise<void>;
}

/** The demo's folder for `npm start`: the user's cache folder (it can always be made again). */
export function defaultDemoDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'Joldama', 'demo');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'Joldama', 'demo');
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'joldama', 'demo');
}

/** The demo keys folder inside a demo data folder: the demo portal's, or the one made for another portal. */
function demoKeysFolderIn(dataDir: string, ownPortal: boolean): string {
  return ownPortal ? demoPkiFolder(path.join(dataDir, 'portal')) : path.join(dataDir, 'demo-pki');
}

async function demoKeysMadeAt(dataDir: string): Promise<Date | undefined> {
  for (const folder of [demoKeysFolderIn(dataDir, true), demoKeysFolderIn(dataDir, false)]) {
    try {
      const index = JSON.parse(await readFile(path.join(folder, 'index.json'), 'utf8')) as { generatedAt?: unknown };
      if (typeof index.generatedAt === 'string') return new Date(index.generatedAt);
    } catch {
      // no demo keys there
    }
  }
  return undefined;
}

/**
 * Makes `dataDir` ready to reuse: emptied when `reset` is asked for or its demo keys are older
 * than DEMO_MAX_AGE_DAYS. Returns why it was emptied, if it was.
 */
export async function openDemoDataDir(dataDir: string, options: { reset?: boolean; now?: Date } = {}): Promise<string | undefined> {
  let reason: string | undefined;
  if (options.reset) reason = 'starting the demo afresh (--reset-demo)';
  else {
    const madeAt = await demoKeysMadeAt(dataDir);
    const ageDays = madeAt ? ((options.now ?? new Date()).getTime() - madeAt.getTime()) / 86_400_000 : 0;
    if (ageDays > DEMO_MAX_AGE_DAYS) reason = `the demo is more than ${DEMO_MAX_AGE_DAYS} days old: starting it afresh`;
  }
  if (reason) await rm(dataDir, { recursive: true, force: true });
  return reason;
}

export async function startDemoApp(options: DemoAppOptions = {}): Promise<DemoApp> {
  const { portalUrl: givenPortal, demoKeysFolder: givenKeys, dataDir: givenDir, progress, ...rest } = options;
  const dataDir = givenDir ?? (await mkdtemp(path.join(os.tmpdir(), 'joldama-demo-')));
  const cleanups: (() => Promise<void>)[] = [];
  // A temporary folder is ours to remove; a given one never is.
  if (!givenDir) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  try {
    let portalUrl = givenPortal;
    let messageLog: string | undefined;
    const demoKeysFolder = (givenPortal && givenKeys) || demoKeysFolderIn(dataDir, !givenPortal);
    const firstStart = !existsSync(path.join(demoKeysFolder, 'index.json'));
    if (!portalUrl) {
      progress?.(firstStart ? 'making the demo keys and data (first start only)' : 'starting the demo portal');
      const portalDir = path.join(dataDir, 'portal');
      const portal = await startDemoPortal({ port: 0, dataDir: portalDir, log: false });
      cleanups.unshift(() => portal.close());
      portalUrl = portal.url;
      messageLog = demoNotificationLog(portalDir);
    } else if (firstStart) {
      // Another portal: offer demo keys from a set made for the UI.
      progress?.('making demo keys (first start only)');
      await generateDemoPki(demoKeysFolder);
    }
    progress?.('starting the app');
    const mode = await startBrowserMode({ ...rest, portalUrl, demoKeysFolder, dataDir: path.join(dataDir, 'app') });
    cleanups.unshift(() => mode.close());
    return {
      url: mode.url,
      portalUrl: mode.portalUrl,
      demoKeysFolder,
      ...(messageLog ? { messageLog } : {}),
      close: async () => {
        for (const cleanup of cleanups) await cleanup();
      },
    };
  } catch (e) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw e;
  }
}

/**
 * What a newcomer needs to try the journey, printed by `npm start`: where the demo keys are, their
 * password, whom to log in as (the demo applicant whose turn has come, demo/portal/seed.ts), and
 * where the demo portal's SMS and e-mail go (their codes: the IIN + password login, the wizard).
 */
export function demoGuide(demoKeysFolder: string, messageLog?: string): string[] {
  const applicant = DEMO_IDENTITIES.find((p) => p.role === 'individual' && p.status === 'valid');
  const lines = [`demo keys: ${path.join(demoKeysFolder, 'keys')} (password: ${DEMO_PASSWORD})`];
  if (applicant) {
    lines.push(
      `for the referral journey, log in as ${demoCommonName(applicant)} (IIN ${applicant.iin}): her turn has come;`,
      `  key dialog path: ${path.join(demoKeysFolder, 'keys', applicant.slug)} (AUTH_RSA256_… to log in, RSA256_… to sign)`,
    );
  }
  if (messageLog) lines.push(`demo SMS and e-mail (the codes for the IIN + password login and the application's phone) go to ${messageLog}`);
  return lines;
}

