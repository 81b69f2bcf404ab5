/**
 * The trust store: trust anchors (self-signed roots) and known intermediates.
 * Production NCA roots are trusted by default; the NCA test roots only when asked (never in production).
 */
import { X509Certificate } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SigningError } from '../errors.ts';
import { commonNameOf, isSelfIssued, keyAlgorithm, readCertificates } from './certificates.ts';

/** One trusted certificate as shown to a user or an administrator. */
export interface TrustedCertificateInfo {
  role: 'anchor' | 'intermediate';
  commonName: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** "rsa", "ec", ... or "GOST (not checkable)" when OpenSSL cannot read the key. */
  algorithm: string;
  fingerprintSha256: string;
}

export class TrustStore {
  private constructor(
    readonly anchors: readonly X509Certificate[],
    readonly intermediates: readonly X509Certificate[],
  ) {}

  /** Builds a store; duplicates (same fingerprint) are kept once. */
  static fromCertificates(anchors: X509Certificate[], intermediates: X509Certificate[] = []): TrustStore {
    const anchorList = unique(anchors);
    const anchorPrints = new Set(anchorList.map((c) => c.fingerprint256));
    return new TrustStore(
      anchorList,
      unique(intermediates).filter((c) => !anchorPrints.has(c.fingerprint256)),
    );
  }

  isAnchor(cert: X509Certificate): boolean {
    return this.anchors.some((a) => a.fingerprint256 === cert.fingerprint256);
  }

  /** What is trusted, for display (settings screen, `joldama trust list`). */
  list(): TrustedCertificateInfo[] {
    return [
      ...this.anchors.map((c) => info(c, 'anchor' as const)),
      ...this.intermediates.map((c) => info(c, 'intermediate' as const)),
    ];
  }
}

export interface LoadTrustStoreOptions {
  /** Default true: resources/trust/production. */
  production?: boolean;
  /** Default false: resources/trust/nca-test (expired RSA test CA, GOST test CAs). */
  ncaTest?: boolean;
  /** PEM/DER files or folders, e.g. the demo CA. */
  extra?: string[];
}

export async function loadTrustStore(options: LoadTrustStoreOptions = {}): Promise<TrustStore> {
  const sources: string[] = [];
  if (options.production ?? true) sources.push(path.join(trustResourcesDir(), 'production'));
  if (options.ncaTest) sources.push(path.join(trustResourcesDir(), 'nca-test'));
  sources.push(...(options.extra ?? []));

  const certificates: X509Certificate[] = [];
  for (const source of sources) certificates.push(...(await readSource(source)));
  return TrustStore.fromCertificates(
    certificates.filter(isSelfIssued),
    certificates.filter((c) => !isSelfIssued(c)),
  );
}

/** resources/trust in the repository, or under JOLDAMA_RESOURCES when the app is packaged. */
export function trustResourcesDir(): string {
  const override = process.env.JOLDAMA_RESOURCES;
  if (override) return path.join(override, 'trust');
  return fileURLToPath(new URL('../../resources/trust', import.meta.url));
}

const CERTIFICATE_FILE = /\.(pem|crt|cer|der)$/i;

async function readSource(source: string): Promise<X509Certificate[]> {
  const info = await stat(source).catch(() => {
    throw new SigningError('FILE_NOT_FOUND', `Trust store source not found: ${source}`);
  });
  if (!info.isDirectory()) return readCertificateFile(source);
  const names = (await readdir(source)).filter((n) => CERTIFICATE_FILE.test(n)).sort();
  const all: X509Certificate[] = [];
  // A folder may hold other PEM files beside the certificates (the demo CA's key, say): skip
  // those. A file named on its own must be a certificate.
  for (const name of names) all.push(...(await readCertificateFile(path.join(source, name)).catch(() => [])));
  return all;
}

async function readCertificateFile(file: string): Promise<X509Certificate[]> {
  const data = await readFile(file);
  try {
    return readCertificates(data);
  } catch {
    throw new SigningError('CERTIFICATE_UNTRUSTED', `Not a certificate file: ${file}`);
  }
}

function unique(certs: X509Certificate[]): X509Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => !seen.has(c.fingerprint256) && seen.add(c.fingerprint256));
}

function info(cert: X509Certificate, role: 'anchor' | 'intermediate'): TrustedCertificateInfo {
  return {
    role,
    commonName: commonNameOf(cert.subject),
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    algorithm: keyAlgorithm(cert) ?? 'GOST (not checkable)',
    fingerprintSha256: cert.fingerprint256.replace(/:/g, ''),
  };
}
