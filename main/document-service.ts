/**
 * "General documents": a document's bytes for saving, and the app's own check of a signed XML
 * document (verifyXml with the trust store the settings name), shown as a verification report.
 * What the report says was signed is read from the canonical text the signature covers, never
 * from the downloaded input.
 */
import type { SignerDetails, VerificationReport } from '../signing/index.ts';
import { parseReferralRequestXml } from '../protocol/signed-documents.ts';
import type { DocumentContent, VerificationSummary } from '../contract/contract.ts';
import type { AuthService } from './auth-service.ts';
import { AppFailure } from './errors.ts';
import type { PortalClient } from './portal-client.ts';
import type { TrustService } from './trust-service.ts';

const XML_TYPES = new Set(['application/xml', 'text/xml']);

export class DocumentService {
  constructor(
    private readonly auth: AuthService,
    private readonly portal: PortalClient,
    private readonly trust: TrustService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async download(applicationId: string, documentId: string): Promise<DocumentContent> {
    const doc = await this.auth.authed((token) => this.portal.document(token, applicationId, documentId));
    return { filename: doc.filename, contentType: doc.contentType, base64: doc.bytes.toString('base64') };
  }

  async verify(applicationId: string, documentId: string): Promise<VerificationSummary> {
    const doc = await this.auth.authed((token) => this.portal.document(token, applicationId, documentId));
    if (!XML_TYPES.has(doc.contentType)) throw new AppFailure('DOCUMENT_NOT_XML');
    const checkedAt = this.clock().toISOString();
    const report = await this.trust.verify(doc.bytes.toString('utf8'));
    return summarize(report, checkedAt);
  }
}

export function summarize(report: VerificationReport, checkedAt: string): VerificationSummary {
  const signedContent = report.signedXml !== undefined ? readReferralRequest(report.signedXml) : undefined;
  return {
    indication: report.indication,
    ...(report.subIndication ? { subIndication: report.subIndication } : {}),
    ...(report.signer ? { signer: signerOf(report.signer) } : {}),
    checkedAt: report.validatedAt ?? checkedAt,
    ...(signedContent ? { signedContent } : {}),
  };
}

function signerOf(s: SignerDetails): NonNullable<VerificationSummary['signer']> {
  return {
    commonName: s.commonName,
    ...(s.iin ? { iin: s.iin } : {}),
    ...(s.bin ? { bin: s.bin } : {}),
    ...(s.organization ? { organization: s.organization } : {}),
    serialNumber: s.serialNumber.toUpperCase(),
    issuer: s.issuer,
    notBefore: s.notBefore,
    notAfter: s.notAfter,
  };
}

/** The signed referral request, or undefined when the signed XML is some other document. */
function readReferralRequest(signedXml: string) {
  try {
    return parseReferralRequestXml(signedXml);
  } catch {
    return undefined;
  }
}
