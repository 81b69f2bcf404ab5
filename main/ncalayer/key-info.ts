/**
 * commonUtils.getKeyInfo's answer about the chosen key's certificate, in NCALayer's field names
 * (docs/ncalayer.md, "kz.gov.pki.knca.commonUtils"). Pages split subjectDn on commas to find SERIALNUMBER=IIN…,
 * so names are written as Java's Kalkan writes them: DER order, "KEY=value" joined by "," alone.
 */
import type { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const LABELS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SURNAME',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GIVENNAME',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** RFC 4514 escaping of the characters that would break "KEY=value,KEY=value". */
const escape = (value: string): string => value.replace(/[,+"\\<>;]/g, (c) => `\\${c}`);

function dn(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${LABELS[tv.type] ?? `OID.${tv.type}`}=${escape(String(tv.value.valueBlock.value))}`)
    .join(',');
}

const cnOf = (name: pkijs.RelativeDistinguishedNames): string =>
  String(name.typesAndValues.find((tv) => tv.type === '2.5.4.3')?.value.valueBlock.value ?? '');

function extensionHex(parsed: pkijs.Certificate, oid: string): string {
  const extension = parsed.extensions?.find((e) => e.extnID === oid);
  const value = extension?.parsedValue as unknown;
  if (value instanceof asn1js.OctetString) return Buffer.from(value.valueBlock.valueHexView).toString('hex');
  if (value instanceof pkijs.AuthorityKeyIdentifier && value.keyIdentifier) {
    return Buffer.from(value.keyIdentifier.valueBlock.valueHexView).toString('hex');
  }
  return '';
}

export interface KeyInfo {
  alias: string;
  keyId: string;
  algorithm: string;
  subjectCn: string;
  subjectDn: string;
  issuerCn: string;
  issuerDn: string;
  /** Lower-case hex, as Java's BigInteger.toString(16). */
  serialNumber: string;
  /** Milliseconds since the epoch, as text. */
  certNotBefore: string;
  certNotAfter: string;
  authorityKeyIdentifier: string;
  pem: string;
}

export function keyInfoOf(certificate: X509Certificate): KeyInfo {
  const parsed = pkijs.Certificate.fromBER(certificate.raw);
  const keyId = extensionHex(parsed, '2.5.29.14');
  const type = certificate.publicKey.asymmetricKeyType;
  return {
    alias: keyId,
    keyId,
    algorithm: type === 'rsa' ? 'RSA' : type === 'ec' ? 'EC' : String(type ?? 'UNKNOWN').toUpperCase(),
    subjectCn: cnOf(parsed.subject),
    subjectDn: dn(parsed.subject),
    issuerCn: cnOf(parsed.issuer),
    issuerDn: dn(parsed.issuer),
    serialNumber: certificate.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
    certNotBefore: String(parsed.notBefore.value.getTime()),
    certNotAfter: String(parsed.notAfter.value.getTime()),
    authorityKeyIdentifier: extensionHex(parsed, '2.5.29.35'),
    pem: certificate.toString(),
  };
}
