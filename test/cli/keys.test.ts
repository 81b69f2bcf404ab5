/** The `joldama keys` and `joldama demo-pki` commands, run as a user runs them (a few slow-ish spawns). */
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import forge from 'node-forge';
import { demoPkiIndexSchema } from '../../demo/pki/generate.ts';
import { writeNcaPkcs12 } from '../../demo/pki/nca-pkcs12.ts';
import { getDemoPki, type DemoPki } from '../helpers/demo-pki.ts';

function joldama(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['bin/joldama.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'], // stdin is not a TTY
    timeout: 110_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const STACK_FRAME = /\n\s+at .+:\d+/;

/** An NCA-format container holding a GOST 34.310 key (1.2.398.3.10.1.1.1.1) and a real NCA GOST certificate. */
function gostContainer(password: string): Buffer {
  const { asn1 } = forge;
  const u = asn1.Class.UNIVERSAL;
  const privateKeyInfo = asn1.create(u, asn1.Type.SEQUENCE, true, [
    asn1.create(u, asn1.Type.INTEGER, false, '\x00'),
    asn1.create(u, asn1.Type.SEQUENCE, true, [
      asn1.create(u, asn1.Type.OID, false, asn1.oidToDer('1.2.398.3.10.1.1.1.1').getBytes()),
    ]),
    asn1.create(u, asn1.Type.OCTETSTRING, false, '\x11'.repeat(32)),
  ]);
  return writeNcaPkcs12({
    privateKeyPkcs8: Buffer.from(asn1.toDer(privateKeyInfo).getBytes(), 'binary'),
    certificate: new X509Certificate(readFileSync('resources/trust/production/gost2015_nca_2022.pem')).raw,
    password,
  });
}

/**
 * `joldama <args>` on a real terminal (util-linux `script` gives it a pseudo-terminal); once the
 * prompt shows, `typed` is sent as keystrokes. Resolves with the exit code and everything the
 * terminal showed: a password typed in cooked mode would be echoed into it.
 */
function joldamaOnTerminal(args: string[], typed: string): Promise<{ status: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, 'bin/joldama.js', ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (!sent && screen.includes('Key password: ')) {
        sent = true;
        child.stdin.write(typed);
      }
    });
    child.on('error', reject);
    child.on('exit', (status) => resolve({ status, screen }));
  });
}

// Each spawn runs the built command (dist/cli): a fraction of a second each, longer on a loaded machine.
describe('joldama keys / demo-pki', { timeout: 120_000 }, () => {
  let pki: DemoPki;
  let work: string;
  beforeAll(async () => {
    pki = await getDemoPki();
    work = mkdtempSync(join(tmpdir(), 'joldama-cli-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('keys --json prints the documented fields for each key', () => {
    const key = pki.key({ role: 'head', purpose: 'AUTH' });
    const run = joldama(
      ['keys', key.path, '--password-env', 'JOLDAMA_TEST_PW', '--json', '--at', pki.index.generatedAt],
      {
        JOLDAMA_TEST_PW: pki.password,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const entries = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(1);
    expect(Object.keys(entries[0]!)).toEqual([
      'file',
      'index',
      'commonName',
      'iin',
      'bin',
      'organization',
      'role',
      'purposes',
      'serialNumber',
      'issuer',
      'notBefore',
      'notAfter',
      'status',
      'algorithm',
      'keySize',
      'fingerprintSha256',
    ]);
    expect(entries[0]).toMatchObject({
      file: key.path,
      iin: key.iin,
      bin: key.bin,
      role: 'head',
      purposes: ['AUTH'],
      serialNumber: key.serialNumber,
      status: 'valid',
      algorithm: 'RSA',
      keySize: 2048,
    });
  });

  it('keys prints a readable table for a folder', () => {
    const run = joldama(['keys', join(pki.dir, 'keys', 'kasymov-berik'), '--password-env', 'PW'], {
      PW: pki.password,
    });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^FILE\s+#\s+OWNER\s+IIN/);
    expect(lines.slice(2)).toHaveLength(2);
    expect(run.stdout).toContain('ҚАСЫМОВ БЕРІК');
    expect(run.stdout).toContain('801212309879');
  });

  it('keys says the password is wrong, exit 3, no stack trace', () => {
    const run = joldama(['keys', pki.keyPath(), '--password-env', 'PW'], { PW: 'wrong' });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/password is wrong/i);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stdout).toBe('');
  });

  it('keys on a folder of GOST containers says GOST, whatever the password; a damaged file says damaged', () => {
    const folder = join(work, 'gost');
    mkdirSync(folder);
    const p12 = gostContainer('Qwerty12');
    writeFileSync(join(folder, `GOSTKNCA_${'a'.repeat(40)}.p12`), p12);
    writeFileSync(join(folder, `AUTH_GOST512_${'b'.repeat(40)}.p12`), p12);
    for (const password of ['Qwerty12', 'wrong']) {
      const run = joldama(['keys', folder, '--password-env', 'PW'], { PW: password });
      expect(run.status, password).toBe(3);
      expect(run.stderr, password).toMatch(/GOST keys are not supported yet/);
      expect(run.stderr, password).not.toMatch(/password is wrong/i);
    }
    const damaged = join(work, 'damaged.p12');
    const bytes = readFileSync(pki.keyPath());
    bytes[bytes.length - 30] = (bytes[bytes.length - 30] as number) ^ 0xff; // inside the MAC
    writeFileSync(damaged, bytes);
    const run = joldama(['keys', damaged, '--password-env', 'PW'], { PW: pki.password });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/damaged/);
    expect(run.stderr).not.toMatch(/password is wrong/i);
  });

  it('keys refuses to prompt without a terminal', () => {
    const prompt = joldama(['keys', pki.keyPath()]);
    expect(prompt.status).toBe(3);
    expect(prompt.stderr).toMatch(/No terminal to ask for the password: use --password-env/);
  });

  it('keys asks for the password on a terminal without echoing it, and says when it is wrong', async () => {
    const key = pki.key({ role: 'individual', purpose: 'AUTH' });
    const right = await joldamaOnTerminal(['keys', key.path, '--json', '--at', pki.index.generatedAt], `${pki.password}\r`);
    expect(right.status).toBe(0);
    expect(right.screen).toContain('Key password: ');
    expect(right.screen).toContain(`"fingerprintSha256"`);
    expect(right.screen).not.toContain(pki.password);
    const wrong = await joldamaOnTerminal(['keys', key.path], 'not-the-password\r');
    expect(wrong.status).toBe(3);
    expect(wrong.screen).toMatch(/password is wrong/i);
    expect(wrong.screen).not.toContain('not-the-password');
  });

  it('demo-pki writes a demo PKI and lists its keys with their status', () => {
    const out = join(work, 'demo');
    const run = joldama(['demo-pki', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Demo PKI written to ${out}`);
    expect(run.stdout).toMatch(/ҚАСЫМОВ БЕРІК.+revoked/);
    expect(run.stdout).toMatch(/ТӨЛЕГЕНОВА МАДИНА.+expired/);
    const index = demoPkiIndexSchema.parse(JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')));
    expect(index.keys.every((k) => existsSync(join(out, k.file)))).toBe(true);
    const refused = joldama(['demo-pki', work]); // not empty and not a demo PKI
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/not empty/);
  });
});
