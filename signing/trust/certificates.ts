/**
 * Reading certificates and the few extensions the trust code needs.
 * node:crypto X509Certificate is the working type everywhere; x509-structures.ts reads the
 * extensions node does not expose (AKI, SKI, CDP, Freshest CRL, policies).
 */
import { X509Certificate } from 'node:crypto';
import { BoundedCache } from '../bounded-cache.ts';
import {
  type Extension,
  readAccessUris,
  readAuthorityKeyIdentifier,
  readBasicConstraints,
  readCertificate,
  readDistributionPointUris,
  readExtendedKeyUsage,
  readKeyUsage,
  readPolicies,
  readSubjectKeyIdentifier,
} from '../x509-structures.ts';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** All certificates in a PEM (one or more blocks) or DER buffer. Throws on anything else. */
export function readCertificates(data: Buffer): X509Certificate[] {
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    return (text.match(PEM_CERTIFICATE) ?? []).map((pem) => new X509Certificate(pem));
  }
  return [new X509Certificate(data)];
}

/** Serial numbers are compared as upper-case hex without leading zeros. */
export function normalizeSerial(hex: string): string {
  const clean = hex
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
  return clean;
}

export function isSelfIssued(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer;
}

/** The key's algorithm, or undefined when OpenSSL cannot read it (the Kazakh GOST keys). */
export function keyAlgorithm(cert: X509Certificate): string | undefined {
  try {
    return cert.publicKey.asymmetricKeyType;
  } catch {
    return undefined;
  }
}

export function commonNameOf(dn: string): string {
  const line = dn.split('\n').find((l) => l.startsWith('CN='));
  return line ? line.slice(3) : dn.replace(/\n/g, ', ');
}

/** The subject CN in quotes, for plain-language messages. */
export function quotedName(cert: X509Certificate): string {
  return `"${commonNameOf(cert.subject)}"`;
}

const OID = {
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  certificatePolicies: '2.5.29.32',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;
const ID_AD_OCSP = '1.3.6.1.5.5.7.48.1';

/**
 * Extensions whose meaning we process or that carry no constraint we could be failing to apply.
 * A critical extension outside this list (name, policy or policy-mapping constraints, or anything
 * unknown) makes the certificate unusable, as RFC 5280 section 4.2 requires.
 */
const UNDERSTOOD_EXTENSIONS: ReadonlySet<string> = new Set([
  ...Object.values(OID),
  '2.5.29.17', // subjectAltName: names only, we match none
  '2.5.29.18', // issuerAltName
]);

/** The extensions the trust code reads, decoded once. Unparseable extensions read as absent. */
export interface CertificateExtensions {
  subjectKeyId?: string;
  authorityKeyId?: string;
  /** undefined when the extension is absent. */
  isCa?: boolean;
  /** basicConstraints pathLenConstraint: how many CA certificates may follow this one. */
  pathLength?: number;
  ocspUrls: string[];
  crlUrls: string[];
  deltaCrlUrls: string[];
  policies: string[];
  /** Key usage bit names (digitalSignature, nonRepudiation, keyCertSign, ...); undefined when absent. */
  keyUsage?: string[];
  extKeyUsage?: string[];
  /** OIDs of critical extensions we do not understand (or could not read). */
  unknownCritical: string[];
  /** id-pkix-ocsp-nocheck: a delegated OCSP responder whose own revocation is not to be checked. */
  ocspNoCheck: boolean;
}

// A full ASN.1 parse costs about a millisecond, and a portal sees the same signers and CAs on every
// call (each call brings a new X509Certificate object). The extensions are a pure function of the
// DER, so they are cached by its SHA-256 fingerprint; bounded, as signers are unbounded.
const cache = new BoundedCache<string, Readonly<CertificateExtensions>>(4096);

/** Decoded once per certificate (by fingerprint); the result is shared, so it is read-only. */
export function extensionsOf(cert: X509Certificate): Readonly<CertificateExtensions> {
  const cached = cache.get(cert.fingerprint256);
  if (cached) return cached;
  const result: CertificateExtensions = { ocspUrls: [], crlUrls: [], deltaCrlUrls: [], policies: [], unknownCritical: [], ocspNoCheck: false };
  let extensions: readonly Extension[];
  try {
    extensions = readCertificate(cert.raw).extensions;
  } catch {
    cache.set(cert.fingerprint256, result);
    return result;
  }
  for (const ext of extensions) {
    if (ext.critical && !UNDERSTOOD_EXTENSIONS.has(ext.id)) result.unknownCritical.push(ext.id);
    try {
      readExtension(ext, result);
    } catch {
      // A malformed extension is treated as absent; the checks that need it then fail closed,
      // and a critical one cannot be honoured at all.
      if (ext.critical && UNDERSTOOD_EXTENSIONS.has(ext.id)) result.unknownCritical.push(ext.id);
    }
  }
  cache.set(cert.fingerprint256, result);
  return result;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();

function readExtension(ext: Extension, out: CertificateExtensions): void {
  switch (ext.id) {
    case OID.subjectKeyIdentifier:
      out.subjectKeyId = hex(readSubjectKeyIdentifier(ext.value));
      break;
    case OID.authorityKeyIdentifier: {
      const keyId = readAuthorityKeyIdentifier(ext.value);
      if (keyId) out.authorityKeyId = hex(keyId);
      break;
    }
    case OID.basicConstraints: {
      const basic = readBasicConstraints(ext.value);
      out.isCa = basic.isCa;
      if (basic.pathLength !== undefined) out.pathLength = basic.pathLength;
      break;
    }
    case OID.authorityInfoAccess:
      out.ocspUrls = readAccessUris(ext.value, ID_AD_OCSP).flatMap(splitUrls);
      break;
    case OID.crlDistributionPoints:
      out.crlUrls = readDistributionPointUris(ext.value).flatMap(splitUrls);
      break;
    case OID.freshestCrl:
      // Freshest CRL has the same syntax as CRL distribution points.
      out.deltaCrlUrls = readDistributionPointUris(ext.value).flatMap(splitUrls);
      break;
    case OID.certificatePolicies:
      out.policies = readPolicies(ext.value);
      break;
    case OID.keyUsage:
      out.keyUsage = readKeyUsage(ext.value);
      break;
    case OID.extKeyUsage:
      out.extKeyUsage = readExtendedKeyUsage(ext.value);
      break;
    case OID.ocspNoCheck:
      out.ocspNoCheck = true;
      break;
  }
}

/**
 * The 2018 NCA CA certificate carries one URI holding two addresses:
 * "http://crl.root.gov.kz/rsa.crl\n   URL=http://crl1.root.gov.kz/rsa.crl". Split on whitespace,
 * drop a "URL=" prefix, keep only well-formed http(s) URLs; anything else is rejected.
 */
export function splitUrls(value: string): string[] {
  const urls: string[] = [];
  for (const token of value.split(/\s+/)) {
    const candidate = token.replace(/^URL=/i, '');
    if (!candidate) continue;
    try {
      const url = new URL(candidate);
      if (url.protocol === 'http:' || url.protocol === 'https:') urls.push(url.href);
    } catch {
      // not a URL: ignored
    }
  }
  return urls;
}
