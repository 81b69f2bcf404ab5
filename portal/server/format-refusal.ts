/**
 * Malformed, oversized or hostile XML (DTDs, entities, ...) is refused before any signature
 * check, with signing/'s own clear reason, as a 400 rather than a signature failure.
 */
import type { VerificationReport } from '../../signing/index.ts';
import { PortalError } from './errors.ts';

/** The refusal's code (400), on every route that takes a signed document. */
export const FORMAT_REFUSAL_CODE = 'XML_INVALID';

export function formatRefusal(report: VerificationReport): PortalError | null {
  if (report.subIndication !== 'FORMAT_FAILURE' || report.signedXml !== undefined) return null;
  const reason = report.errors[0] ?? 'The XML document is not acceptable.';
  return new PortalError(FORMAT_REFUSAL_CODE, 400, reason);
}
