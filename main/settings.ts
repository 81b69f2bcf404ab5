/**
 * Settings, from three places:
 * - the user's preferences (language, last key folder): a JSON file in the user's data folder,
 *   validated on every load (a corrupt or invalid file is backed up beside itself and replaced by
 *   defaults, never a crash); the only part the window may change (settings.update);
 * - the deployment (the portal's address, the trust store): the installer's configuration
 *   (INSTALLER_CONFIG_FILE in the app's resources), else the launcher's value for this run
 *   (browser mode, demo), else the built-in default; never the window's;
 * - the administrator's policy (policy/load.ts, read before this), which fixes any of the above and
 *   locks it, and may narrow the languages offered.
 * The portal's address must pass portalAddressProblem (https; loopback http in demo mode only).
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { z } from 'zod';
import { SettingsSchema, SettingsUpdate, type SettingName, type Settings } from '../contract/contract.ts';
import { AppFailure } from './errors.ts';
import { assertKeyPath, keyPathProblem } from './key-path.ts';
import { portalAddressProblem } from './portal-address.ts';
import type { Policy } from './policy/schema.ts';

export const SETTINGS_FILE = 'settings.json';
/** The installer's configuration, in the packaged app's resources folder (process.resourcesPath). */
export const INSTALLER_CONFIG_FILE = 'config.json';

/** What the user's file holds: the window's own preferences. */
const Preferences = SettingsSchema.pick({ language: true, lastKeyPath: true });
type Preferences = z.infer<typeof Preferences>;
/** What the deployment decides. */
const Deployment = SettingsSchema.pick({ portalUrl: true, trustStore: true });
export type Deployment = z.infer<typeof Deployment>;

/** A PKCS#11 module's absolute path (docs/tokens.md, "Module paths"): loading it runs its code in main. */
const ModulePath = z.string().min(1).max(4096).refine((p) => !p.includes('\0') && path.isAbsolute(p), 'not an absolute path');

/**
 * `{ "portalUrl": "https://...", "trustStore": "production", "tokenModules": ["C:\\...\\kaztoken.dll"] }`,
 * any of them. `tokenModules` adds PKCS#11 modules to the vendors' defaults (Kaztoken and the ID
 * card's modules have no default).
 */
export const InstallerConfigSchema = Deployment.partial().extend({ tokenModules: z.array(ModulePath).max(16).optional() });

/** The same folder Electron's app.getPath('userData') uses for productName "Joldama". */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Joldama');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Joldama');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'Joldama');
}

export const DEFAULT_PREFERENCES: Preferences = Object.freeze({ language: 'kk', lastKeyPath: null });
export const DEFAULT_DEPLOYMENT: Deployment = Object.freeze({ portalUrl: 'https://joldama.example.kz', trustStore: 'production' });

export interface SettingsStore {
  get(): Settings;
  /** The window's preferences only. Refuses locked fields with SETTING_LOCKED (details.field), anything else with INVALID_INPUT. */
  update(patch: SettingsUpdate): Promise<Settings>;
  /** Back to the default preferences (the next person on a shared computer); what the policy fixes stays. */
  reset(): Promise<Settings>;
  /** PKCS#11 modules the installer's configuration adds (fixed for the process; never the window's). */
  readonly tokenModules?: readonly string[];
}

export interface OpenSettingsOptions {
  dataDir: string;
  /** The administrator's policy (policy/load.ts; NO_POLICY when there is none). */
  policy: Policy;
  /** The installer's configuration file; absent or null: none (an unpackaged app). */
  installerConfigPath?: string | null;
  /** This run's deployment values (browser mode's launcher): above the built-in defaults, below the installer's and the policy's. */
  deployment?: Partial<Deployment>;
  /** Demo mode: a loopback http portal is accepted. */
  demo?: boolean;
  /** Overrides of the built-in preferences (tests). */
  defaults?: Partial<Preferences>;
  /** Told about a replaced corrupt file; no secrets are passed. */
  warn?: (message: string) => void;
}

/**
 * The installer's file: missing means nothing is set; present but unreadable or invalid stops the
 * app (`code`): someone meant to set something, so running without it would be wrong.
 */
async function loadConfigFile<T extends z.ZodType>(file: string | null, schema: T, empty: z.output<T>, code: string): Promise<z.output<T>> {
  if (file === null) return empty;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    throw new AppFailure(code, `cannot read ${file}`);
  }
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    throw new AppFailure(code, `${file} is not valid`);
  }
}

async function loadStored(file: string, defaults: Preferences, warn: (m: string) => void): Promise<Preferences> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ...defaults };
    throw e;
  }
  try {
    const stored = Preferences.parse(JSON.parse(text));
    // A last key folder that is not a local absolute path is forgotten (the file dialog would open it).
    return stored.lastKeyPath !== null && keyPathProblem(stored.lastKeyPath) ? { ...stored, lastKeyPath: null } : stored;
  } catch {
    const backup = `${file}.corrupt-${Date.now()}`;
    await fs.rename(file, backup);
    warn(`settings file was invalid; moved to ${backup} and replaced by defaults`);
    return { ...defaults };
  }
}

/** Windows: a reader (antivirus, the search indexer) briefly holding the target makes rename fail; try again after these pauses (ms). */
const RENAME_RETRY_MS = [10, 25, 50, 100, 200, 400];
const RENAME_RETRY_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);

async function renameRetrying(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (e) {
      const pause = RENAME_RETRY_MS[attempt];
      if (pause === undefined || !RENAME_RETRY_CODES.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/**
 * Write atomically, readable by the user only: a temporary file of its own (a random name, created
 * exclusively), flushed to disk, then renamed over the file; the folder is flushed too (POSIX).
 * Callers serialize writes (openSettings' queue; the application draft store's chain).
 */
export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    const handle = await fs.open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(value, null, 2) + '\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameRetrying(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  if (process.platform !== 'win32') {
    const folder = await fs.open(dir, 'r').catch(() => null);
    await folder?.sync().catch(() => undefined);
    await folder?.close();
  }
}

const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export async function openSettings(options: OpenSettingsOptions): Promise<SettingsStore> {
  const file = path.join(options.dataDir, SETTINGS_FILE);
  const warn = options.warn ?? (() => {});
  const defaults = Preferences.parse({ ...DEFAULT_PREFERENCES, ...options.defaults });
  const { policy } = options;
  const installer = await loadConfigFile(options.installerConfigPath ?? null, InstallerConfigSchema, {}, 'INSTALLER_CONFIG_INVALID');
  // Fixed for the process: a changed address takes effect at the next start, with no session.
  const { portalUrl, trustStore } = policy.settings;
  const { tokenModules, ...installerDeployment } = installer;
  const deployment = Deployment.parse({ ...DEFAULT_DEPLOYMENT, ...options.deployment, ...installerDeployment, ...definedOnly({ portalUrl, trustStore }) });
  const problem = portalAddressProblem(deployment.portalUrl, { demo: options.demo ?? false });
  if (problem) throw new AppFailure('PORTAL_ADDRESS_REFUSED', `portal address ${deployment.portalUrl} refused: ${problem}`);
  const locked = Object.keys(policy.settings) as SettingName[];
  // The user's folder exists from the start (as Electron's userData does), readable by the user only.
  await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  let stored = await loadStored(file, defaults, warn);

  // A language the policy does not offer gives way to the first one it does.
  const allowedLanguage = (language: Preferences['language']) => (policy.languages.includes(language) ? language : policy.languages[0]!);
  const effective = (): Settings =>
    SettingsSchema.parse({ ...stored, language: allowedLanguage(stored.language), ...deployment, ...policy.settings, locked });
  // One update at a time, each on top of the last: two at once must not both start from the same `stored`.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    ...(tokenModules ? { tokenModules } : {}),
    get: effective,
    async update(patch) {
      const parsed = SettingsUpdate.safeParse(patch);
      if (!parsed.success) throw new AppFailure('INVALID_INPUT');
      const changes = definedOnly(parsed.data);
      for (const field of Object.keys(changes) as SettingName[]) {
        if (locked.includes(field)) throw new AppFailure('SETTING_LOCKED', `setting ${field} is locked`, { field });
      }
      if (changes.language && !policy.languages.includes(changes.language)) {
        throw new AppFailure('SETTING_LOCKED', `language ${changes.language} is not offered by the policy`, { field: 'language' });
      }
      if (changes.lastKeyPath) assertKeyPath(changes.lastKeyPath);
      return serialized(async () => {
        const next = Preferences.parse({ ...stored, ...changes });
        await writeJsonAtomically(file, next);
        stored = next;
        return effective();
      });
    },
    reset() {
      return serialized(async () => {
        await writeJsonAtomically(file, DEFAULT_PREFERENCES);
        stored = DEFAULT_PREFERENCES;
        return effective();
      });
    },
  };
}
