/**
 * What every route that takes a signed document shares: the verifier bound to the portal's trust
 * store and revocation settings, the refusal of input that is not acceptable XML at all, and the
 * window on the portal's clock a signed document's own time must fall in.
 */
import type { Purpose, SubIndication, VerificationReport } from '../signing/index.ts';
import { Refusal } from './refusal.ts';

/** verifyXml bound to the portal's trust store and revocation settings. */
export type PortalVerifier = (xml: string, check: { purpose: Purpose; at: Date }) => Promise<VerificationReport>;

/**
 * Malformed, oversized or hostile XML (DTDs, entities, ...) is refused before any signature
 * check, with signing/'s own clear reason, as XML_INVALID rather than a signature failure.
 */
export function formatRefusal(report: VerificationReport): Refusal | null {
  if (report.subIndication !== 'FORMAT_FAILURE' || report.signedXml !== undefined) return null;
  return new Refusal('XML_INVALID', report.errors[0] ?? 'The XML document is not acceptable.');
}

/** How far a signer's computer clock may be off the portal's, either way. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface SignedTimeWindow {
  /** Earliest accepted time: the document's lifetime back, plus the skew. */
  earliest: Date;
  /** Latest accepted time: the skew ahead of the portal clock. */
  latest: Date;
}

/**
 * A signed document is made shortly before it is sent, so with both clocks right its own time lies
 * within the last `maxAgeMs` of the portal clock. Anything outside that, widened by CLOCK_SKEW_MS
 * either way, was not made for this request (an old document replayed), or its signer's clock is
 * wrong (the desktop app dates its documents on the portal's time, so it does not meet this).
 */
export function signedTimeWindow(now: Date, maxAgeMs: number): SignedTimeWindow {
  return {
    earliest: new Date(now.getTime() - maxAgeMs - CLOCK_SKEW_MS),
    latest: new Date(now.getTime() + CLOCK_SKEW_MS),
  };
}

/** True when `time` (ISO-8601, validated by the document's schema) is within signedTimeWindow(now, maxAgeMs). */
export function isSignedTimeInWindow(time: string, now: Date, maxAgeMs: number): boolean {
  const at = Date.parse(time);
  const { earliest, latest } = signedTimeWindow(now, maxAgeMs);
  return Number.isFinite(at) && at >= earliest.getTime() && at <= latest.getTime();
}

type SignRefusal = 'SIGN_UNTRUSTED' | 'SIGN_CERT_EXPIRED' | 'SIGN_CERT_NOT_YET_VALID' | 'SIGN_CERT_REVOKED' | 'SIGN_WRONG_PURPOSE' | 'SIGN_REVOCATION_UNKNOWN' | 'SIGN_UNSUPPORTED_ALGORITHM';

const SIGN_REFUSALS: Partial<Record<SubIndication, [SignRefusal, string]>> = {
  NO_CERTIFICATE_CHAIN_FOUND: ['SIGN_UNTRUSTED', 'The signing certificate was not issued by a trusted certification authority.'],
  CHAIN_CONSTRAINTS_FAILURE: ['SIGN_UNTRUSTED', 'The signing certificate was not issued by a trusted certification authority.'],
  EXPIRED: ['SIGN_CERT_EXPIRED', 'The signing certificate has expired.'],
  NOT_YET_VALID: ['SIGN_CERT_NOT_YET_VALID', 'The signing certificate is not yet valid.'],
  REVOKED: ['SIGN_CERT_REVOKED', 'The signing certificate has been revoked.'],
  WRONG_PURPOSE: ['SIGN_WRONG_PURPOSE', 'Sign the document with a signing (RSA) key, not an authentication key.'],
  TRY_LATER: ['SIGN_REVOCATION_UNKNOWN', 'The signing certificate status could not be checked; try again later.'],
  UNSUPPORTED_ALGORITHM: [
    'SIGN_UNSUPPORTED_ALGORITHM',
    'The document is signed with an algorithm the portal cannot check (GOST); sign it with your RSA signing key (RSA256_...).',
  ],
};

/** Why a signed applicant's document (SIGN key) did not pass verification, as one SIGN_* refusal. */
export function refuseSignature(report: VerificationReport): Refusal {
  const known = report.subIndication ? SIGN_REFUSALS[report.subIndication] : undefined;
  if (!known) return new Refusal('SIGN_BAD_SIGNATURE', 'The signature does not verify.');
  return new Refusal(known[0], known[1]);
}
