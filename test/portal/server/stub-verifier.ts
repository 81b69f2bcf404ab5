/**
 * A stand-in for signing/'s verifyXml, for tests of the portal's decisions on a verification
 * report (each refusal code) without cryptography. The real verifier is used in the end-to-end
 * login tests with demo keys.
 */
import type { PortalVerifier } from '../../../portal/signed-requests.ts';
import type { SignerDetails, VerificationReport } from '../../../signing/types.ts';

export const APPLICANT: SignerDetails = {
  commonName: 'АБИЛОВ ДАУРЕН',
  iin: '850101300012',
  serialNumber: '01AB',
  issuer: 'DEMO ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)',
  notBefore: '2026-01-01T00:00:00Z',
  notAfter: '2027-01-01T00:00:00Z',
  purposes: ['AUTH'],
};

/** The "signature" is a `<!--stub-->` marker; `next` shapes the report for the next call. */
export function stubVerifier(): PortalVerifier & { next: Partial<VerificationReport> } {
  const state: { next: Partial<VerificationReport> } = { next: {} };
  const verify = async (xml: string): Promise<VerificationReport> => {
    const override = fn.next;
    fn.next = {};
    if (!xml.includes('<!--stub-->')) {
      return { indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE', errors: ['bad'], warnings: [] };
    }
    const report: VerificationReport = {
      indication: 'TOTAL_PASSED',
      signer: APPLICANT,
      errors: [],
      warnings: [],
      signedXml: xml.replace('<!--stub-->', '').replace(/^<\?xml[^>]*\?>/, ''),
      ...override,
    };
    return report;
  };
  const fn = Object.assign(verify, state);
  return fn;
}

export const stubSign = (xml: string): string => `${xml}<!--stub-->`;
