/** A MainContext whose services are in-memory fakes, for dispatch / bridge tests. */
import { assembleServices } from '../../../main/create-app-context.ts';
import type { MainContext } from '../../../main/context.ts';
import type { Settings, SettingsUpdate, SettingName } from '../../../contract/contract.ts';
import { AppFailure } from '../../../main/errors.ts';
import type { SettingsStore } from '../../../main/settings.ts';
import type { KeyBackend } from '../../../main/signing-service.ts';
import type { TokenAccess } from '../../../main/token-access.ts';
import { NO_POLICY, type KeySource } from '../../../main/policy/schema.ts';

export function memorySettings(locked: Partial<Settings> = {}): SettingsStore {
  let stored: Omit<Settings, 'locked'> = {
    portalUrl: 'https://portal.test',
    language: 'kk',
    lastKeyPath: null,
    trustStore: 'production',
  };
  const lockedNames = Object.keys(locked) as SettingName[];
  const get = (): Settings => ({ ...stored, ...locked, locked: lockedNames });
  return {
    get,
    async update(patch: SettingsUpdate) {
      for (const k of Object.keys(patch) as SettingName[]) {
        if (lockedNames.includes(k)) throw new AppFailure('SETTING_LOCKED', 'locked', { field: k });
      }
      stored = { ...stored, ...patch } as typeof stored;
      return get();
    },
    async reset() {
      stored = { ...stored, language: 'kk', lastKeyPath: null };
      return get();
    },
  };
}

const noBackend: KeyBackend = {
  listKeys: async () => [],
  openKeyStore: async () => [],
  fileSigner: () => {
    throw new Error('no keys in the fake backend');
  },
  signXml: () => {
    throw new Error('no keys in the fake backend');
  },
  validityStatus: () => 'valid',
};

export function fakeContext(
  options: { locked?: Partial<Settings>; backend?: KeyBackend; tokens?: TokenAccess; keySources?: readonly KeySource[] } = {},
): MainContext {
  const settings = memorySettings(options.locked);
  return {
    version: '0.1.0-test',
    mode: 'browser',
    demo: false,
    ...assembleServices({
      settings,
      backend: options.backend ?? noBackend,
      fetch: async () => Promise.reject(new Error('no network in tests')),
      ...(options.tokens ? { tokens: options.tokens } : {}),
      ...(options.keySources ? { policy: { ...NO_POLICY, keySources: options.keySources } } : {}),
    }),
  };
}
