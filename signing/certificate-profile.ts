/**
 * The NCA RK certificate profile (docs/domain.md, The NCA RK key and certificate profile): what a certificate says about its owner
 * (IIN, BIN, names, role) and what it may be used for (AUTH, SIGN). The one place for these rules.
 * node:crypto cannot read key usage, EKU or policies: trust/certificates.ts reads the extensions
 * (once per certificate), x509-structures.ts the names.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { BoundedCache } from './bounded-cache.ts';
import { extensionsOf, type CertificateExtensions } from './trust/certificates.ts';
import type { CertificateInfo, Purpose, Role, ValidityStatus } from './types.ts';
import { nameText, nameValues, readCertificate } from './x509-structures.ts';

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

/** What the profile reads of a certificate's extensions. */
type ProfileExtensions = Pick<CertificateExtensions, 'keyUsage' | 'extKeyUsage' | 'policies' | 'isCa'>;

function purposesFrom(ext: ProfileExtensions): Purpose[] {
  if (ext.isCa === true) return [];
  const has = (usage: string): boolean => ext.keyUsage === undefined || ext.keyUsage.includes(usage);
  const ekuHas = (oid: string): boolean => ext.extKeyUsage?.includes(oid) === true;
  const purposes: Purpose[] = [];
  const auth = ekuHas(PROFILE_OID.clientAuth) || ext.policies.some((p) => AUTH_POLICIES.includes(p));
  if (auth && has('digitalSignature')) purposes.push('AUTH');
  const nonRepudiation = ext.keyUsage?.includes('nonRepudiation') === true;
  const sign =
    ekuHas(PROFILE_OID.emailProtection) ||
    nonRepudiation ||
    ext.policies.some((p) => SIGN_POLICIES.includes(p));
  if (sign && (has('digitalSignature') || nonRepudiation)) purposes.push('SIGN');
  return purposes;
}

// Reading the extensions is a full ASN.1 parse (about a millisecond); purposes are a pure function
// of the DER, so they are cached by its SHA-256 fingerprint for callers that see the same signers.
const purposesCache = new BoundedCache<string, readonly Purpose[]>(4096);

/** What the certificate may be used for, from key usage, extended key usage and NCA policy OIDs. */
export function purposesOf(cert: X509Certificate): Purpose[] {
  let purposes = purposesCache.get(cert.fingerprint256);
  if (!purposes) {
    purposes = purposesFrom(extensionsOf(cert));
    purposesCache.set(cert.fingerprint256, purposes);
  }
  return [...purposes];
}

function roleFrom(ext: ProfileExtensions, isLegalEntity: boolean): Role {
  // A CA is an organisation; the person roles do not apply to it.
  if (ext.isCa === true) return 'organization';
  const oids = [...(ext.extKeyUsage ?? []), ...ext.policies];
  for (const [oid, role] of ROLE_BY_OID) if (oids.includes(oid)) return role;
  if (oids.some((oid) => oid.startsWith(`${PROFILE_OID.roleOrganization}.`))) return 'organization';
  return isLegalEntity ? 'organization' : 'individual';
}

/** `oid`: the subject public key's algorithm, read from the SPKI without needing to understand the key. */
function keyDescription(node: X509Certificate, oid: string): { algorithm: string; keySize?: number } {
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
  const tbs = readCertificate(cert.raw);
  const field = (oid: string): string | undefined => nameValues(tbs.subject, oid)[0];
  const ext = extensionsOf(cert);
  const commonName = field('2.5.4.3') ?? '';
  const surname = field('2.5.4.4');
  const patronymic = field('2.5.4.42');
  const givenName =
    surname !== undefined && commonName.startsWith(`${surname} `)
      ? commonName.slice(surname.length + 1)
      : undefined;
  const iin = prefixedDigits(field('2.5.4.5'), 'IIN');
  const bin = nameValues(tbs.subject, '2.5.4.11')
    .map((ou) => prefixedDigits(ou, 'BIN'))
    .find((b) => b !== undefined);
  const organization = field('2.5.4.10');
  const info: CertificateInfo = {
    commonName,
    role: roleFrom(ext, bin !== undefined || organization !== undefined),
    purposes: purposesFrom(ext),
    serialNumber: cert.serialNumber.toUpperCase(),
    issuer: nameValues(tbs.issuer, '2.5.4.3')[0] ?? nameText(tbs.issuer),
    subject: nameText(tbs.subject),
    notBefore: tbs.notBefore.toISOString(),
    notAfter: tbs.notAfter.toISOString(),
    ...keyDescription(cert, tbs.keyAlgorithm),
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
    'raw' in cert
      ? { notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) }
      : { notBefore: new Date(cert.notBefore), notAfter: new Date(cert.notAfter) };
  if (at.getTime() < notBefore.getTime()) return 'not_yet_valid';
  if (at.getTime() > notAfter.getTime()) return 'expired';
  return 'valid';
}
