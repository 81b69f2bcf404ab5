/**
 * The NCA RK certificate profile (docs/domain.md, The NCA RK key and certificate profile): what a certificate says about its owner
 * (IIN, BIN, names, role) and what it may be used for (AUTH, SIGN). The one place for these rules.
 * node:crypto cannot read key usage, EKU or policies, so @peculiar/x509 reads the extensions.
 */
import 'reflect-metadata';
import { createHash, type X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import { LRUCache } from 'lru-cache';
import type { CertificateInfo, Purpose, Role, ValidityStatus } from './types.ts';

export const PROFILE_OID = {
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  anyExtendedKeyUsage: '2.5.29.37.0',
  policyIndividualSign: '1.2.398.3.3.2.3',
  policyIndividualAuth: '1.2.398.3.3.2.4',
  policyLegalSign: '1.2.398.3.3.2.1',
  policyLegalAuth: '1.2.398.3.3.2.2',
  roleIndividual: '1.2.398.3.3.4.1.1',
  roleOrganization: '1.2.398.3.3.4.1.2',
  roleHead: '1.2.398.3.3.4.1.2.1',
  roleRightToSign: '1.2.398.3.3.4.1.2.2',
  roleEmployee: '1.2.398.3.3.4.1.2.5',
} as const;

const AUTH_POLICIES: string[] = [PROFILE_OID.policyIndividualAuth, PROFILE_OID.policyLegalAuth];
const SIGN_POLICIES: string[] = [PROFILE_OID.policyIndividualSign, PROFILE_OID.policyLegalSign];

/** Most specific role first: a head's certificate also carries the organisation role. */
const ROLE_BY_OID: Array<[string, Role]> = [
  [PROFILE_OID.roleHead, 'head'],
  [PROFILE_OID.roleRightToSign, 'right_to_sign'],
  [PROFILE_OID.roleEmployee, 'employee'],
  [PROFILE_OID.roleOrganization, 'organization'],
  [PROFILE_OID.roleIndividual, 'individual'],
];

const KEY_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA',
  '1.2.840.10045.2.1': 'EC',
};
const GOST_PREFIX = '1.2.398.3.10.1.1.';

interface ProfileExtensions {
  keyUsage?: number;
  extendedKeyUsage?: string[];
  policies: string[];
  isCa: boolean;
}

/** Reads one extension; a malformed extension counts as absent rather than failing the whole certificate. */
function readExtension<T extends x509.Extension>(
  cert: x509.X509Certificate,
  type: new (raw: BufferSource) => T,
): T | undefined {
  try {
    return cert.getExtension(type) ?? undefined;
  } catch {
    return undefined;
  }
}

function profileExtensions(cert: x509.X509Certificate): ProfileExtensions {
  const ku = readExtension(cert, x509.KeyUsagesExtension);
  const eku = readExtension(cert, x509.ExtendedKeyUsageExtension);
  const policies = readExtension(cert, x509.CertificatePolicyExtension);
  const basic = readExtension(cert, x509.BasicConstraintsExtension);
  return {
    keyUsage: ku?.usages,
    extendedKeyUsage: eku?.usages.map(String),
    policies: [...(policies?.policies ?? [])],
    isCa: basic?.ca === true,
  };
}

function parse(cert: X509Certificate): x509.X509Certificate {
  return new x509.X509Certificate(new Uint8Array(cert.raw));
}

function purposesFrom(ext: ProfileExtensions): Purpose[] {
  if (ext.isCa) return [];
  const has = (flag: x509.KeyUsageFlags): boolean =>
    ext.keyUsage === undefined || (ext.keyUsage & flag) !== 0;
  const ekuHas = (oid: string): boolean => ext.extendedKeyUsage?.includes(oid) === true;
  const purposes: Purpose[] = [];
  const auth = ekuHas(PROFILE_OID.clientAuth) || ext.policies.some((p) => AUTH_POLICIES.includes(p));
  if (auth && has(x509.KeyUsageFlags.digitalSignature)) purposes.push('AUTH');
  const nonRepudiation =
    ext.keyUsage !== undefined && (ext.keyUsage & x509.KeyUsageFlags.nonRepudiation) !== 0;
  const sign =
    ekuHas(PROFILE_OID.emailProtection) ||
    nonRepudiation ||
    ext.policies.some((p) => SIGN_POLICIES.includes(p));
  if (sign && (has(x509.KeyUsageFlags.digitalSignature) || nonRepudiation)) purposes.push('SIGN');
  return purposes;
}

// Reading the extensions is a full ASN.1 parse (about a millisecond); purposes are a pure function
// of the DER, so they are cached by its SHA-256 fingerprint for callers that see the same signers.
const purposesCache = new LRUCache<string, readonly Purpose[]>({ max: 4096 });

/** What the certificate may be used for, from key usage, extended key usage and NCA policy OIDs. */
export function purposesOf(cert: X509Certificate): Purpose[] {
  let purposes = purposesCache.get(cert.fingerprint256);
  if (!purposes) {
    purposes = purposesFrom(profileExtensions(parse(cert)));
    purposesCache.set(cert.fingerprint256, purposes);
  }
  return [...purposes];
}

function roleFrom(ext: ProfileExtensions, isLegalEntity: boolean): Role {
  // A CA is an organisation; the person roles do not apply to it.
  if (ext.isCa) return 'organization';
  const oids = [...(ext.extendedKeyUsage ?? []), ...ext.policies];
  for (const [oid, role] of ROLE_BY_OID) if (oids.includes(oid)) return role;
  if (oids.some((oid) => oid.startsWith(`${PROFILE_OID.roleOrganization}.`))) return 'organization';
  return isLegalEntity ? 'organization' : 'individual';
}

/** The subject public key's algorithm OID, read from the SPKI without needing to understand the key. */
function keyAlgorithmOid(cert: x509.X509Certificate): string | undefined {
  const parsed = asn1js.fromBER(cert.publicKey.rawData);
  const spki = parsed.result;
  if (parsed.offset === -1 || !(spki instanceof asn1js.Sequence)) return undefined;
  const algorithm = spki.valueBlock.value[0];
  const oid = algorithm instanceof asn1js.Sequence ? algorithm.valueBlock.value[0] : undefined;
  return oid instanceof asn1js.ObjectIdentifier ? oid.valueBlock.toString() : undefined;
}

function keyDescription(
  node: X509Certificate,
  cert: x509.X509Certificate,
): { algorithm: string; keySize?: number } {
  const oid = keyAlgorithmOid(cert) ?? 'unknown';
  if (oid.startsWith(GOST_PREFIX)) {
    // 1.2.398.3.10.1.1.2.x is GOST R 34.10-2015 with 512-bit keys; 1.2.398.3.10.1.1.1.x is 34.310-2004 (256).
    return { algorithm: 'GOST', keySize: oid.startsWith(`${GOST_PREFIX}2.`) ? 512 : 256 };
  }
  const algorithm = KEY_ALGORITHMS[oid] ?? oid;
  try {
    const details = node.publicKey.asymmetricKeyDetails;
    if (details?.modulusLength !== undefined) return { algorithm, keySize: details.modulusLength };
    if (details?.namedCurve === 'prime256v1') return { algorithm, keySize: 256 };
    if (details?.namedCurve === 'secp384r1') return { algorithm, keySize: 384 };
  } catch {
    // A key type OpenSSL cannot load: the algorithm name is all we can say.
  }
  return { algorithm };
}

/** Labels for DN attributes @peculiar/x509 would print as bare OIDs (the NCA profile's IIN field). */
const DN_LABELS = { SERIALNUMBER: '2.5.4.5' };

function field(name: x509.Name, oid: string): string | undefined {
  return name.getField(oid)[0];
}

function prefixedDigits(value: string | undefined, prefix: 'IIN' | 'BIN'): string | undefined {
  const match = value === undefined ? null : new RegExp(`^${prefix}(\\d{12})$`).exec(value.trim());
  return match?.[1];
}

/**
 * Everything a user may see about a certificate. IIN and BIN are the digits the certificate
 * states, not checked here: NCA's own test certificates carry IINs with a wrong check digit,
 * so callers that rely on them use isValidIin / isValidBin.
 */
export function describeCertificate(cert: X509Certificate): CertificateInfo {
  const parsed = parse(cert);
  const subject = parsed.subjectName;
  const ext = profileExtensions(parsed);
  const commonName = field(subject, '2.5.4.3') ?? '';
  const surname = field(subject, '2.5.4.4');
  const patronymic = field(subject, '2.5.4.42');
  const givenName =
    surname !== undefined && commonName.startsWith(`${surname} `)
      ? commonName.slice(surname.length + 1)
      : undefined;
  const iin = prefixedDigits(field(subject, '2.5.4.5'), 'IIN');
  const bin = subject
    .getField('2.5.4.11')
    .map((ou) => prefixedDigits(ou, 'BIN'))
    .find((b) => b !== undefined);
  const organization = field(subject, '2.5.4.10');
  const info: CertificateInfo = {
    commonName,
    role: roleFrom(ext, bin !== undefined || organization !== undefined),
    purposes: purposesFrom(ext),
    serialNumber: cert.serialNumber.toUpperCase(),
    issuer: field(parsed.issuerName, '2.5.4.3') ?? parsed.issuer,
    subject: new x509.Name(parsed.subjectName.toArrayBuffer(), DN_LABELS).toString(),
    notBefore: parsed.notBefore.toISOString(),
    notAfter: parsed.notAfter.toISOString(),
    ...keyDescription(cert, parsed),
    fingerprintSha256: createHash('sha256').update(cert.raw).digest('hex').toUpperCase(),
  };
  if (surname !== undefined) info.surname = surname;
  if (givenName !== undefined) info.givenName = givenName;
  if (patronymic !== undefined) info.patronymic = patronymic;
  if (iin !== undefined) info.iin = iin;
  if (bin !== undefined) info.bin = bin;
  if (organization !== undefined) info.organization = organization;
  return info;
}

/** Whether `at` falls inside the certificate's validity period. */
export function validityStatus(
  cert: X509Certificate | Pick<CertificateInfo, 'notBefore' | 'notAfter'>,
  at: Date,
): ValidityStatus {
  const { notBefore, notAfter } =
    'raw' in cert ? parse(cert) : { notBefore: new Date(cert.notBefore), notAfter: new Date(cert.notAfter) };
  if (at.getTime() < notBefore.getTime()) return 'not_yet_valid';
  if (at.getTime() > notAfter.getTime()) return 'expired';
  return 'valid';
}
