/**
 * The TLS certificate of the local signing service (docs/ncalayer.md, "The certificate"): made on
 * first run in the app's data folder, self-signed, for 127.0.0.1 and localhost only, ECDSA P-256,
 * valid 825 days (the longest macOS accepts for a server certificate) and renewed when fewer than
 * 30 days remain. The user adds it to the trust store once (docs/ncalayer.md has the steps).
 * The private key file is readable by the user only.
 */
import 'reflect-metadata';
import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

const VALID_DAYS = 825;
const RENEW_DAYS = 30;
const DAY = 86_400_000;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export const CERTIFICATE_FILE = 'ncalayer-certificate.pem';
export const KEY_FILE = 'ncalayer-key.pem';

export interface LocalCertificate {
  /** PEM, to serve and to trust. */
  cert: string;
  key: string;
  /** Path of the certificate file (what the user adds to the trust store). */
  certificatePath: string;
  /** SHA-256 of the certificate, colon-separated upper-case hex (what a trust dialog shows). */
  fingerprint256: string;
  notAfter: Date;
  /** Made just now (first run or renewal): the user has to trust it (again). */
  created: boolean;
}

/** Usable as it is: for 127.0.0.1, the key its own, and more than RENEW_DAYS left. */
function usable(cert: string, key: string, now: Date): X509Certificate | undefined {
  try {
    const certificate = new X509Certificate(cert);
    if (!certificate.checkIP('127.0.0.1') || !certificate.checkPrivateKey(createPrivateKey(key))) return undefined;
    if (new Date(certificate.validFrom).getTime() > now.getTime()) return undefined;
    if (new Date(certificate.validTo).getTime() - now.getTime() < RENEW_DAYS * DAY) return undefined;
    return certificate;
  } catch {
    return undefined;
  }
}

async function generate(now: Date): Promise<{ cert: string; key: string }> {
  const crypto = webcrypto as unknown as Crypto;
  const keys = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f; // positive
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      name: 'CN=Joldama local signing service (127.0.0.1), O=Joldama',
      notBefore: new Date(now.getTime() - 60 * 60_000),
      notAfter: new Date(now.getTime() + VALID_DAYS * DAY),
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: 'ip', value: '127.0.0.1' },
          { type: 'dns', value: 'localhost' },
        ]),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { cert: certificate.toString('pem'), key: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** Written beside, then renamed over: a crash never leaves half a file. */
async function writeAtomically(path: string, data: string, mode: number): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data, { mode });
  await chmod(temporary, mode);
  await rename(temporary, path);
}

/** The service's certificate in `folder`, made (or renewed) when there is no usable one. */
export async function ensureLocalCertificate(folder: string, now: Date = new Date()): Promise<LocalCertificate> {
  const certificatePath = join(folder, CERTIFICATE_FILE);
  const keyPath = join(folder, KEY_FILE);
  const existing = await Promise.all([readFile(certificatePath, 'utf8'), readFile(keyPath, 'utf8')]).catch(() => undefined);
  const kept = existing && usable(existing[0], existing[1], now);
  let pair = existing && kept ? { cert: existing[0], key: existing[1] } : undefined;
  if (!pair) {
    pair = await generate(now);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await writeAtomically(keyPath, pair.key, 0o600);
    await writeAtomically(certificatePath, pair.cert, 0o644);
  }
  const certificate = kept || new X509Certificate(pair.cert);
  return {
    ...pair,
    certificatePath,
    fingerprint256: certificate.fingerprint256,
    notAfter: new Date(certificate.validTo),
    created: !kept,
  };
}
