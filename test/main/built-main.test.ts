/**
 * The files a package would hold start: main/electron/build.ts builds electron-main.js,
 * pkcs12-worker.js and preload.cjs into a temporary folder laid out as in app.asar (package.json
 * beside dist-electron/, no node_modules but a stand-in `electron`), and plain Node starts the
 * built main far enough to open its window and answer an IPC call (every import resolved, the
 * services wired), and the built key-store worker answers a job. The Electron binary itself is
 * not available here (README, "Packages").
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../main/electron/build.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let app: string;

beforeAll(async () => {
  app = await mkdtemp(path.join(os.tmpdir(), 'joldama-built-'));
  await buildElectron(path.join(app, 'dist-electron', 'main'));
  await cp(path.join(root, 'package.json'), path.join(app, 'package.json'));
  const standIn = path.join(app, 'node_modules', 'electron');
  await mkdir(standIn, { recursive: true });
  await cp(fileURLToPath(new URL('fixtures/electron-stand-in/index.js', import.meta.url)), path.join(standIn, 'index.js'));
  await writeFile(path.join(standIn, 'package.json'), JSON.stringify({ name: 'electron', type: 'module', exports: './index.js' }));
}, 120_000);
afterAll(async () => {
  await rm(app, { recursive: true, force: true });
});

describe('the built main (dist-electron/main)', () => {
  it('holds the main bundle, the key-store and token workers and the preload', async () => {
    const files = await readdir(path.join(app, 'dist-electron', 'main'));
    expect(files).toEqual(expect.arrayContaining(['electron-main.js', 'pkcs12-worker.js', 'pkcs11-worker.js', 'preload.cjs']));
  });

  it('starts under plain Node with a stand-in electron: opens its window and answers app.info', async () => {
    const userData = path.join(app, 'user-data');
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(app, 'dist-electron', 'main', 'electron-main.js')],
        {
          cwd: app,
          timeout: 60_000,
          env: { PATH: process.env.PATH, STAND_IN_USER_DATA: userData, JOLDAMA_POLICY_FILE: path.join(app, 'no-policy.json') },
        },
        (error, out, err) => (error ? reject(Object.assign(error, { stderr: err })) : resolve({ stdout: out, stderr: err })),
      ),
    );
    const line = stdout.split('\n').find((l) => l.startsWith('STAND-IN '));
    expect(line, stderr).toBeDefined();
    const result = JSON.parse(line!.slice('STAND-IN '.length)) as { url: string; preload: string; answer: unknown };
    expect(result.url).toBe('app://joldama/index.html');
    expect(result.preload).toBe(path.join(app, 'dist-electron', 'main', 'preload.cjs'));
    expect(result.answer).toMatchObject({ ok: true, value: { mode: 'electron', version: '0.0.0-built', portalUrl: 'https://joldama.example.kz' } });
  }, 90_000);

  it("the built key-store worker loads and answers a job (a missing file: the signing library's FILE_NOT_FOUND)", async () => {
    const worker = new Worker(path.join(app, 'dist-electron', 'main', 'pkcs12-worker.js'));
    try {
      const reply = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({ id: 7, file: path.join(app, 'none.p12'), password: new Uint8Array(4) });
      });
      expect(reply).toMatchObject({ id: 7, ok: false, code: 'FILE_NOT_FOUND' });
    } finally {
      await worker.terminate();
    }
  }, 60_000);

  it('the built token worker loads and lists the tokens of a module that cannot be loaded as a problem, not a crash', async () => {
    const missing = path.join(app, 'no-such-pkcs11.so');
    const worker = new Worker(path.join(app, 'dist-electron', 'main', 'pkcs11-worker.js'), {
      workerData: { modules: [missing], vendorDefaults: false },
    });
    try {
      const reply = await new Promise((resolve, reject) => {
        worker.on('message', (answer: { id?: number }) => answer.id === 3 && resolve(answer));
        worker.once('error', reject);
        worker.postMessage({ id: 3, call: 'listTokens', input: {} });
      });
      // TOKEN_FAILURE where pkcs11js is built, TOKENS_UNAVAILABLE where it is not: never a thrown worker.
      expect(reply).toMatchObject({ id: 3, ok: true, value: { tokens: [], problems: [{ where: missing }] } });
    } finally {
      await worker.terminate();
    }
  }, 60_000);
});
