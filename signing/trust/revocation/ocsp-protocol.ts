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
export function issuerHashes(issuer: X509Certificate, hashOid: string): { nameHash: Buffer; keyHash: Buffer } | undefined {
  const hash = HASH_BY_OID[hashOid];
  if (!hash) return undefined;
  const parsed = pkijs.Certificate.fromBER(issuer.raw);
  const nameDer = Buffer.from(parsed.subject.toSchema().toBER());
  const keyBits = Buffer.from(parsed.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
  return {
    nameHash: createHash(hash).update(nameDer).digest(),
    keyHash: createHash(hash).update(keyBits).digest(),
  };
}

/** CertID for `cert` issued by `issuer` (SHA-1, as every responder understands it). */
export function certIdFor(cert: X509Certificate, issuer: X509Certificate): pkijs.CertID {
  const { nameHash, keyHash } = issuerHashes(issuer, OID_SHA1)!;
  const parsed = pkijs.Certificate.fromBER(cert.raw);
  return new pkijs.CertID({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA1, algorithmParams: new asn1js.Null() }),
    issuerNameHash: new asn1js.OctetString({ valueHex: nameHash }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: keyHash }),
    serialNumber: parsed.serialNumber,
  });
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
