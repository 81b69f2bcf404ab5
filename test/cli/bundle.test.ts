/**
 * The built command (dist/cli, built by the test setup from today's sources) loads only what the
 * command asked for needs: `joldama verify` must start fast and small, so neither main.js nor
 * verify.cjs may carry or import the portal, the demo, the app or the server stack. Read from
 * esbuild's own record of each bundle (meta.json): a static import added anywhere on that path
 * shows up here. The key store worker, started by file name, is built beside the bundles using it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_DIST } from '../../scripts/build-cli.mjs';
import { buildProblem } from '../../scripts/build-info.mjs';
import { createOcspResponder } from '../../demo/pki/ocsp-responder.ts';
import { closeKeyStoreWorker, openKeyStore, openKeyStoreInWorker } from '../../signing/index.ts';
import { fileSigner } from '../../signing/keystore/file-signer.ts';
import { buildOcspRequest } from '../../signing/trust/revocation/ocsp.ts';
import { signXml } from '../../signing/xml/sign.ts';
import { getDemoPki } from '../helpers/demo-pki.ts';

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: Array<{ path: string; kind: string; external?: boolean }> }>;
}

const SERVER_STACK = /^(fastify|@fastify\/|fastify-type-provider-zod|helmet|kysely|better-sqlite3|pg|pino|nodemailer|pdfkit|react|react-dom|electron)(\/|$)/;
const NOT_OURS_TO_LOAD = /^(portal|demo|main|renderer|contract|protocol)\//;

/** Everything one bundle holds (source files and packages) and what it leaves to node_modules. */
async function contents(bundle: string): Promise<{ sources: string[]; packageFiles: string[]; external: string[]; lazy: string[] }> {
  const meta = JSON.parse(await readFile(join(CLI_DIST, 'meta.json'), 'utf8')) as Metafile;
  const output = meta.outputs[`dist/cli/${bundle}`];
  if (!output) throw new Error(`dist/cli/${bundle} is not in the build`);
  const inputs = Object.keys(output.inputs);
  return {
    sources: inputs.filter((f) => !f.startsWith('node_modules/')),
    packageFiles: [...new Set(inputs.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/node_modules/').at(-1)!.replace(/^node_modules\//, '')))],
    external: output.imports.filter((i) => i.external && i.kind !== 'dynamic-import').map((i) => i.path),
    lazy: output.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path),
  };
}

describe('the built joldama command', () => {
  it('main.js holds the dispatcher, without commander; program.js loads each command only when asked for', async () => {
    const main = await contents('main.js');
    expect(main.sources.sort()).toEqual(['cli/code-cache.ts', 'cli/main.ts']);
    expect(main.packageFiles).toEqual([]);
    expect(main.external.filter((p) => !p.startsWith('node:'))).toEqual([]);
    // verify.cjs is run through node:vm with its code cache (cli/code-cache.ts), not imported.
    expect(main.lazy).toEqual(['./program.js']);
    const program = await contents('program.js');
    expect(program.sources).toEqual(['cli/program.ts']);
    expect(program.packageFiles.some((p) => p.startsWith('commander/'))).toBe(true);
    expect(program.lazy.sort()).toEqual(['./calendar.js', './demo-pki.js', './keys.js', './portal.js', './sign.js', './verify.cjs']);
  });

  it('verify.cjs holds the signing library, and nothing of the portal, the demo, the app or the server stack', async () => {
    const verify = await contents('verify.cjs');
    expect(verify.sources).toContain('signing/xml/verify.ts');
    expect(verify.sources.filter((f) => NOT_OURS_TO_LOAD.test(f))).toEqual([]);
    expect(verify.packageFiles.filter((p) => SERVER_STACK.test(p))).toEqual([]);
    // No ASN.1 library: pkijs (OCSP) waits in ocsp.cjs, required on the first OCSP question (node:vm,
    // which runs verify.cjs, serves no import(): scripts/build-cli.mjs COMMON_JS); certificates and
    // CRLs are read by signing/der.ts.
    expect(verify.external.filter((p) => !p.startsWith('node:'))).toEqual(['./ocsp.cjs']);
    expect(verify.packageFiles.filter((p) => /^(pkijs|asn1js|@peculiar\/|reflect-metadata|tsyringe)/.test(p))).toEqual([]);
    expect(verify.lazy).toEqual([]);
    // Start-up: no commander (program.js, for help) and no lru-cache (it loads perf_hooks); docs/architecture.md.
    expect(verify.packageFiles.filter((p) => /^(commander|lru-cache)\//.test(p))).toEqual([]);
    // Its start checks only main.js, verify.cjs, ocsp.cjs and program.js for staleness (scripts/build-cli.mjs CHECKED_ALONE):
    // that holds only while it starts no worker bundle.
    expect(verify.external).not.toContain('node:worker_threads');
    for (const bundle of ['ocsp.cjs', 'ocsp.js']) {
      const ocsp = await contents(bundle);
      expect(ocsp.sources).toContain('signing/trust/revocation/ocsp.ts');
      expect(ocsp.packageFiles.some((p) => p.startsWith('pkijs/'))).toBe(true);
    }
  });

  it('the built verify loads ocsp.cjs when given an OCSP response, and reads it', async () => {
    const pki = await getDemoPki();
    const work = mkdtempSync(join(tmpdir(), 'joldama-built-ocsp-'));
    try {
      const key = pki.key({ status: 'valid', purpose: 'SIGN' });
      const [opened] = await openKeyStore(key.path, pki.password);
      const signed = join(work, 'signed.xml');
      writeFileSync(signed, await signXml('<request><child>1</child></request>', fileSigner(opened!)));
      const responder = createOcspResponder({ caCertificate: pki.intermediate, caKey: pki.intermediateKey, revoked: [] });
      const response = join(work, 'sign.ocsp');
      writeFileSync(response, await responder.handle(buildOcspRequest(opened!.certificate, pki.intermediate).der));
      const trust = ['--trust', join(pki.dir, pki.index.ca.root), '--trust', join(pki.dir, pki.index.ca.intermediate)];
      const run = spawnSync(process.execPath, ['bin/joldama.js', 'verify', signed, ...trust, '--ocsp', response, '--json'], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      // Passed only if ocsp.js read the answer: with no revocation source the signer's status is unknown.
      expect(JSON.parse(run.stdout)).toMatchObject({ indication: 'TOTAL_PASSED', errors: [] });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('calendar.js works on the database alone: the calendar and kysely, no HTTP server', async () => {
    const calendar = await contents('calendar.js');
    expect(calendar.sources).toEqual(expect.arrayContaining(['cli/calendar.ts', 'portal/calendar/years.ts', 'portal/db/database.ts']));
    expect(calendar.sources.filter((f) => f.startsWith('portal/server/') && f !== 'portal/server/data-dir.ts')).toEqual([]);
    expect(calendar.packageFiles.filter((p) => /^(fastify|@fastify\/)/.test(p))).toEqual([]);
  });

  it('the check would see the server stack: portal.js has it', async () => {
    const portal = await contents('portal.js');
    expect(portal.sources).toContain('portal/server/start.ts');
    expect(portal.packageFiles).toEqual(expect.arrayContaining(['fastify/fastify.js', 'kysely/dist/esm/index.js']));
    expect(portal.external).toEqual(expect.arrayContaining(['better-sqlite3', 'pg']));
  });
});

describe('the built key store worker', () => {
  afterAll(() => closeKeyStoreWorker());

  it('sits beside every bundle that opens key files, and opens one in plain Node (no tsx)', async () => {
    const meta = JSON.parse(await readFile(join(CLI_DIST, 'meta.json'), 'utf8')) as Metafile;
    const opening = Object.keys(meta.outputs).filter((o) => o.endsWith('.js') && 'signing/keystore/in-worker.ts' in meta.outputs[o]!.inputs);
    expect(opening).toContain('dist/cli/demo-app.js');
    for (const bundle of opening) expect(dirname(bundle)).toBe('dist/cli');
    expect(Object.keys(meta.outputs)).toContain('dist/cli/pkcs12-worker.js');

    const pki = await getDemoPki();
    const file = pki.keyPath({ purpose: 'AUTH', status: 'valid' });
    const [key] = await openKeyStoreInWorker(file, Buffer.from(pki.password), { entry: pathToFileURL(join(CLI_DIST, 'pkcs12-worker.js')) });
    expect(key?.info).toEqual((await openKeyStore(file, pki.password))[0]?.info);
  });
});

describe('a stale build is noticed', () => {
  it('a source newer than the build, or gone, makes it stale', () => {
    const work = mkdtempSync(join(tmpdir(), 'joldama-build-info-'));
    try {
      const source = join(work, 'source.ts');
      writeFileSync(source, '');
      const past = Date.now() / 1000 - 60;
      utimesSync(source, past, past);
      writeFileSync(join(work, 'build-info.json'), JSON.stringify({ startedAt: Date.now() - 1000, inputs: [source] }));
      expect(buildProblem(work)).toBeUndefined();
      utimesSync(source, new Date(), new Date());
      expect(buildProblem(work)).toBe(`${source} changed since it was built`);
      rmSync(source);
      expect(buildProblem(work)).toBe(`${source} is gone since it was built`);
      writeFileSync(source, '');
      const other = join(work, 'other.ts');
      writeFileSync(other, '');
      utimesSync(source, past, past);
      utimesSync(other, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
      const info = { startedAt: Date.now() - 1000, inputs: [source, other], parts: { verify: [source] } };
      writeFileSync(join(work, 'build-info.json'), JSON.stringify(info));
      expect(buildProblem(work, 'verify')).toBeUndefined();
      expect(buildProblem(work)).toBe(`${other} changed since it was built`);
      expect(buildProblem(work, 'keys')).toBe(`${other} changed since it was built`);
      rmSync(join(work, 'build-info.json'));
      expect(buildProblem(work)).toBe('it is not built');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('the build the tests run is current', () => {
    expect(buildProblem(CLI_DIST)).toBeUndefined();
  });
});
