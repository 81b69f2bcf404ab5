/**
 * User settings: a JSON file in the user's data folder, validated with zod on every load.
 * A corrupt or invalid file is backed up beside itself and replaced by defaults (never a crash).
 * An administrator's policy file can fix fields to a value and lock them: see POLICY_FILE_HELP.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { z } from 'zod';
import { SettingsSchema, SettingsUpdate, type SettingName, type Settings } from '../contract/contract.ts';
import { AppFailure } from './errors.ts';

export const SETTINGS_FILE = 'settings.json';

/** The stored part of Settings (the lock list comes from the policy, never from the user file). */
const StoredSettings = SettingsSchema.omit({ locked: true });
type StoredSettings = z.infer<typeof StoredSettings>;

/**
 * Policy file: `{ "settings": { "portalUrl": "https://...", "trustStore": "production" } }`.
 * Every field it names is forced to that value and locked. Looked up at JOLDAMA_POLICY_FILE, else
 * /etc/joldama/policy.json (Linux, macOS) or %ProgramData%\Joldama\policy.json (Windows).
 */
export const PolicySchema = z.strictObject({ settings: StoredSettings.partial() });
export type Policy = z.infer<typeof PolicySchema>;

export function defaultPolicyPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.JOLDAMA_POLICY_FILE) return env.JOLDAMA_POLICY_FILE;
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Joldama', 'policy.json');
  return '/etc/joldama/policy.json';
}

/** The same folder Electron's app.getPath('userData') uses for productName "Joldama". */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Joldama');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Joldama');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'Joldama');
}

export const DEFAULT_SETTINGS: StoredSettings = Object.freeze({
  portalUrl: 'https://joldama.example.kz',
  language: 'kk',
  lastKeyPath: null,
  trustStore: 'production',
});

export interface SettingsStore {
  get(): Settings;
  /** Refuses locked fields with SETTING_LOCKED (details.field), invalid input with INVALID_INPUT. */
  update(patch: SettingsUpdate): Promise<Settings>;
}

export interface OpenSettingsOptions {
  dataDir: string;
  /** Default: defaultPolicyPath(). `null`: no policy (tests, browser-mode demo). */
  policyPath?: string | null;
  /** Overrides of the built-in defaults (e.g. the demo portal's address). */
  defaults?: Partial<StoredSettings>;
  /** Told about a replaced corrupt file or an unreadable policy; no secrets are passed. */
  warn?: (message: string) => void;
}

/**
 * A policy file that exists but is invalid is an error (POLICY_INVALID): an administrator meant
 * to lock something, so running unlocked would be wrong. A missing policy file locks nothing.
 */
async function loadPolicy(policyPath: string | null): Promise<Policy> {
  if (policyPath === null) return { settings: {} };
  let text: string;
  try {
    text = await fs.readFile(policyPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { settings: {} };
    throw new AppFailure('POLICY_INVALID', `cannot read policy file ${policyPath}`);
  }
  try {
    return PolicySchema.parse(JSON.parse(text));
  } catch {
    throw new AppFailure('POLICY_INVALID', `policy file ${policyPath} is not valid`);
  }
}

async function loadStored(file: string, defaults: StoredSettings, warn: (m: string) => void): Promise<StoredSettings> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ...defaults };
    throw e;
  }
  try {
    return StoredSettings.parse(JSON.parse(text));
  } catch {
    const backup = `${file}.corrupt-${Date.now()}`;
    await fs.rename(file, backup);
    warn(`settings file was invalid; moved to ${backup} and replaced by defaults`);
    return { ...defaults };
  }
}

/** Write atomically (temp file + rename), readable by the user only. */
async function writeStored(file: string, value: StoredSettings): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  await fs.rename(tmp, file);
}

export async function openSettings(options: OpenSettingsOptions): Promise<SettingsStore> {
  const file = path.join(options.dataDir, SETTINGS_FILE);
  const warn = options.warn ?? (() => {});
  const defaults = StoredSettings.parse({ ...DEFAULT_SETTINGS, ...options.defaults });
  const policy = await loadPolicy(options.policyPath === undefined ? defaultPolicyPath() : options.policyPath);
  const locked = Object.keys(policy.settings) as SettingName[];
  let stored = await loadStored(file, defaults, warn);

  const effective = (): Settings => SettingsSchema.parse({ ...stored, ...policy.settings, locked });

  return {
    get: effective,
    async update(patch) {
      const parsed = SettingsUpdate.safeParse(patch);
      if (!parsed.success) throw new AppFailure('INVALID_INPUT');
      const changes = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
      for (const field of Object.keys(changes) as SettingName[]) {
        if (locked.includes(field)) throw new AppFailure('SETTING_LOCKED', `setting ${field} is locked`, { field });
      }
      const next = StoredSettings.parse({ ...stored, ...changes });
      await writeStored(file, next);
      stored = next;
      return effective();
    },
  };
}
