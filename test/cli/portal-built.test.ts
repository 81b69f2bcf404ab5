/**
 * The built `joldama portal` (dist/cli, built by the test setup) verifies signatures in its built
 * worker, dist/cli/verify-worker.js, loaded by plain Node without tsx: a demo key logs in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLoginXml } from '../../protocol/signed-documents.ts';
import { getDemoPki } from '../helpers/demo-pki.ts';
import { signWith } from '../portal/server/real-signatures.ts';
import { INDIVIDUAL } from '../portal/api/fixtures.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the built portal command', () => {
  let child: ChildProcess;
  let dataDir: string;
  let url: string;
  let stdout = '';

  beforeAll(async () => {
    const pki = await getDemoPki();
    dataDir = await mkdtemp(join(tmpdir(), 'joldama-built-portal-'));
    // The run's demo PKI as the demo portal's own (it is made only when missing).
    await cp(pki.dir, join(dataDir, 'demo-pki'), { recursive: true });
    child = spawn(process.execPath, ['bin/joldama.js', 'portal', '--demo', '--port', '0', '--db', ':memory:', '--data-dir', dataDir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const listening = /listening at (http:\/\/\S+)/.exec(stderr);
        if (listening) resolve(listening[1]!);
      });
      child.once('exit', (code) => reject(new Error(`joldama portal exited (${code}): ${stderr}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('runs the built verification worker and logs a demo key in with it', async () => {
    const started = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; entry?: string; workers?: number })
      .find((line) => line.msg === 'signatures are verified in worker threads');
    expect(started?.entry).toBe(join('dist', 'cli', 'verify-worker.js'));
    expect(started?.workers).toBeGreaterThan(0);

    const challenge = (await (await fetch(`${url}/api/auth/challenge`, { method: 'POST' })).json()) as { nonce: string; origin: string; issuedAt: string };
    const signedXml = await signWith(INDIVIDUAL, buildLoginXml({ nonce: challenge.nonce, origin: challenge.origin, timestamp: challenge.issuedAt }));
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signedXml }) });
    expect(await login.json()).toMatchObject({ token: expect.stringMatching(/^[\w-]{43}$/) });
  });
});
