// Where the installed `electron` package keeps its binary, found WITHOUT loading the package:
// since Electron 45 the package has no install script, and its index.js downloads a missing
// binary on the first require('electron') (it spawns its install.js). `npm start` must never do
// that; it only looks at what the package leaves on disk: path.txt (the executable's path inside
// dist/, written once the binary is downloaded) and dist/version.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * @param {string | null} packageDir the folder of node_modules/electron, or null if not installed
 * @param {NodeJS.ProcessEnv} env ELECTRON_OVERRIDE_DIST_PATH is honoured as the package honours it
 * @returns {{ binary: string } | { reason: string }}
 */
export function findElectronBinary(packageDir, env = process.env) {
  if (!packageDir) return { reason: 'the electron package is not installed' };
  const read = (file) => {
    try {
      return readFileSync(path.join(packageDir, file), 'utf8').trim();
    } catch {
      return null;
    }
  };
  const executable = read('path.txt');
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
    return existsSync(binary) ? { binary } : { reason: `no binary at ELECTRON_OVERRIDE_DIST_PATH, ${binary}` };
  }
  if (!executable) return { reason: 'its binary was never downloaded (npx install-electron fetches it)' };
  const binary = path.join(packageDir, 'dist', executable);
  if (!existsSync(binary)) return { reason: 'its binary is missing (npx install-electron fetches it)' };
  const wanted = JSON.parse(read('package.json') ?? '{}').version;
  const installed = read(path.join('dist', 'version'))?.replace(/^v/, '');
  if (wanted && installed !== wanted) {
    return { reason: `its binary is Electron ${installed ?? 'unknown'}, the package is ${wanted} (npx install-electron fetches it)` };
  }
  return { binary };
}
