/**
 * Where token vendors install their PKCS#11 modules (docs/tokens.md, "Module paths"). The app
 * loads only modules from this list that exist on the computer, or the ones its configuration
 * names: loading a module runs its code in our process, so a path never comes from the window.
 */
import { existsSync, realpathSync } from 'node:fs';

export interface KnownModule {
  vendor: string;
  paths: { win32: string[]; linux: string[] };
  /** A software token for tests and development (SoftHSM): never a default. */
  testOnly?: boolean;
}

export const KNOWN_MODULES: readonly KnownModule[] = [
  {
    vendor: 'SafeNet / Thales eToken (SafeNet Authentication Client)',
    paths: {
      win32: ['C:\\Windows\\System32\\eTPKCS11.dll'],
      linux: ['/usr/lib/libeTPkcs11.so', '/usr/lib/libeToken.so'],
    },
  },
  {
    vendor: 'JaCarta (Aladdin R.D., JaCarta Unified Client)',
    paths: {
      win32: ['C:\\Windows\\System32\\jcPKCS11-2.dll'],
      linux: ['/usr/lib/libjcPKCS11-2.so', '/usr/lib/x86_64-linux-gnu/libjcPKCS11-2.so'],
    },
  },
  {
    // Smart cards with an OpenSC driver; also the usual route for ID cards on Linux.
    vendor: 'OpenSC',
    paths: {
      win32: ['C:\\Program Files\\OpenSC Project\\OpenSC\\pkcs11\\opensc-pkcs11.dll'],
      linux: ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/opensc-pkcs11.so'],
    },
  },
  {
    vendor: 'SoftHSM 2',
    testOnly: true,
    paths: {
      win32: ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll'],
      linux: ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so'],
    },
  },
];

/**
 * The default module list for `platform`: every known module's paths (test-only ones when asked),
 * kept only where the file exists. Kaztoken and the Kazakh ID card have no entry: their vendors'
 * module file names are not published, so an administrator names them in the configuration.
 */
export function defaultModulePaths(
  options: {
    platform?: NodeJS.Platform;
    includeTestModules?: boolean;
    exists?: (path: string) => boolean;
  } = {},
): string[] {
  const platform = options.platform ?? process.platform;
  if (platform !== 'win32' && platform !== 'linux') return [];
  const exists = options.exists ?? existsSync;
  return uniqueModules(
    KNOWN_MODULES.filter((m) => options.includeTestModules || !m.testOnly)
      .flatMap((m) => m.paths[platform])
      .filter((path) => exists(path)),
  );
}

/**
 * One path per module file: distributions link one library under several names (Debian's SoftHSM
 * and OpenSC), and loading it twice would initialise it twice in one process.
 */
export function uniqueModules(paths: readonly string[]): string[] {
  const seen = new Set<string>();
  return paths.filter((path) => {
    let real = path;
    try {
      real = realpathSync(path);
    } catch {
      // a missing file keeps its own name: loading it reports the problem
    }
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}
