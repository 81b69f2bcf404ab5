/**
 * The policy in the Windows registry: HKLM\SOFTWARE\Policies\Joldama (writable by administrators
 * only, the place Group Policy writes to), read with the system's reg.exe (no native addon). One
 * value per policy field (REGISTRY_VALUES); an unknown value, a wrong type or a subkey is refused
 * (POLICY_INVALID), so a misspelt lock never goes unnoticed. Values must be ASCII: reg.exe prints in
 * the console's code page.
 */
import { AppFailure } from '../errors.ts';
import { policyUnreadable, type PolicyInput } from './schema.ts';

export const POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Joldama';
const POLICY_KEY_LONG = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Joldama';
const POLICIES_KEY = 'HKLM\\SOFTWARE\\Policies';

export interface RegistryValue {
  name: string;
  type: string;
  data: string;
}

/** Runs a program and gives its exit code and output (execFile in production, a stand-in in tests). */
export type RunProgram = (file: string, args: readonly string[]) => Promise<{ code: number; stdout: string }>;

type Field = { type: 'REG_SZ' | 'REG_DWORD' | 'REG_MULTI_SZ'; set: (policy: PolicyInput, value: string | number | boolean | string[]) => void };
const setting = (name: 'portalUrl' | 'trustStore' | 'language' | 'lastKeyPath'): Field => ({
  type: 'REG_SZ',
  set: (p, v) => (p.settings = { ...p.settings, [name]: v }),
});
const field = (type: Field['type'], name: keyof Omit<PolicyInput, 'settings'>): Field => ({
  type,
  set: (p, v) => Object.assign(p, { [name]: v }),
});

/** Value name (case-insensitive, as the registry's) → policy field. */
export const REGISTRY_VALUES: Readonly<Record<string, Field>> = Object.freeze({
  portalurl: setting('portalUrl'),
  truststore: setting('trustStore'),
  language: setting('language'),
  keyfolder: setting('lastKeyPath'),
  kiosk: field('REG_DWORD', 'kiosk'),
  languages: field('REG_MULTI_SZ', 'languages'),
  idletimeoutseconds: field('REG_DWORD', 'idleTimeoutSeconds'),
  keysources: field('REG_MULTI_SZ', 'keySources'),
  loginmethods: field('REG_MULTI_SZ', 'loginMethods'),
  settingshidden: field('REG_DWORD', 'settingsHidden'),
  removablemediaonly: field('REG_DWORD', 'removableMediaOnly'),
  // The NCALayer-compatible signing service (docs/ncalayer.md)
  ncalayer: field('REG_DWORD', 'ncalayer'),
  // Updates of a home install (docs/kiosk.md, "Updates")
  updates: field('REG_DWORD', 'updates'),
});
const BOOLEAN_FIELDS = new Set(['kiosk', 'settingshidden', 'removablemediaonly', 'ncalayer', 'updates']);

const invalid = (why: string) => new AppFailure('POLICY_INVALID', `${POLICY_KEY} is not a valid policy: ${why}`, { source: POLICY_KEY });

/**
 * `reg query <key>` output: the key's full name, then one line per value, four spaces apart:
 * `    Name    REG_TYPE    data`. Anything else (a subkey, an unknown line) is refused.
 */
export function parseRegQuery(stdout: string): RegistryValue[] {
  const values: RegistryValue[] = [];
  let header = false;
  for (const line of stdout.split('\n').map((l) => l.replace(/\r$/, ''))) {
    if (line.trim() === '') continue;
    if (!header) {
      if (line.toUpperCase() !== POLICY_KEY_LONG.toUpperCase()) throw invalid('unexpected reg.exe output');
      header = true;
      continue;
    }
    const m = /^ {4}(\S.*?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (!m) throw invalid(line.startsWith('HKEY_') ? 'it has a subkey' : 'unexpected reg.exe output');
    values.push({ name: m[1]!, type: m[2]!, data: m[3] ?? '' });
  }
  if (!header) throw invalid('unexpected reg.exe output');
  return values;
}

/** The registry's values as the policy's JSON shape (then validated by PolicySchema like a file). */
export function policyFromRegistry(values: readonly RegistryValue[]): PolicyInput {
  const policy: PolicyInput = {};
  for (const { name, type, data } of values) {
    // The key's unnamed default value (printed as "(Default)", translated) holds nothing of ours.
    if (/^\(.*\)$/.test(name)) continue;
    const key = name.toLowerCase();
    const target = REGISTRY_VALUES[key];
    if (!target) throw invalid(`unknown value ${name}`);
    if (type !== target.type) throw invalid(`${name} must be ${target.type}`);
    if (!/^[\x20-\x7e]*$/.test(data)) throw invalid(`${name} is not ASCII`);
    if (type === 'REG_DWORD') {
      if (!/^0x[0-9a-fA-F]{1,8}$/.test(data)) throw invalid(`${name} is not a DWORD`);
      const n = Number.parseInt(data, 16);
      if (BOOLEAN_FIELDS.has(key) && n !== 0 && n !== 1) throw invalid(`${name} must be 0 or 1`);
      target.set(policy, BOOLEAN_FIELDS.has(key) ? n === 1 : n);
    } else if (type === 'REG_MULTI_SZ') {
      target.set(policy, data === '' ? [] : data.split('\\0'));
    } else {
      target.set(policy, data);
    }
  }
  return policy;
}

/**
 * The policy's values, or null when the key does not exist. reg.exe's exit code does not tell
 * "no such key" from "access denied", and its messages are translated: so when the key cannot be
 * queried, the parent is listed, and a key that exists but cannot be read is refused.
 */
export async function readRegistryPolicy(run: RunProgram, regExe: string): Promise<RegistryValue[] | null> {
  const own = await run(regExe, ['query', POLICY_KEY, '/reg:64']);
  if (own.code === 0) return parseRegQuery(own.stdout);
  const parent = await run(regExe, ['query', POLICIES_KEY, '/reg:64']);
  if (parent.code !== 0) throw policyUnreadable(POLICY_KEY, `reg.exe could not list ${POLICIES_KEY}`);
  const listed = parent.stdout.split(/\r?\n/).some((line) => line.trim().toUpperCase() === POLICY_KEY_LONG.toUpperCase());
  if (listed) throw policyUnreadable(POLICY_KEY, 'the key exists but reg.exe could not read it');
  return null;
}
