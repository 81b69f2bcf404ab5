/** The signer as a verification report shows it: the NCA profile's reading of the certificate. */
import type { X509Certificate } from 'node:crypto';
import { describeCertificate } from '../certificate-profile.ts';
import type { SignerDetails } from '../types.ts';

/** Undefined when the certificate is too damaged to describe (a report must never throw). */
export function signerDetails(cert: X509Certificate): SignerDetails | undefined {
  try {
    const info = describeCertificate(cert);
    return {
      commonName: info.commonName,
      ...(info.iin ? { iin: info.iin } : {}),
      ...(info.bin ? { bin: info.bin } : {}),
      ...(info.organization ? { organization: info.organization } : {}),
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
