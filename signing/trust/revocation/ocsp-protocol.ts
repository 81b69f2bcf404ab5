/** OCSP (RFC 6960) pieces shared by the client and the demo responder. */
import { createHash, type X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
export const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
export const OID_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
export const OID_SHA1 = '1.3.14.3.2.26';
export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
export const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

const HASH_BY_OID: Record<string, string> = { [OID_SHA1]: 'sha1', [OID_SHA256]: 'sha256' };

/** The two hashes that identify an issuer in a CertID, for a digest algorithm we support. */
export function issuerHashes(
  issuer: X509Certificate,
  hashOid: string,
): { nameHash: Buffer; keyHash: Buffer } | undefined {
  const hash = HASH_BY_OID[hashOid];
  if (!hash) return undefined;
  const { nameDer, keyBits } = issuerParts(issuer);
  return {
    nameHash: createHash(hash).update(nameDer).digest(),
    keyHash: createHash(hash).update(keyBits).digest(),
  };
}

/** Parsing with pkijs is slow; an issuer's name and key bits are read once per certificate object. */
const partsCache = new WeakMap<X509Certificate, { nameDer: Buffer; keyBits: Buffer }>();

function issuerParts(issuer: X509Certificate): { nameDer: Buffer; keyBits: Buffer } {
  let parts = partsCache.get(issuer);
  if (!parts) {
    const parsed = pkijs.Certificate.fromBER(issuer.raw);
    parts = {
      nameDer: Buffer.from(parsed.subject.toSchema().toBER()),
      keyBits: Buffer.from(parsed.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
    };
    partsCache.set(issuer, parts);
  }
  return parts;
}

/** CertID for `cert` issued by `issuer` (SHA-1, as every responder understands it). */
export function certIdFor(cert: X509Certificate, issuer: X509Certificate): pkijs.CertID {
  const { nameHash, keyHash } = issuerHashes(issuer, OID_SHA1)!;
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID_SHA1,
      algorithmParams: new asn1js.Null(),
    }),
    issuerNameHash: new asn1js.OctetString({ valueHex: nameHash }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: keyHash }),
    serialNumber: new asn1js.Integer({ valueHex: serialBytes(cert.serialNumber) }),
  });
}

/** DER INTEGER content of a positive serial given as hex: a leading 00 when the high bit is set. */
function serialBytes(hex: string): Uint8Array<ArrayBuffer> {
  const even = hex.length % 2 ? `0${hex}` : hex;
  const bytes = Buffer.from(even, 'hex');
  const content = (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return new Uint8Array(content);
}

export function serialHexOf(certId: pkijs.CertID): string {
  return Buffer.from(certId.serialNumber.valueBlock.valueHexView).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

/** Parses DER strictly: the whole buffer must be one ASN.1 value. */
export function parseDer(der: Uint8Array, what: string): asn1js.AsnType {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || parsed.offset !== der.byteLength) throw new Error(`${what} is not valid DER`);
  return parsed.result;
}
