/** `joldama sign` and `joldama verify` end to end, with the demo PKI's real .p12 keys. */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { registerSignCommand } from '../../cli/sign.ts';
import { registerVerifyCommand } from '../../cli/verify.ts';
import { createOcspResponder, loadDemoOcspResponder } from '../../demo/pki/ocsp-responder.ts';
import { openKeyStore } from '../../signing/keystore/pkcs12.ts';
import { buildOcspRequest } from '../../signing/trust/revocation/ocsp.ts';
import type { OpenedKey } from '../../signing/types.ts';
import { getDemoPki, type DemoPki } from '../helpers/demo-pki.ts';
import { referralXml } from '../signing/xml/fixtures.ts';

const HOUR = 3_600_000;
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** A CRL from the demo CA with these dates (the demo PKI's own CRL is dated at generation). */
async function demoCrl(o: {
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: Array<{ serialNumber: string; revokedAt: Date }>;
}): Promise<Buffer> {
  const signingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    pki.intermediateKey.export({ type: 'pkcs8', format: 'der' }),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const crl = await x509.X509CrlGenerator.create({
    issuer: new x509.X509Certificate(pki.intermediate.raw).subject,
    thisUpdate: o.thisUpdate,
    nextUpdate: o.nextUpdate,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    signingKey,
    entries: o.revoked.map((r) => ({
      serialNumber: r.serialNumber,
      revocationDate: r.revokedAt,
      reason: x509.X509CrlReason.keyCompromise,
    })),
  });
  return Buffer.from(crl.rawData);
}

let pki: DemoPki;
let dir: string;
let input: string;
let rootPem: string;
let caPem: string;
let crlFile: string;
const PASSWORD_ENV = 'JOLDAMA_TEST_XML_CLI_PASSWORD';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command the way bin/joldama does (minus the other commands). */
async function cli(...argv: string[]): Promise<Run> {
  let code = 0;
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const program = new Command('joldama').exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) });
  registerSignCommand(program, (c) => (code = c));
  registerVerifyCommand(program, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch {
    code = 3;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { code, stdout, stderr };
}

async function signWith(filter: Parameters<DemoPki['keyPath']>[0]): Promise<string> {
  const out = join(dir, `signed-${Math.random().toString(36).slice(2)}.xml`);
  const run = await cli('sign', input, '--key', pki.keyPath(filter), '--password-env', PASSWORD_ENV, '--out', out);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return out;
}

beforeAll(async () => {
  pki = await getDemoPki();
  dir = await mkdtemp(join(tmpdir(), 'joldama-xml-cli-'));
  input = join(dir, 'referral.xml');
  rootPem = join(pki.dir, pki.index.ca.root);
  caPem = join(pki.dir, pki.index.ca.intermediate);
  crlFile = join(pki.dir, pki.index.ca.crl);
  await writeFile(input, referralXml());
  process.env[PASSWORD_ENV] = pki.password;
});
afterEach(() => {
  process.env[PASSWORD_ENV] = pki.password;
});
afterAll(async () => {
  delete process.env[PASSWORD_ENV];
  await rm(dir, { recursive: true, force: true });
});

describe('joldama sign', () => {
  it('writes the signed document to standard output by default', async () => {
    const run = await cli('sign', input, '--key', pki.keyPath({ status: 'valid', purpose: 'SIGN' }), '--password-env', PASSWORD_ENV);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">');
    expect(run.stdout.trimEnd().endsWith('</ds:Signature></referralRequest>')).toBe(true);
  });

  it('a wrong password exits 3 and says so', async () => {
    process.env[PASSWORD_ENV] = 'not-the-password';
    const run = await cli('sign', input, '--key', pki.keyPath({ status: 'valid', purpose: 'SIGN' }), '--password-env', PASSWORD_ENV);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/password/i);
  });

  it('a key index that does not exist exits 3', async () => {
    const run = await cli('sign', input, '--key', pki.keyPath({ status: 'valid', purpose: 'SIGN' }), '--password-env', PASSWORD_ENV, '--key-index', '5');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/--key-index 5 does not exist/);
  });

  it('an unreadable input exits 3', async () => {
    const run = await cli('sign', join(dir, 'missing.xml'), '--key', pki.keyPath({ status: 'valid', purpose: 'SIGN' }), '--password-env', PASSWORD_ENV);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/not found/);
  });
});

describe('joldama verify', () => {
  it('a valid signature: exit 0 and the JSON report (no signedXml)', async () => {
    const signed = await signWith({ status: 'valid', purpose: 'SIGN' });
    const run = await cli('verify', signed, '--trust', rootPem, '--trust', caPem, '--crl', crlFile, '--purpose', 'SIGN', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    const key = pki.key({ status: 'valid', purpose: 'SIGN' });
    expect(report).toMatchObject({ indication: 'TOTAL_PASSED', errors: [] });
    // The validation time, named as what it is: a Kalkan signature carries no signing time.
    expect(Math.abs(Date.parse(report.validatedAt as string) - Date.now())).toBeLessThan(60_000);
    expect(report).not.toHaveProperty('signedAt');
    expect(report.signer).toMatchObject({ iin: key.iin, serialNumber: key.serialNumber, purposes: ['SIGN'] });
    expect(report).not.toHaveProperty('signedXml');
  });

  it('human output is a short verdict', async () => {
    const signed = await signWith({ status: 'valid', purpose: 'SIGN' });
    const run = await cli('verify', signed, '--trust', rootPem, '--trust', caPem, '--crl', crlFile);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Signature: VALID\nSigned by: /);
  });

  it('a revoked certificate (demo CRL): exit 1, REVOKED', async () => {
    const signed = await signWith({ status: 'revoked', purpose: 'SIGN' });
    const run = await cli('verify', signed, '--trust', rootPem, '--trust', caPem, '--crl', crlFile, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
  });

  it('the production roots alone do not trust the demo CA: exit 2', async () => {
    const signed = await signWith({ status: 'valid', purpose: 'SIGN' });
    const run = await cli('verify', signed, '--no-revocation', '--json');
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as { subIndication: string; warnings: string[] };
    expect(report.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(report.warnings.join(' ')).toMatch(/revocation was not checked/i);
  });

  it('--no-revocation passes with a warning', async () => {
    const signed = await signWith({ status: 'valid', purpose: 'AUTH' });
    const run = await cli('verify', signed, '--trust', rootPem, '--trust', caPem, '--no-revocation', '--purpose', 'AUTH', '--json');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { warnings: string[] }).warnings.join(' ')).toMatch(/revocation was not checked/i);
  });

  it('a changed document: exit 1, HASH_FAILURE', async () => {
    const signed = await signWith({ status: 'valid', purpose: 'SIGN' });
    await writeFile(signed, (await readFile(signed, 'utf8')).replace('<queueNumber>42', '<queueNumber>1'));
    const run = await cli('verify', signed, '--trust', rootPem, '--trust', caPem, '--crl', crlFile, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('two signers with --multi', async () => {
    const first = await signWith({ status: 'valid', purpose: 'SIGN' });
    const out = join(dir, 'twice.xml');
    const run1 = await cli('sign', first, '--key', pki.keyPath({ status: 'valid', purpose: 'AUTH' }), '--password-env', PASSWORD_ENV, '--out', out);
    expect(run1.code).toBe(0);
    const run = await cli('verify', out, '--trust', rootPem, '--trust', caPem, '--crl', crlFile, '--multi', '--json');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { signers: unknown[] }).signers).toHaveLength(2);
    expect((await cli('verify', out, '--trust', rootPem, '--trust', caPem, '--crl', crlFile)).code).toBe(1);
  });

  it('--at a past time with a CRL current then (out of date today): revoked before then is REVOKED', async () => {
    const signed = await signWith({ status: 'revoked', purpose: 'SIGN' });
    const key = pki.key({ status: 'revoked', purpose: 'SIGN' });
    const start = new Date(key.notBefore).getTime();
    const crl = join(dir, 'then.crl');
    await writeFile(
      crl,
      await demoCrl({
        thisUpdate: new Date(start + 4 * HOUR),
        nextUpdate: new Date(start + 8 * HOUR),
        revoked: [{ serialNumber: key.serialNumber, revokedAt: new Date(start + HOUR) }],
      }),
    );
    const at = new Date(start + 6 * HOUR).toISOString();
    const args = ['verify', signed, '--trust', rootPem, '--trust', caPem, '--crl', crl, '--json'];
    const then = await cli(...args, '--at', at);
    expect(then.code).toBe(1);
    expect(JSON.parse(then.stdout)).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    // Today that CRL is out of date: it decides nothing.
    const today = await cli(...args);
    expect(today.code).toBe(2);
    expect(JSON.parse(today.stdout)).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });

  it('--ocsp takes OCSP responses from files, judged at the validation time', async () => {
    const signed = await signWith({ status: 'valid', purpose: 'SIGN' });
    const key = pki.key({ status: 'valid', purpose: 'SIGN' });
    const answeredAt = new Date(new Date(key.notBefore).getTime() + 2 * HOUR);
    const responder = createOcspResponder({
      caCertificate: pki.intermediate,
      caKey: pki.intermediateKey,
      revoked: [],
      clock: () => answeredAt,
    });
    const [{ certificate }] = (await openKeyStore(key.path, pki.password)) as [OpenedKey];
    const response = join(dir, 'sign.ocsp');
    await writeFile(response, await responder.handle(buildOcspRequest(certificate, pki.intermediate).der));
    const args = ['verify', signed, '--trust', rootPem, '--trust', caPem, '--ocsp', response, '--json'];
    const then = await cli(...args, '--at', new Date(answeredAt.getTime() + 10 * 60_000).toISOString());
    expect(then.code).toBe(0);
    expect(JSON.parse(then.stdout)).toMatchObject({ indication: 'TOTAL_PASSED' });
    const today = await cli(...args);
    expect(today.code).toBe(2);
    expect(JSON.parse(today.stdout)).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect((await cli(...args.slice(0, -3), '--ocsp', join(dir, 'missing.ocsp'))).code).toBe(3);
  });

  it('bad usage and unreadable input exit 3', async () => {
    expect((await cli('verify', join(dir, 'missing.xml'))).code).toBe(3);
    expect((await cli('verify', input, '--at', 'yesterday')).code).toBe(3);
    expect((await cli('verify', input, '--purpose', 'EVERYTHING')).code).toBe(3);
    // Not an XML document at all: unreadable input (3), not a failed signature (1).
    for (const [name, text, code] of [
      ['plain.txt', 'hello, this is not XML', 'XML_MALFORMED'],
      ['data.json', '{"signedXml": "<a/>"}', 'XML_MALFORMED'],
      ['half.xml', '<referralRequest><iin>1', 'XML_MALFORMED'],
      ['dtd.xml', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'XML_FORBIDDEN_CONSTRUCT'],
      ['latin1-declared.xml', '<?xml version="1.0" encoding="ISO-8859-1"?><a/>', 'XML_ENCODING_UNSUPPORTED'],
    ] as const) {
      const file = join(dir, name);
      await writeFile(file, text);
      const human = await cli('verify', file, '--trust', rootPem);
      expect([human.code, human.stdout], name).toEqual([3, '']);
      expect(human.stderr, name).toMatch(/^error: The input cannot be read as an XML document: /);
      const json = await cli('verify', file, '--trust', rootPem, '--json');
      expect(json.code, name).toBe(3);
      expect(JSON.parse(json.stdout), name).toEqual({
        file,
        error: { code, message: expect.stringMatching(/^The input cannot be read as an XML document: /) },
      });
    }
    const notUtf8 = join(dir, 'latin1.xml');
    await writeFile(notUtf8, Buffer.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e]));
    expect((await cli('verify', notUtf8)).code).toBe(3);
  });

  it('an unsigned document: exit 1, FORMAT_FAILURE', async () => {
    const run = await cli('verify', input, '--trust', rootPem, '--trust', caPem, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
  });
});

describe('joldama verify, several files', () => {
  let valid: string;
  let revoked: string;
  let changed: string;
  const missing = (): string => join(dir, 'missing.xml');
  const trust = (): string[] => ['--trust', rootPem, '--trust', caPem];

  beforeAll(async () => {
    valid = await signWith({ status: 'valid', purpose: 'SIGN' });
    revoked = await signWith({ status: 'revoked', purpose: 'SIGN' });
    changed = await signWith({ status: 'valid', purpose: 'SIGN' });
    await writeFile(changed, (await readFile(changed, 'utf8')).replace('<queueNumber>42', '<queueNumber>1'));
  });

  it('one line per file, in the order given', async () => {
    const run = await cli('verify', valid, revoked, changed, ...trust(), '--crl', crlFile);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${valid}: VALID — ЖАНБЫРБАЕВА АЙГҮЛ, IIN \\d{12}; 1 warning`));
    expect(lines[1]).toMatch(new RegExp(`^${revoked}: INVALID \\(REVOKED\\) — .+; error: `));
    expect(lines[2]).toMatch(new RegExp(`^${changed}: INVALID \\(HASH_FAILURE\\)`));
    expect(run.code).toBe(1);
  });

  it('a folder: its .xml files in name order, one line each, even when it holds one', async () => {
    const folder = join(dir, 'folder');
    await mkdir(join(folder, 'sub'), { recursive: true });
    await copyFile(valid, join(folder, 'b.xml'));
    await copyFile(valid, join(folder, 'a.XML'));
    await copyFile(revoked, join(folder, 'sub', 'c.xml')); // not looked into
    await writeFile(join(folder, 'notes.txt'), 'not a document');
    const run = await cli('verify', folder, ...trust(), '--crl', crlFile);
    expect(run.stdout.trimEnd().split('\n').map((l) => l.split(': ')[0])).toEqual([join(folder, 'a.XML'), join(folder, 'b.xml')]);
    expect(run.code).toBe(0);
    const single = join(dir, 'single');
    await mkdir(single, { recursive: true });
    await copyFile(valid, join(single, 'only.xml'));
    expect((await cli('verify', single, ...trust(), '--crl', crlFile)).stdout).toMatch(/^.+only\.xml: VALID — /);
    const empty = join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    const none = await cli('verify', empty, ...trust());
    expect(none).toMatchObject({ code: 3, stdout: '' });
    expect(none.stderr).toMatch(/No \.xml files in the folder/);
  });

  it('--json: one object per line, each with its file; an unreadable file says why', async () => {
    const run = await cli('verify', valid, missing(), revoked, ...trust(), '--crl', crlFile, '--json');
    const objects = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toHaveLength(3);
    expect(objects[0]).toMatchObject({ file: valid, indication: 'TOTAL_PASSED' });
    expect(objects[1]).toEqual({ file: missing(), error: { code: 'FILE_NOT_FOUND', message: expect.stringMatching(/not found/) } });
    expect(objects[2]).toMatchObject({ file: revoked, indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
  });

  it('the exit code is the most serious: TOTAL_FAILED, then unreadable, then INDETERMINATE', async () => {
    const code = async (...files: string[]): Promise<number> => (await cli('verify', ...files, ...trust(), '--crl', crlFile)).code;
    const indeterminate = async (...files: string[]): Promise<number> => (await cli('verify', ...files, '--no-revocation')).code;
    expect(await code(valid, valid)).toBe(0);
    expect(await indeterminate(valid, valid)).toBe(2); // the demo CA is not trusted
    expect(await indeterminate(valid, missing())).toBe(3);
    expect(await code(missing(), revoked)).toBe(1);
    expect(await code(revoked, missing())).toBe(1);
    expect(await code(valid, missing())).toBe(3);
  });

  it('asks the OCSP responder once for several documents by the same signer', async () => {
    const responder = await loadDemoOcspResponder(pki.dir);
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      asked.push(url);
      if (!url.endsWith('/ocsp')) return new Response('', { status: 404 });
      return new Response(new Uint8Array(await responder.handle(Buffer.from(init.body as Uint8Array))));
    });
    try {
      const run = await cli('verify', valid, valid, valid, revoked, ...trust(), '--json');
      expect(run.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { indication: string }).indication)).toEqual([
        'TOTAL_PASSED',
        'TOTAL_PASSED',
        'TOTAL_PASSED',
        'TOTAL_FAILED',
      ]);
      expect(asked.filter((u) => u.endsWith('/ocsp'))).toHaveLength(2); // one signer's certificate, then the revoked one's
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('joldama verify without commander (cli/main.ts) answers as commander does', () => {
  /** `joldama ARGV` through the dispatcher: a plain verify call is read by parseArgs, not commander. */
  async function viaMain(...argv: string[]): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    try {
      return { code: await main(argv), stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }
  const sameTime = (run: Run): Run => ({ ...run, stdout: run.stdout.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME') });

  it('every option of the table, several files, a folder, bad values and bad usage', async () => {
    const valid = await signWith({ status: 'valid', purpose: 'SIGN' });
    const revoked = await signWith({ status: 'revoked', purpose: 'SIGN' });
    const folder = join(dir, 'parity');
    await mkdir(folder, { recursive: true });
    await copyFile(valid, join(folder, 'a.xml'));
    const trust = ['--trust', rootPem, '--trust', caPem];
    const calls: string[][] = [
      [valid, ...trust, '--crl', crlFile],
      [valid, ...trust, '--crl', crlFile, '--json', '--purpose', 'SIGN'],
      [`--trust=${rootPem}`, valid, `--trust=${caPem}`, '--no-revocation', '--multi'],
      [valid, revoked, folder, ...trust, '--crl', crlFile, '--at', new Date().toISOString().slice(0, 10)],
      [valid, ...trust, '--ocsp', join(dir, 'no-such.ocsp')],
      [valid, '--purpose', 'EVERYTHING'],
      [valid, '--at', 'yesterday'],
      [valid, '--trust', ''],
      ['--', valid, ...trust],
      // Declined by parseArgs, so answered by commander itself: the same by construction, checked all the same.
      [valid, '--bogus'],
      [valid, '--json=yes'],
      [valid, '--at'],
      ['--trust', rootPem],
      [],
    ];
    for (const args of calls) {
      const expected = sameTime(await cli('verify', ...args));
      expect(sameTime(await viaMain('verify', ...args)), args.join(' ')).toEqual(expected);
    }
  });
});
