/**
 * What every route that takes a signed document shares: the verifier bound to the portal's trust
 * store and revocation settings, the refusal of input that is not acceptable XML at all, and the
 * window on the portal's clock a signed document's own time must fall in.
 */
import type { Purpose, VerificationReport } from '../signing/index.ts';
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
