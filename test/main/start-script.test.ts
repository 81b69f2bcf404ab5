/**
 * `npm start` on a machine without the Electron binary (this one): one clear line saying why,
 * then browser mode with the address to open; Ctrl-C stops it cleanly.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../bin/electron-binary.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('npm start without Electron', () => {
  it('says why, starts browser mode and prints the address', async () => {
    // An unreachable portal address: no demo portal to start, the UI and bridge are what is tested.
    // ELECTRON_OVERRIDE_DIST_PATH to an empty place: never a real Electron, even where one is installed.
    const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'no-electron-here') };
    const dataDir = mkdtempSync(path.join(tmpdir(), 'joldama-start-'));
    const child = spawn(process.execPath, ['bin/start.js', '--portal', 'http://127.0.0.1:9', '--data-dir', dataDir], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /open this address in your browser: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`start.js exited (${code}): ${out}`)));
    });
    try {
      expect(out).toMatch(/^joldama: Electron is not installed on this machine \([^)]+\); starting in browser mode instead$/m);
      // Where the demo keys are, their password, and whom to log in as.
      expect(out).toMatch(/^joldama: demo keys: .+ \(password: Qwerty12\)$/m);
      expect(out).toMatch(/^joldama: for the referral journey, log in as ЖАНБЫРБАЕВА АЙГҮЛ \(IIN 880314401231\)/m);
      expect(out).toMatch(/^joldama: {3}key dialog path: .+zhanbyrbayeva-aigul /m);
      const page = await fetch(new URL('/', url));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const info = await fetch(new URL('/api/rpc/app.info', url), {
        method: 'POST',
        headers: { authorization: `Bearer ${new URL(url).hash.slice('#token='.length)}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(await info.json()).toMatchObject({ ok: true, value: { mode: 'browser', demo: true, portalUrl: 'http://127.0.0.1:9' } });
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      // Kept for the next start: the demo keys are made once, not on every start.
      expect(existsSync(path.join(dataDir, 'demo-pki', 'index.json'))).toBe(true);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('finding the Electron binary (never by loading the package, which downloads since Electron 45)', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  /** A stand-in node_modules/electron whose index.js leaves a mark if anything loads it. */
  function electronPackage(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'joldama-electron-pkg-'));
    made.push(dir);
    const all: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'electron', version: '45.5.0', main: 'index.js' }),
      'index.js': `require('fs').writeFileSync(require('path').join(__dirname, 'LOADED'), ''); module.exports = 'x';`,
      ...files,
    };
    for (const [name, content] of Object.entries(all)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    return dir;
  }

  it('says the package is absent', () => {
    expect(findElectronBinary(null, {})).toEqual({ reason: 'the electron package is not installed' });
  });

  it('says the binary was never downloaded, and does not load the package (which would fetch it)', () => {
    const dir = electronPackage({});
    expect(findElectronBinary(dir, {})).toEqual({ reason: expect.stringMatching(/never downloaded/) });
    expect(existsSync(path.join(dir, 'LOADED'))).toBe(false);
  });

  it('finds a downloaded binary of the package version through path.txt', () => {
    const dir = electronPackage({ 'path.txt': 'electron', 'dist/electron': '', 'dist/version': 'v45.5.0' });
    expect(findElectronBinary(dir, {})).toEqual({ binary: path.join(dir, 'dist', 'electron') });
    expect(existsSync(path.join(dir, 'LOADED'))).toBe(false);
  });

  it('refuses a binary left from another version, and a path.txt whose binary is gone', () => {
    const old = electronPackage({ 'path.txt': 'electron', 'dist/electron': '', 'dist/version': 'v41.7.1' });
    expect(findElectronBinary(old, {})).toEqual({ reason: expect.stringMatching(/binary is Electron 41\.7\.1, the package is 45\.5\.0/) });
    const gone = electronPackage({ 'path.txt': 'electron' });
    expect(findElectronBinary(gone, {})).toEqual({ reason: expect.stringMatching(/binary is missing/) });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH as the package does', () => {
    const dir = electronPackage({ 'path.txt': 'electron' });
    const dist = mkdtempSync(path.join(tmpdir(), 'joldama-electron-dist-'));
    made.push(dist);
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: dist })).toEqual({ reason: expect.stringMatching(/ELECTRON_OVERRIDE_DIST_PATH/) });
    writeFileSync(path.join(dist, 'electron'), '');
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: dist })).toEqual({ binary: path.join(dist, 'electron') });
  });
});
