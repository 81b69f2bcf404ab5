/**
 * What every route that takes a signed document shares: the verifier bound to the portal's trust
 * store and revocation settings, and the refusal of input that is not acceptable XML at all.
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
