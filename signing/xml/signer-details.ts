/**
 * The signer as a verification report shows it.
 * TODO: delegate to describeCertificate (signing/certificate-profile.ts) once the keys engineer's
 * module lands, so the NCA subject rules (IIN, BIN) live in one place; until then this reads only
 * the plain subject attributes.
 */
import type { X509Certificate } from 'node:crypto';
import type { SignerDetails } from '../types.ts';
import { purposesOfCertificate } from '../trust/purpose.ts';

function attributes(dn: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of dn.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !out.has(line.slice(0, eq))) out.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

/** ISO-8601 when the certificate's time parses (a damaged one may not), else OpenSSL's text. */
function isoTime(text: string): string {
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? text : time.toISOString();
}

export function signerDetails(cert: X509Certificate): SignerDetails {
  const subject = attributes(cert.subject);
  const iin = /^IIN(\d{12})$/.exec(subject.get('serialNumber') ?? '')?.[1];
  const bin = /^BIN(\d{12})$/.exec(subject.get('OU') ?? '')?.[1];
  const organization = subject.get('O');
  return {
    commonName: subject.get('CN') ?? cert.subject.replace(/\n/g, ', '),
    ...(iin ? { iin } : {}),
    ...(bin ? { bin } : {}),
    ...(organization ? { organization } : {}),
    serialNumber: cert.serialNumber.toUpperCase(),
    issuer: attributes(cert.issuer).get('CN') ?? cert.issuer.replace(/\n/g, ', '),
    notBefore: isoTime(cert.validFrom),
    notAfter: isoTime(cert.validTo),
    purposes: purposesOfCertificate(cert),
  };
}
