/**
 * The files a package would hold start: main/electron/build.ts builds electron-main.js,
 * pkcs12-worker.js and preload.cjs into a temporary folder laid out as in app.asar (package.json
 * beside dist-electron/, no node_modules but a stand-in `electron`), and plain Node starts the
 * built main far enough to open its window and answer an IPC call (every import resolved, the
 * services wired), and the built key-store worker answers a job. node_modules/pkcs11js holds what
 * electron-builder.yml ships of it (helpers/packaged-files.ts): started as a packaged app, the
 * built main lists a SoftHSM token through it. The Electron binary itself is not available here
 * (README, "Packages").
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../main/electron/build.ts';
import { makeSoftHsm } from '../helpers/softhsm.ts';
import { packagedModuleFiles, projectDir } from './helpers/packaged-files.ts';

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
  // What the package holds of pkcs11js, laid out as in app.asar (plus app.asar.unpacked for the addon).
  for (const file of await packagedModuleFiles('pkcs11js')) {
    await mkdir(path.dirname(path.join(app, 'node_modules', 'pkcs11js', file)), { recursive: true });
    await cp(path.join(projectDir, 'node_modules', 'pkcs11js', file), path.join(app, 'node_modules', 'pkcs11js', file));
  }
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
    const result = await startBuiltMain({ STAND_IN_USER_DATA: path.join(app, 'user-data'), JOLDAMA_POLICY_FILE: path.join(app, 'no-policy.json') });
    expect(result.url).toBe('app://joldama/index.html');
    expect(result.preload).toBe(path.join(app, 'dist-electron', 'main', 'preload.cjs'));
    expect(result.answer).toMatchObject({ ok: true, value: { mode: 'electron', version: '0.0.0-built', portalUrl: 'https://joldama.example.kz' } });
  }, 90_000);

  // #16: pkcs11js resolves from the packaged layout (node_modules beside dist-electron).
  it('started as a packaged app, lists a token through the pkcs11js the package ships; without it, TOKENS_UNAVAILABLE', async () => {
    const hsm = makeSoftHsm();
    try {
      await hsm.makeToken('PACKAGED');
      const resources = path.join(app, 'resources');
      await mkdir(resources, { recursive: true });
      // The installer's configuration names the module (a packaged app reads no module from the environment).
      await writeFile(path.join(resources, 'config.json'), JSON.stringify({ tokenModules: [hsm.module] }));
      const env = {
        STAND_IN_USER_DATA: path.join(app, 'user-data-packaged'),
        STAND_IN_PACKAGED: '1',
        STAND_IN_RESOURCES: resources,
        STAND_IN_CALL: 'keys.tokens',
        SOFTHSM2_CONF: path.join(hsm.dir, 'softhsm2.conf'),
      };
      const listed = await startBuiltMain(env);
      expect(listed.answer).toMatchObject({ ok: true, value: { tokens: [expect.objectContaining({ label: 'PACKAGED' })], problems: [] } });

      // The check bites: without node_modules/pkcs11js the same start cannot load the binding.
      const shipped = path.join(app, 'node_modules', 'pkcs11js');
      await rename(shipped, `${shipped}.away`);
      try {
        const without = await startBuiltMain(env);
        expect(without.answer).toMatchObject({ ok: false, error: { code: 'TOKENS_UNAVAILABLE' } });
      } finally {
        await rename(`${shipped}.away`, shipped);
      }
    } finally {
      hsm.cleanup();
    }
  }, 120_000);

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

/** Starts the built main under plain Node with the stand-in electron and returns what the stand-in printed. */
async function startBuiltMain(env: Record<string, string>): Promise<{ url: string; preload: string; answer: unknown }> {
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
    execFile(
      process.execPath,
      [path.join(app, 'dist-electron', 'main', 'electron-main.js')],
      { cwd: app, timeout: 60_000, env: { PATH: process.env.PATH, ...env } },
      (error, out, err) => (error ? reject(Object.assign(error, { stderr: err })) : resolve({ stdout: out, stderr: err })),
    ),
  );
  const line = stdout.split('\n').find((l) => l.startsWith('STAND-IN '));
  expect(line, stderr).toBeDefined();
  return JSON.parse(line!.slice('STAND-IN '.length)) as { url: string; preload: string; answer: unknown };
}
