/**
 * Bundles the Electron entry and preload with esbuild into dist-electron/main/
 * (`npm run build:electron`): electron-main.js as ESM, preload.cjs as CommonJS (sandboxed
 * preloads cannot be ES modules), and pkcs12-worker.js, the key-store worker thread that
 * signing/keystore/in-worker.ts starts beside the bundle that imports it. `electron` stays
 * external; everything else is bundled. These files are what the package holds
 * (electron-builder.yml `files`); test/main/built-main.test.ts starts the built main under Node.
 * The preload is minified and held to PRELOAD_BUDGET_BYTES: it runs in every page load and
 * imports no schema (contract/channels.ts); importing the contract again would pull in zod
 * (the preload was 773 KB that way), and the build fails.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ELECTRON_DIST = path.join(root, 'dist-electron', 'main');

export const PRELOAD_BUDGET_BYTES = 20 * 1024;

const common = { bundle: true, target: 'node20', external: ['electron'], logLevel: 'warning' } satisfies BuildOptions;

/** The preload bundle; `write: false` builds it in memory (tests). Throws past the budget. */
export async function buildPreload(options: { write: boolean; outdir?: string }): Promise<{ bytes: number; inputs: string[] }> {
  const outdir = options.outdir ?? ELECTRON_DIST;
  const result = await build({
    ...common,
    entryPoints: [path.join(root, 'main/electron/preload.ts')],
    outfile: path.join(outdir, 'preload.cjs'),
    format: 'cjs',
    platform: 'browser',
    minify: true,
    sourcemap: options.write,
    write: options.write,
    metafile: true,
  });
  const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  if (bytes > PRELOAD_BUDGET_BYTES) {
    throw new Error(`preload.cjs is ${bytes} bytes, over its budget of ${PRELOAD_BUDGET_BYTES}: does it import a schema?`);
  }
  return { bytes, inputs: Object.keys(result.metafile.inputs) };
}

/** Builds into `outdir` (default dist-electron/main). */
export async function buildElectron(outdir = ELECTRON_DIST): Promise<{ preloadBytes: number }> {
  await build({
    ...common,
    platform: 'node',
    sourcemap: true,
    entryPoints: {
      'electron-main': path.join(root, 'main/electron/electron-main.ts'),
      'pkcs12-worker': path.join(root, 'signing/keystore/pkcs12-worker.ts'),
      'pkcs11-worker': path.join(root, 'signing/pkcs11/pkcs11-worker.ts'),
    },
    outdir,
    format: 'esm',
    // CommonJS dependencies (node-forge, ...) call require(): give the ESM bundle one.
    banner: { js: "import { createRequire as __joldamaRequire } from 'node:module'; const require = __joldamaRequire(import.meta.url);" },
  });
  const preload = await buildPreload({ write: true, outdir });
  return { preloadBytes: preload.bytes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { preloadBytes } = await buildElectron();
  console.log(`built ${path.relative(root, ELECTRON_DIST)}/electron-main.js, pkcs12-worker.js, pkcs11-worker.js and preload.cjs (${preloadBytes} bytes, budget ${PRELOAD_BUDGET_BYTES})`);
}
