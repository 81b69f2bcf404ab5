/**
 * `npm start` on a machine without the Electron binary (this one): one clear line saying why,
 * then browser mode with the address to open; Ctrl-C stops it cleanly.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
