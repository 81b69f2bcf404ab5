#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed; otherwise browser mode (the demo
// portal, the loopback bridge and the built UI), printing the address to open.
//   --browser        browser mode even when Electron is present (`npm run start:browser`)
//   --port <n>       bridge port (default: a free one)
//   --portal <url>   use this portal instead of starting the demo portal
//   --data-dir <dir> the demo's folder (default: Joldama's folder in the user's cache folder),
//                    kept from run to run: demo keys, portal data, settings
//   --reset-demo     start the demo afresh (new keys, portal data and settings)
// A step that takes longer than half a second says so on its own line.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCliBuilt } from '../scripts/build-cli.mjs';
import { buildProblem } from '../scripts/build-info.mjs';
import { findElectronBinary } from './electron-binary.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const SLOW_STEP_MS = 500;

function option(name) {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`joldama: "${command} ${args.join(' ')}" failed`);
    process.exit(result.status ?? 1);
  }
}

/** Marks the start of a step; its line is printed only if it is still running after SLOW_STEP_MS. */
let slowStep;
function step(name) {
  clearTimeout(slowStep);
  slowStep = name === undefined ? undefined : setTimeout(() => console.log(`joldama: ${name}...`), SLOW_STEP_MS);
}

/** The Electron binary's path when it is actually installed, else the reason it is not (never downloads it). */
function electronBinary() {
  let packageDir = null;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    // not installed
  }
  return findElectronBinary(packageDir);
}

const renderer = buildProblem(path.join(root, 'renderer', 'dist'));
if (renderer !== undefined) {
  console.log(`joldama: building the user interface (renderer/dist: ${renderer})...`);
  run(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'renderer/vite.config.ts']);
}

const electron = process.argv.includes('--browser') ? { reason: 'browser mode was asked for' } : electronBinary();

if (electron.binary) {
  run('npx', ['tsx', 'main/electron/build.ts']);
  const child = spawn(electron.binary, [root], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (electron.reason === 'browser mode was asked for') {
    console.log('joldama: starting in browser mode');
  } else {
    console.log(`joldama: Electron is not installed on this machine (${electron.reason}); starting in browser mode instead`);
  }
  await ensureCliBuilt();
  step('loading the app');
  const { demoGuide, startDemoApp, defaultDemoDataDir, openDemoDataDir } = await import('../dist/cli/demo-app.js');
  const port = option('--port');
  const portalUrl = option('--portal');
  const dataDir = path.resolve(option('--data-dir') ?? defaultDemoDataDir());
  const reset = await openDemoDataDir(dataDir, { reset: process.argv.includes('--reset-demo') });
  if (reset) console.log(`joldama: ${reset}`);
  const app = await startDemoApp({
    ...(port ? { port: Number(port) } : {}),
    ...(portalUrl ? { portalUrl } : {}),
    dataDir,
    progress: step,
  });
  step(undefined);
  console.log(`joldama: portal ${app.portalUrl}`);
  console.log(`joldama: demo data in ${dataDir} (--reset-demo starts it afresh)`);
  for (const line of demoGuide(app.demoKeysFolder, app.messageLog)) console.log(`joldama: ${line}`);
  console.log(`joldama: open this address in your browser: ${app.url}`);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
