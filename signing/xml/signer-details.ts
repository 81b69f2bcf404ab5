/** The signer as a verification report shows it: the NCA profile's reading of the certificate. */
import type { X509Certificate } from 'node:crypto';
import { BoundedCache } from '../bounded-cache.ts';
import { describeCertificate } from '../certificate-profile.ts';
import type { SignerDetails } from '../types.ts';

// Describing a certificate costs milliseconds (a full ASN.1 parse); a portal sees the same signers
// again and again. Keyed by the SHA-256 fingerprint, so a different certificate is a different entry.
const cache = new BoundedCache<string, SignerDetails>(512);

/** Undefined when the certificate is too damaged to describe (a report must never throw). */
export function signerDetails(cert: X509Certificate): SignerDetails | undefined {
  const cached = cache.get(cert.fingerprint256);
  if (cached) return structuredClone(cached);
  const details = describe(cert);
  if (details) cache.set(cert.fingerprint256, details);
  return details && structuredClone(details);
}

function describe(cert: X509Certificate): SignerDetails | undefined {
  try {
    const info = describeCertificate(cert);
    return {
      commonName: info.commonName,
      ...(info.iin ? { iin: info.iin } : {}),
      ...(info.bin ? { bin: info.bin } : {}),
      ...(info.organization ? { organization: info.organization } : {}),
      role: info.role,
      serialNumber: info.serialNumber,
      issuer: info.issuer,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      purposes: info.purposes,
    };
  } catch {
    return undefined;
  }
}
