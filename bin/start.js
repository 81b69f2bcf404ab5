#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed; otherwise browser mode (the demo
// portal, the loopback bridge and the built UI), printing the address to open.
//   --browser        browser mode even when Electron is present (`npm run start:browser`)
//   --port <n>       bridge port (default: a free one)
//   --portal <url>   use this portal instead of starting the demo portal
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

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

/** The Electron binary's path when it is actually installed, else the reason it is not. */
function electronBinary() {
  try {
    const binary = require('electron');
    if (typeof binary === 'string' && existsSync(binary)) return { binary };
    return { reason: 'its binary is missing' };
  } catch {
    return { reason: 'its binary download is blocked' };
  }
}

if (!existsSync(path.join(root, 'renderer', 'dist', 'index.html'))) {
  console.log('joldama: building the user interface (renderer/dist)...');
  run('npx', ['vite', 'build', '-c', 'renderer/vite.config.ts']);
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
  const { register } = await import('tsx/esm/api');
  register();
  const { startDemoApp } = await import('../demo/app.ts');
  const port = option('--port');
  const portalUrl = option('--portal');
  const app = await startDemoApp({
    ...(port ? { port: Number(port) } : {}),
    ...(portalUrl ? { portalUrl } : {}),
    progress: (step) => console.log(`joldama: ${step}...`),
  });
  console.log(`joldama: portal ${app.portalUrl}`);
  console.log(`joldama: open this address in your browser: ${app.url}`);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
