/** Verifying the signature of a signed ASN.1 structure (CRL, OCSP response) with node:crypto. */
import { verify, type KeyObject } from 'node:crypto';

/** Signature algorithm OIDs we can check, mapped to their digest. GOST ones are absent on purpose. */
const DIGEST_BY_ALGORITHM: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};


/** False for a wrong signature and for any algorithm we cannot check (never throws). */
export function verifySignature(
  algorithmOid: string,
  data: Uint8Array,
  signature: Uint8Array,
  key: KeyObject,
): boolean {
  const digest = DIGEST_BY_ALGORITHM[algorithmOid];
  if (!digest) return false;
  try {
    return verify(digest, data, key, signature);
  } catch {
    return false;
  }
}
