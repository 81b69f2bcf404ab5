/**
 * What electron-builder would copy of a production dependency into the package, computed by its
 * own code (app-builder-lib's getMainFileMatchers and FileMatcher, as computeNodeModuleFileSets
 * uses them) from electron-builder.yml's `files`: the Electron binary is not available here, so the
 * packager itself cannot run (README, "Packages").
 */
import { createRequire } from 'node:module';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const projectDir = fileURLToPath(new URL('../../..', import.meta.url));

interface Matcher {
  patterns: string[];
  createFilter(): (file: string, stat: object) => boolean;
}
export const { getConfig } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig: (dir: string, file: string, extra: unknown) => Promise<Record<string, unknown>>;
};
const { FileMatcher, getMainFileMatchers } = require('app-builder-lib/out/fileMatcher.js') as {
  FileMatcher: new (from: string, to: string, expand: (s: string) => string, patterns: string[]) => Matcher;
  getMainFileMatchers: (...args: unknown[]) => Matcher[];
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

/** The files of node_modules/`name` (relative to it, sorted) that the package would hold. */
export async function packagedModuleFiles(name: string, configFile = 'electron-builder.yml'): Promise<string[]> {
  const config = await getConfig(projectDir, configFile, null);
  const expand = (s: string) => s;
  const appOut = path.join(projectDir, 'stand-in-app');
  const packager = {
    info: { projectDir, buildResourcesDir: 'resources', config, isPrepackedAppAsar: false, debugLogger: new DebugLogger(false) },
  };
  const main = getMainFileMatchers(projectDir, appOut, expand, {}, packager, path.join(projectDir, 'release'), false)[0]!;
  const source = path.join(projectDir, 'node_modules', name);
  const destination = path.join('node_modules', name);
  const filter = new FileMatcher(source, path.join(appOut, destination), expand, main.patterns).createFilter();
  const chosen: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      const stats = Object.assign(await stat(file), { moduleFullFilePath: path.join(destination, path.relative(source, file)) });
      if (!filter(file, stats)) continue;
      if (entry.isDirectory()) await walk(file);
      else chosen.push(path.relative(source, file).split(path.sep).join('/'));
    }
  };
  await walk(source);
  return chosen.sort();
}
