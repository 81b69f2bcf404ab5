/**
 * signCms (CAdES-BES) with the demo PKI's real keys, checked by OpenSSL (`openssl cms -verify`
 * against the demo CA) and by our own verifyCms; the signed attributes read back with pkijs.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmsToPem, signCms } from '../../../signing/cms/sign.ts';
import { verifyCms } from '../../../signing/cms/verify.ts';
import { fileSigner } from '../../../signing/keystore/file-signer.ts';
import { openKeyStore } from '../../../signing/keystore/pkcs12.ts';
import type { Signer } from '../../../signing/types.ts';
import { getDemoPki, type DemoPki } from '../../helpers/demo-pki.ts';

const run = promisify(execFile);
let pki: DemoPki;
let dir: string;
let caFile: string;
let signer: Signer;
let authSigner: Signer;
const DOCUMENT = Buffer.from('Жолдама № 42: арнайы балабақша, 2026 жыл.\n');

beforeAll(async () => {
  pki = await getDemoPki();
  dir = await mkdtemp(join(tmpdir(), 'joldama-cms-'));
  caFile = join(dir, 'ca.pem');
  await writeFile(caFile, pki.root.toString() + pki.intermediate.toString());
  signer = fileSigner((await openKeyStore(pki.keyPath({ status: 'valid', purpose: 'SIGN' }), pki.password))[0]!);
  authSigner = fileSigner((await openKeyStore(pki.keyPath({ status: 'valid', purpose: 'AUTH' }), pki.password))[0]!);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = async (name: string, data: Uint8Array | string): Promise<string> => {
  const path = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  await writeFile(path, data);
  return path;
};

/**
 * `openssl cms -verify` (DER in) with the demo CA as the only trust: true when OpenSSL says so and (for an
 * attached signature) gives back the document. `-purpose any` for AUTH keys (no emailProtection).
 */
async function opensslVerifies(cms: Buffer, detached?: Uint8Array, extra: string[] = []): Promise<boolean> {
  const input = await file('sig.der', cms);
  const out = join(dir, `${Math.random().toString(36).slice(2)}-out`);
  const args = ['cms', '-verify', '-inform', 'DER', '-in', input, '-CAfile', caFile, '-binary', '-out', out, ...extra];
  if (detached) args.push('-content', await file('doc.bin', detached));
  try {
    const { stderr } = await run('openssl', args);
    return /Verification successful/.test(stderr);
  } catch {
    return false;
  }
}

function signedAttributes(cms: Buffer): Map<string, asn1js.AsnType> {
  const signedData = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn1js.fromBER(cms).result }).content });
  const attributes = signedData.signerInfos[0]!.signedAttrs!.attributes;
  return new Map(attributes.map((a) => [a.type, a.values[0]!]));
}

describe('signCms', () => {
  it('an attached signature verifies with OpenSSL and carries the document', async () => {
    const cms = await signCms({ bytes: DOCUMENT }, signer, { attached: true });
    expect(await opensslVerifies(cms)).toBe(true);
    const own = verifyCms(cms);
    expect(own).toMatchObject({ valid: true });
    expect(own.content?.equals(DOCUMENT)).toBe(true);
    expect(own.signer?.fingerprint256).toBe(signer.certificate().fingerprint256);
  });

  it('a detached signature verifies with OpenSSL against the document, and not against another', async () => {
    const cms = await signCms({ bytes: DOCUMENT }, signer);
    expect(await opensslVerifies(cms, DOCUMENT)).toBe(true);
    expect(verifyCms(cms, { detachedContent: DOCUMENT }).valid).toBe(true);
    const changed = Buffer.from(DOCUMENT);
    changed[0] = changed[0]! ^ 1;
    expect(await opensslVerifies(cms, changed)).toBe(false);
    expect(verifyCms(cms, { detachedContent: changed })).toMatchObject({ valid: false, error: expect.stringContaining('message digest') });
  });

  it('a stream and a ready SHA-256 give the same detached signature OpenSSL accepts', async () => {
    const at = new Date('2026-11-30T08:00:00Z');
    const chunks = [DOCUMENT.subarray(0, 7), DOCUMENT.subarray(7)];
    const fromStream = await signCms({ stream: Readable.from(chunks) }, signer, { signingTime: at });
    const fromDigest = await signCms({ sha256: createHash('sha256').update(DOCUMENT).digest() }, signer, { signingTime: at });
    const fromBytes = await signCms({ bytes: DOCUMENT }, signer, { signingTime: at });
    expect(fromStream.equals(fromBytes)).toBe(true);
    expect(fromDigest.equals(fromBytes)).toBe(true);
    expect(await opensslVerifies(fromDigest, DOCUMENT)).toBe(true);
  });

  it('an AUTH key signs too (OpenSSL with -purpose any: its EKU is clientAuth)', async () => {
    const cms = await signCms({ bytes: DOCUMENT }, authSigner, { attached: true });
    expect(await opensslVerifies(cms, undefined, ['-purpose', 'any'])).toBe(true);
  });

  it('signs content-type, message-digest, signing-time and signing-certificate-v2', async () => {
    const at = new Date('2026-11-30T08:15:42.900Z');
    const cms = await signCms({ bytes: DOCUMENT }, signer, { attached: true, signingTime: at });
    const attributes = signedAttributes(cms);
    expect([...attributes.keys()].sort()).toEqual(
      ['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.5'].sort(),
    );
    expect((attributes.get('1.2.840.113549.1.9.5') as asn1js.UTCTime).toDate().toISOString()).toBe('2026-11-30T08:15:42.000Z');
    const digest = attributes.get('1.2.840.113549.1.9.4') as asn1js.OctetString;
    expect(Buffer.from(digest.valueBlock.valueHexView).equals(createHash('sha256').update(DOCUMENT).digest())).toBe(true);
    // SigningCertificateV2 { certs: [ ESSCertIDv2 { certHash, issuerSerial } ] }, SHA-256 left as the DEFAULT.
    const essCertId = ((attributes.get('1.2.840.113549.1.9.16.2.47') as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence)
      .valueBlock.value[0] as asn1js.Sequence;
    const [certHash, issuerSerial] = essCertId.valueBlock.value as [asn1js.OctetString, asn1js.Sequence];
    const certificate: X509Certificate = signer.certificate();
    expect(Buffer.from(certHash.valueBlock.valueHexView).equals(createHash('sha256').update(certificate.raw).digest())).toBe(true);
    const serial = issuerSerial.valueBlock.value[1] as asn1js.Integer;
    expect(Buffer.from(serial.valueBlock.valueHexView).toString('hex').replace(/^00/, '').toUpperCase()).toBe(certificate.serialNumber);
  });

  it('is the DER pkijs itself would write (its own encoding of the parsed signature is byte-identical)', async () => {
    for (const attached of [true, false]) {
      const cms = await signCms({ bytes: DOCUMENT }, signer, { attached, extraCertificates: [pki.intermediate] });
      const reencoded = Buffer.from(new pkijs.ContentInfo({ schema: asn1js.fromBER(cms).result }).toSchema().toBER());
      expect(reencoded.equals(cms)).toBe(true);
    }
  });

  it('carries the issuers it is given after the signer, so OpenSSL needs only the root', async () => {
    const cms = await signCms({ bytes: DOCUMENT }, signer, { attached: true, extraCertificates: [pki.intermediate] });
    const rootOnly = await file('root.pem', pki.root.toString());
    const input = await file('sig.pem', cmsToPem(cms));
    const { stderr } = await run('openssl', ['cms', '-verify', '-inform', 'PEM', '-in', input, '-CAfile', rootOnly, '-binary', '-out', '/dev/null']);
    expect(stderr).toMatch(/Verification successful/);
  });

  it('signs a 10 MB document attached, holding little more than the signature it returns', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x5a);
    const before = process.memoryUsage().arrayBuffers;
    const cms = await signCms({ bytes: big }, signer, { attached: true });
    const grown = process.memoryUsage().arrayBuffers - before;
    // The output holds the document once; building it through pkijs held four more copies (+62 MB).
    expect(cms.length).toBeGreaterThan(big.length);
    expect(grown).toBeLessThan(big.length * 1.5);
    expect(await opensslVerifies(cms)).toBe(true);
  });

  it('refuses an attached signature without the document and a digest that is not SHA-256', async () => {
    await expect(signCms({ sha256: Buffer.alloc(32) }, signer, { attached: true })).rejects.toThrow(TypeError);
    await expect(signCms({ sha256: Buffer.alloc(20) }, signer)).rejects.toThrow(/32 bytes/);
  });
});

describe('cmsToPem', () => {
  it('writes 64-character lines, the last one shorter or full, and decodes back to the same bytes', () => {
    for (const size of [1, 47, 48, 49, 96, 1000]) {
      const der = Buffer.alloc(size, size);
      const pem = cmsToPem(der);
      const lines = pem.split('\n');
      expect(lines[0]).toBe('-----BEGIN CMS-----');
      expect(lines.at(-2)).toBe('-----END CMS-----');
      const body = lines.slice(1, -2);
      expect(body.slice(0, -1).every((l) => l.length === 64)).toBe(true);
      expect(body.at(-1)!.length).toBeGreaterThan(0);
      expect(body.at(-1)!.length).toBeLessThanOrEqual(64);
      expect(Buffer.from(body.join(''), 'base64').equals(der)).toBe(true);
    }
  });
});

describe('verifyCms', () => {
  it('refuses a changed signature value, a missing document and garbage, saying which', async () => {
    const cms = await signCms({ bytes: DOCUMENT }, signer, { attached: true });
    const broken = Buffer.from(cms);
    broken[broken.length - 5] = broken[broken.length - 5]! ^ 0xff;
    expect(verifyCms(broken)).toMatchObject({ valid: false, error: 'The signature value does not verify.' });
    const detached = await signCms({ bytes: DOCUMENT }, signer);
    expect(verifyCms(detached)).toMatchObject({ valid: false, error: expect.stringContaining('detached') });
    expect(verifyCms(Buffer.from('not a signature'))).toMatchObject({ valid: false });
  });

  it('reads the PEM NCALayer returns, as OpenSSL does', async () => {
    const cms = await signCms({ bytes: DOCUMENT }, signer, { attached: true });
    expect(verifyCms(cmsToPem(cms))).toMatchObject({ valid: true });
    const input = await file('sig.pem', cmsToPem(cms));
    const { stderr } = await run('openssl', ['cms', '-verify', '-inform', 'PEM', '-in', input, '-CAfile', caFile, '-binary', '-out', '/dev/null']);
    expect(stderr).toMatch(/Verification successful/);
  });
});
