/**
 * Bundles the Electron entry and preload with esbuild into dist-electron/main/
 * (`npm run build:electron`): electron-main.js as ESM, preload.cjs as CommonJS (sandboxed
 * preloads cannot be ES modules). `electron` stays external; everything else is bundled.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outdir = path.join(root, 'dist-electron', 'main');

export async function buildElectron(): Promise<void> {
  const common = { bundle: true, platform: 'node' as const, target: 'node20', external: ['electron'], sourcemap: true, logLevel: 'warning' as const };
  await build({
    ...common,
    entryPoints: [path.join(root, 'main/electron/electron-main.ts')],
    outfile: path.join(outdir, 'electron-main.js'),
    format: 'esm',
    // CommonJS dependencies (node-forge, ...) call require(): give the ESM bundle one.
    banner: { js: "import { createRequire as __joldamaRequire } from 'node:module'; const require = __joldamaRequire(import.meta.url);" },
  });
  await build({
    ...common,
    entryPoints: [path.join(root, 'main/electron/preload.ts')],
    outfile: path.join(outdir, 'preload.cjs'),
    format: 'cjs',
    platform: 'browser',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildElectron();
  console.log(`built ${path.relative(root, outdir)}/electron-main.js and preload.cjs`);
}
