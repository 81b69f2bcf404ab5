import { execFileSync } from 'node:child_process';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningError } from '../../../signing/errors.ts';
import { fileSigner } from '../../../signing/keystore/file-signer.ts';
import { MAX_KEYSTORE_BYTES, openKeyStore, openKeyStoreBytes } from '../../../signing/keystore/pkcs12.ts';
import { writeNcaPkcs12 } from '../../../demo/pki/nca-pkcs12.ts';
import { getDemoPki, type DemoPki } from '../../helpers/demo-pki.ts';

async function expectCode(promise: Promise<unknown>, code: string): Promise<SigningError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SigningError);
  expect((error as SigningError).code).toBe(code);
  expect((error as SigningError).message).not.toMatch(/\n\s+at /); // never a stack trace
  return error as SigningError;
}

describe('openKeyStore', () => {
  let pki: DemoPki;
  let work: string;
  beforeAll(async () => {
    pki = await getDemoPki();
    work = mkdtempSync(join(tmpdir(), 'joldama-keystore-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Re-exports a demo key with OpenSSL 3 defaults: PBES2/AES-256-CBC, HMAC-SHA256 MAC. */
  function pbes2Copy(path: string, password: string): string {
    const pem = execFileSync('openssl', [
      'pkcs12',
      '-legacy',
      '-nodes',
      '-passin',
      `pass:${pki.password}`,
      '-in',
      path,
    ]);
    const pemFile = join(work, 'key.pem');
    writeFileSync(pemFile, pem, { mode: 0o600 });
    const out = join(work, `pbes2-${Math.random().toString(16).slice(2)}.p12`);
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-in',
      pemFile,
      '-passout',
      `pass:${password}`,
      '-out',
      out,
    ]);
    rmSync(pemFile);
    return out;
  }

  it('opens an NCA-format demo key with its certificate and describes it', async () => {
    const demo = pki.key({ slug: 'abilov-dauren', purpose: 'AUTH' });
    const [key, ...others] = await openKeyStore(demo.path, pki.password);
    expect(others).toHaveLength(0);
    expect(key?.file).toBe(demo.path);
    expect(key?.index).toBe(0);
    expect(key?.privateKey.asymmetricKeyType).toBe('rsa');
    expect(key?.info).toMatchObject({
      commonName: 'ӘБІЛОВ ДӘУРЕН',
      iin: '900702304562',
      serialNumber: demo.serialNumber,
      purposes: ['AUTH'],
      role: 'individual',
      algorithm: 'RSA',
      keySize: 2048,
    });
  });

  it('reads the certificate bytes exactly (fingerprint equals OpenSSL’s extraction)', async () => {
    const path = pki.keyPath({ role: 'head', purpose: 'SIGN' });
    const pem = execFileSync('openssl', [
      'pkcs12',
      '-legacy',
      '-nokeys',
      '-passin',
      `pass:${pki.password}`,
      '-in',
      path,
    ]);
    const expected = new X509Certificate(pem.toString().replace(/^[\s\S]*?(-----BEGIN)/, '$1'));
    const [key] = await openKeyStore(path, pki.password);
    expect(key?.certificate.raw.equals(expected.raw)).toBe(true);
    expect(key?.info.fingerprintSha256).toBe(
      createHash('sha256').update(expected.raw).digest('hex').toUpperCase(),
    );
    expect(key?.info).toMatchObject({ role: 'head', bin: '050540000145', purposes: ['SIGN'] });
  });

  it('signs with RSA-SHA256 verifiable by the certificate', async () => {
    const [key] = await openKeyStore(pki.keyPath({ purpose: 'SIGN' }), pki.password);
    const signer = fileSigner(key!);
    const data = Buffer.from('<referral id="1"/>');
    const signature = await signer.sign(data);
    expect(verify('sha256', data, signer.certificate().publicKey, signature)).toBe(true);
    expect(verify('sha256', Buffer.from('tampered'), signer.certificate().publicKey, signature)).toBe(false);
  });

  it('opens the PBES2/AES-256 flavour OpenSSL 3 writes, also with a non-ASCII password', async () => {
    const source = pki.keyPath({ slug: 'nurlanova-gulnar', purpose: 'SIGN' });
    const info = execFileSync('sh', [
      '-c',
      'openssl pkcs12 -info -noout -passin "pass:$1" -in "$2" 2>&1',
      'sh',
      'Құпия-сөз1',
      pbes2Copy(source, 'Құпия-сөз1'),
    ]).toString();
    expect(info).toContain('PBES2');
    expect(info).toContain('MAC: sha256');
    const [key] = await openKeyStore(pbes2Copy(source, 'Құпия-сөз1'), 'Құпия-сөз1');
    expect(key?.info.iin).toBe('951120407899');
    await expectCode(openKeyStore(pbes2Copy(source, 'Qwerty12'), 'Qwerty13'), 'WRONG_PASSWORD');
  });

  it('refuses a container demanding too many key-derivation iterations instead of grinding on it', async () => {
    const pem = execFileSync('openssl', [
      'pkcs12',
      '-legacy',
      '-nodes',
      '-passin',
      `pass:${pki.password}`,
      '-in',
      pki.keyPath(),
    ]);
    const pemFile = join(work, 'iter.pem');
    writeFileSync(pemFile, pem, { mode: 0o600 });
    const out = join(work, 'many-iterations.p12');
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-iter',
      '500000',
      '-in',
      pemFile,
      '-passout',
      'pass:Qwerty12',
      '-out',
      out,
    ]);
    const error = await expectCode(openKeyStore(out, 'Qwerty12'), 'UNSUPPORTED_ALGORITHM');
    expect(error.message).toMatch(/iterations/);
  });

  it('says the password is wrong for an NCA-format key', async () => {
    const error = await expectCode(openKeyStore(pki.keyPath(), 'qwerty12'), 'WRONG_PASSWORD');
    expect(error.message).toMatch(/password is wrong/i);
  });

  it('refuses missing, oversized, directory, FIFO and non-PKCS#12 files with typed errors', async () => {
    await expectCode(openKeyStore(join(work, 'absent.p12'), 'x'), 'FILE_NOT_FOUND');
    const big = join(work, 'big.p12');
    writeFileSync(big, Buffer.alloc(MAX_KEYSTORE_BYTES + 1));
    await expectCode(openKeyStore(big, 'x'), 'FILE_TOO_LARGE');
    await expectCode(openKeyStore(work, 'x'), 'NOT_PKCS12');
    const fifo = join(work, 'fifo.p12');
    execFileSync('mkfifo', [fifo]); // opening a FIFO for reading would block: refused before opening
    await expectCode(openKeyStore(fifo, 'x'), 'NOT_PKCS12');
    const text = join(work, 'text.p12');
    writeFileSync(text, 'not a key store');
    await expectCode(openKeyStore(text, 'x'), 'NOT_PKCS12');
  });

  it('reports a container with certificates only as NO_PRIVATE_KEY', async () => {
    const certPem = join(work, 'cert.pem');
    writeFileSync(certPem, readFileSync(join(pki.dir, pki.index.ca.intermediate)));
    const out = join(work, 'certs-only.p12');
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-nokeys',
      '-in',
      certPem,
      '-passout',
      'pass:Qwerty12',
      '-out',
      out,
    ]);
    await expectCode(openKeyStore(out, 'Qwerty12'), 'NO_PRIVATE_KEY');
  });

  it('refuses a non-RSA (EC) key as an unsupported algorithm, naming it', async () => {
    const key = join(work, 'ec.key');
    const cert = join(work, 'ec.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        '/CN=EC TEST',
        '-days',
        '1',
      ],
      { stdio: 'ignore' },
    );
    const out = join(work, 'ec.p12');
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      key,
      '-in',
      cert,
      '-passout',
      'pass:Qwerty12',
      '-out',
      out,
    ]);
    const error = await expectCode(openKeyStore(out, 'Qwerty12'), 'UNSUPPORTED_ALGORITHM');
    expect(error.message).toMatch(/EC.*only RSA/);
  });

  it('reports a GOST key plainly as not supported yet', () => {
    // A GOST 34.310 PrivateKeyInfo (algorithm 1.2.398.3.10.1.1.1.1) next to a real NCA GOST certificate.
    const { asn1 } = forge;
    const u = asn1.Class.UNIVERSAL;
    const privateKeyInfo = asn1.create(u, asn1.Type.SEQUENCE, true, [
      asn1.create(u, asn1.Type.INTEGER, false, '\x00'),
      asn1.create(u, asn1.Type.SEQUENCE, true, [
        asn1.create(u, asn1.Type.OID, false, asn1.oidToDer('1.2.398.3.10.1.1.1.1').getBytes()),
      ]),
      asn1.create(u, asn1.Type.OCTETSTRING, false, '\x11'.repeat(32)),
    ]);
    const gostKey = Buffer.from(asn1.toDer(privateKeyInfo).getBytes(), 'binary');
    const gostCert = new X509Certificate(readFileSync('resources/trust/production/gost2015_nca_2022.pem'));
    const p12 = writeNcaPkcs12({ privateKeyPkcs8: gostKey, certificate: gostCert.raw, password: 'Qwerty12' });
    let error: unknown;
    try {
      openKeyStoreBytes(p12, 'Qwerty12', 'GOSTKNCA_test.p12');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SigningError);
    expect((error as SigningError).code).toBe('GOST_NOT_SUPPORTED');
    expect((error as SigningError).message).toMatch(/GOST keys are not supported yet/);
  });
});
