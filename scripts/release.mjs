#!/usr/bin/env node
/**
 * Builds the installable packages (README, "Packages"), on a machine with network access:
 * electron-builder downloads the Electron runtime for each target, NSIS and the AppImage tools.
 *
 *   node scripts/release.mjs [--linux] [--win] [--unsigned]
 *
 * Default: this computer's platform. Windows packages are built signed with
 * electron-builder.release.yml (forceCodeSigning: an unsigned build fails), whose home installs
 * update themselves from the feed JOLDAMA_UPDATE_FEED names (an https address, required; the feed
 * folder gets latest.yml / latest-linux.yml and the packages: docs/kiosk.md, "Updates"). Every
 * package an install may update itself from (the AppImage, the NSIS installer) gets `<file>.sig`,
 * signed with the release key JOLDAMA_RELEASE_KEY names (a file; required; it must be the key
 * resources/update-key.pem belongs to, or the packages would refuse every update). --unsigned
 * builds with electron-builder.yml instead (no feed: never updates itself; no .sig), for testing
 * only. Steps: npm ci, the release key checked, the renderer and main bundles (npm run
 * build:renderer, build:electron), the tests of the packaging configuration and of the built main,
 * electron-builder, the .sig files, then SHA256SUMS beside the packages in release/.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const known = new Set(['--linux', '--win', '--unsigned']);
for (const arg of args) {
  if (!known.has(arg)) {
    console.error(`unknown option ${arg}; usage: node scripts/release.mjs [--linux] [--win] [--unsigned]`);
    process.exit(2);
  }
}
const platforms = [...args].filter((a) => a === '--linux' || a === '--win');
if (platforms.length === 0) platforms.push(process.platform === 'win32' ? '--win' : '--linux');
const config = args.has('--unsigned') ? 'electron-builder.yml' : 'electron-builder.release.yml';
if (config === 'electron-builder.release.yml' && !/^https:\/\/[^\s/]+/.test(process.env.JOLDAMA_UPDATE_FEED ?? '')) {
  console.error('release: set JOLDAMA_UPDATE_FEED to the https address of the update feed (docs/kiosk.md, "Updates"), or build --unsigned for testing');
  process.exit(2);
}
const signed = config === 'electron-builder.release.yml';
if (signed && !existsSync(process.env.JOLDAMA_RELEASE_KEY ?? '')) {
  console.error('release: set JOLDAMA_RELEASE_KEY to the file holding the release key that signs updates (docs/kiosk.md, "Updates"), or build --unsigned for testing');
  process.exit(2);
}

function run(command, commandArgs, env = {}) {
  console.log(`\n> ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32' && command === 'npm',
  });
  if (result.status !== 0) {
    console.error(`release: ${command} ${commandArgs.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
}

const signing = path.join(root, 'main', 'electron', 'update-signing.ts');
run('npm', ['ci', '--no-audit', '--no-fund']);
if (signed) run('npx', ['tsx', signing, 'check-key']);
run('npm', ['run', 'build:renderer']);
run('npm', ['run', 'build:electron']);
run('npx', ['vitest', 'run', 'test/main/packaging.test.ts', 'test/main/built-main.test.ts']);
run(process.execPath, [path.join(root, 'node_modules', 'electron-builder', 'cli.js'), '--config', config, ...platforms, '--publish', 'never']);

const out = path.join(root, 'release');
const packages = readdirSync(out).filter((f) => /\.(exe|AppImage|deb|tar\.gz)$/.test(f) && statSync(path.join(out, f)).isFile());
// The packages an install updates itself from: the AppImage and the NSIS installer (not the portable .exe).
const updatable = packages.filter((f) => /\.AppImage$/.test(f) || /-Setup-.*\.exe$/.test(f));
if (signed && updatable.length > 0) {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  run('npx', ['tsx', signing, 'sign', version, ...updatable.map((f) => path.join(out, f))]);
}
const sums = packages.map((f) => `${createHash('sha256').update(readFileSync(path.join(out, f))).digest('hex')}  ${f}`).join('\n');
writeFileSync(path.join(out, 'SHA256SUMS'), `${sums}\n`);
console.log(`\nrelease/ (${config}):\n${sums}`);
