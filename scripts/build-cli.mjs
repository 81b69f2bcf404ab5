#!/usr/bin/env node
/**
 * Builds the Node entry points as plain JavaScript into dist/cli/ (gitignored, never edited by
 * hand): main.js, the `joldama` command (bin/joldama.js), and demo-app.js, the browser-mode demo
 * behind `npm start` (bin/start.js). Run by npm's `prepare` (npm ci / npm install), by
 * `npm run build:cli`, by the test setup, and by the bin scripts when the build is missing or
 * older than its sources.
 *
 * One self-contained ESM bundle per command (main.js, the dispatcher, imports the one asked for:
 * `joldama verify` loads verify.js and nothing of the portal) and one for the demo app. Shared
 * chunks would not do: a chunk holds what any of its users needs, so the portal's full zod and
 * @peculiar/x509 would ride along with `verify`. Dependencies are bundled too (a third of
 * `npm start` went to Node finding and reading Fastify's files one by one), except EXTERNAL.
 * `import.meta.url` keeps meaning the source file's address (the code finds resources/ and
 * renderer/dist relative to it); `import.meta.dirname` is left alone, meaning the bundle's folder.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProblem, writeBuildInfo } from './build-info.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIST = path.join(root, 'dist', 'cli');

/**
 * Modules that the others import dynamically and that stay in a bundle of their own, loaded only
 * when used: OCSP pulls in pkijs, which alone was a third of `joldama verify`'s start-up
 * (docs/architecture.md, "Start-up of `joldama verify`"). Their module state is their own: keep them stateless.
 */
const LAZY = {
  ocsp: 'signing/trust/revocation/ocsp.ts',
};

/** Output name → source. Every command cli/main.ts or cli/program.ts imports must be here (checked below). */
const ENTRIES = {
  main: 'cli/main.ts',
  // commander and the help: not loaded by a plain `joldama verify` call (cli/main.ts).
  program: 'cli/program.ts',
  keys: 'cli/keys.ts',
  sign: 'cli/sign.ts',
  // verify.cjs, not verify.js: see COMMON_JS.
  verify: 'cli/verify.ts',
  'demo-pki': 'cli/demo-pki.ts',
  portal: 'cli/portal.ts',
  calendar: 'cli/calendar.ts',
  'demo-app': 'demo/app.ts',
  // Not a command: the portal's signature verification worker, started by file name from the
  // bundles that hold the pool (portal.js, demo-app.js), which find it beside them through
  // import.meta.dirname (left as the bundle's folder; see portal/verification/verify-worker.ts).
  'verify-worker': 'portal/verification/verify-worker.ts',
  // Not a command either: the key store worker (PKCS#12 off the event loop), found the same way
  // by the bundles that open key files (demo-app.js; see signing/keystore/in-worker.ts).
  'pkcs12-worker': 'signing/keystore/pkcs12-worker.ts',
  // The token worker (PKCS#11 off the event loop), found the same way by demo-app.js (browser mode's
  // tokens; see signing/pkcs11/in-worker.ts).
  'pkcs11-worker': 'signing/pkcs11/pkcs11-worker.ts',
  ...LAZY,
};
/**
 * Commands built as CommonJS (`NAME.cjs`): main.js runs `joldama verify` from verify.cjs through
 * node:vm with a V8 code cache beside it (cli/code-cache.ts), which Node 20 offers for scripts only.
 * node:vm serves no import() without an experimental flag, so in these bundles a LAZY module is
 * required, still only when first used (esbuild turns `import(x)` into a promise of `require(x)`),
 * from a CommonJS build of its own (`ocsp.cjs`).
 */
const COMMON_JS = new Set(['verify']);

/** Left in node_modules: a native addon, optional native code, files read next to the code, the UI's. */
const EXTERNAL = ['better-sqlite3', 'pg', 'pdfkit', 'nodemailer', 'react', 'react-dom'];

/** The dispatchers' `import('./verify.ts')` becomes `import('./verify.js')`, the command's own bundle. */
const commandBundlesPlugin = {
  name: 'command-bundles',
  setup(build) {
    const dispatchers = new Set([ENTRIES.main, ENTRIES.program].map((source) => path.join(root, source)));
    build.onResolve({ filter: /^\.\/[\w-]+\.ts$/ }, (args) => {
      if (args.kind !== 'dynamic-import' || !dispatchers.has(args.importer)) return undefined;
      const name = path.basename(args.path, '.ts');
      if (ENTRIES[name] !== `cli/${name}.ts`) return { errors: [{ text: `${args.path} is a command: list it in ENTRIES (scripts/build-cli.mjs)` }] };
      return { path: `./${name}${COMMON_JS.has(name) ? '.cjs' : '.js'}`, external: true };
    });
  },
};

/** A dynamic import of a LAZY module becomes an import of its own bundle beside the importer's. */
const lazyBundlesPlugin = {
  name: 'lazy-bundles',
  setup(build) {
    const byPath = new Map(Object.entries(LAZY).map(([name, source]) => [path.join(root, source), name]));
    const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /\.ts$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const name = byPath.get(path.resolve(args.resolveDir, args.path));
      return name === undefined ? undefined : { path: `./${name}${extension}`, external: true };
    });
  },
};

/** Rewrites import.meta.url in our sources to the source file's own URL, relative to the chunk. */
const sourceUrlPlugin = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const relative = path.relative(CLI_DIST, args.path).split(path.sep).join('/');
      const contents = readFileSync(args.path, 'utf8').replaceAll(
        'import.meta.url',
        `new URL(${JSON.stringify(relative)}, import.meta.url).href`,
      );
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

/** Builds dist/cli/ and records what it was built from; returns the output files. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const staging = `${CLI_DIST}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const common = {
    absWorkingDir: root,
    outdir: staging,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    mainFields: ['module', 'main'],
    plugins: [commandBundlesPlugin, lazyBundlesPlugin, sourceUrlPlugin],
    metafile: true,
    logLevel: 'warning',
  };
  const esm = await build({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).filter(([name]) => !COMMON_JS.has(name))),
    format: 'esm',
    // main.ts runs verify from its CommonJS bundle only when built (cli/code-cache.ts).
    define: { JOLDAMA_BUILT: 'true' },
    // CommonJS dependencies (commander, node-forge, ...) call require(): give the ESM bundles one.
    banner: { js: "import { createRequire as __joldamaRequire } from 'node:module'; const require = __joldamaRequire(import.meta.url);" },
  });
  const cjs = await build({
    ...common,
    entryPoints: { ...Object.fromEntries(Object.entries(ENTRIES).filter(([name]) => COMMON_JS.has(name))), ...LAZY },
    format: 'cjs',
    supported: { 'dynamic-import': false },
    outExtension: { '.js': '.cjs' },
    // import.meta as the ESM bundles have it: the bundle's own URL and folder.
    define: { 'import.meta.url': '__joldamaBundleUrl', 'import.meta.dirname': '__dirname' },
    banner: { js: "const __joldamaBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const result = {
    metafile: {
      inputs: { ...esm.metafile.inputs, ...cjs.metafile.inputs },
      outputs: { ...esm.metafile.outputs, ...cjs.metafile.outputs },
    },
  };
  // The metafile (what each chunk holds and imports) as if built in place, for test/cli/bundle.test.ts.
  const stagingPrefix = `${path.relative(root, staging).split(path.sep).join('/')}/`;
  const meta = JSON.stringify(result.metafile).replaceAll(stagingPrefix, 'dist/cli/');
  writeFileSync(path.join(staging, 'meta.json'), meta);
  const scripts = ['scripts/build-cli.mjs', 'scripts/build-info.mjs'];
  const inputsOf = (...bundles) => bundles.flatMap((b) => Object.keys(result.metafile.outputs[path.join(path.relative(root, staging), b).split(path.sep).join('/')]?.inputs ?? {}));
  writeBuildInfo(staging, startedAt, [...Object.keys(result.metafile.inputs), ...scripts], {
    [CHECKED_ALONE.command]: [...inputsOf(...CHECKED_ALONE.bundles), ...scripts],
  });
  // The staging folder replaces the old build whole: a half-written build is never run.
  const old = `${CLI_DIST}.old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  try {
    renameSync(CLI_DIST, old);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  try {
    renameSync(staging, CLI_DIST);
  } catch (e) {
    // Another process built at the same time and its build landed first: it is as current as ours.
    if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  return Object.keys(result.metafile.outputs);
}

/**
 * `joldama verify` runs once per document, so its start checks only the bundles it may load: the
 * dispatcher, its own, the lazy OCSP one, and commander's program (its help, or a call the fast
 * path declines); it starts no worker (test/cli/bundle.test.ts). Any other command checks the whole build.
 */
const CHECKED_ALONE = { command: 'verify', bundles: ['main.js', 'verify.cjs', 'ocsp.cjs', 'program.js'] };

/** Builds when missing or stale (for `command`: see CHECKED_ALONE); says so on stderr. */
export async function ensureCliBuilt(command) {
  const problem = buildProblem(CLI_DIST, command === CHECKED_ALONE.command ? command : undefined);
  if (problem === undefined) return;
  process.stderr.write(`joldama: building the command into dist/cli (${problem})...\n`);
  await buildCli();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outputs = await buildCli();
  console.log(`built ${path.relative(root, CLI_DIST)}/ (${outputs.length} files)`);
}
