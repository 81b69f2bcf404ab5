/**
 * The referral PDF is rendered after the answer, not inside it (rendering took most of a
 * submission's time). A submission stores the referral's PDF document with no content yet, next to
 * the signed request, in the transaction that finishes it; a PDF is never empty, so an empty
 * referral_pdf document is one still to render. It is rendered right after the answer is sent
 * (referral-routes.ts); when that did not happen (a crash, a failure), on the first download, and
 * at the scheduler's next tick (at start too). Stored once: only while still empty.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { VerificationReport } from '../../signing/index.ts';
import { ReferralResult } from '../../protocol/portal-api.ts';
import { getApplicationCard, type ApplicationCardData } from '../repositories/applications.ts';
import { renderReferralPdf, type ReferralPdfData } from './referral-pdf.ts';

/** The content of a referral PDF document still to render. */
export const PDF_TO_RENDER = Buffer.alloc(0);

/** What the referral PDF prints, from the referral, the application and the verified request. */
export async function referralPdfData(
  db: Kysely<DB>,
  s: {
    iin: string;
    application: ApplicationCardData;
    kindergartenId: number;
    referral: { id: number; issued_at: string; confirm_by: string };
    report: VerificationReport;
    contentSha256: string;
  },
): Promise<ReferralPdfData> {
  const { application, referral } = s;
  const signer = s.report.signer;
  if (!signer) throw new Error('a verified referral request without its signer');
  const kg = await db.selectFrom('kindergartens').selectAll().where('id', '=', s.kindergartenId).executeTakeFirstOrThrow();
  return {
    referralNumber: `${application.application.number}/${referral.id}`,
    issuedAt: new Date(referral.issued_at),
    confirmBy: new Date(referral.confirm_by),
    applicationNumber: application.application.number,
    child: application.child,
    applicant: { fullName: signer.commonName, iin: s.iin },
    kindergarten: { nameKk: kg.name_kk, nameRu: kg.name_ru, address: kg.address, addressRu: kg.address_ru, phone: kg.phone, language: kg.language },
    category: application.application.category,
    signedBy: `${signer.commonName}, ЖСН/ИИН ${s.iin}, ${signer.serialNumber}`,
    requestSha256: s.contentSha256,
  };
}

/**
 * The content of a referral PDF document, rendered and stored first if it is still to render;
 * null when there is no such document.
 */
export async function renderReferralPdfDocument(db: Kysely<DB>, documentId: number): Promise<Buffer | null> {
  const doc = await db.selectFrom('documents').select(['application_id', 'kind', 'content']).where('id', '=', documentId).executeTakeFirst();
  if (!doc) return null;
  if (doc.kind !== 'referral_pdf' || doc.content.length > 0) return Buffer.from(doc.content);
  const pdf = await renderReferralPdf(await pdfDataOf(db, documentId, doc.application_id));
  const stored = await db
    .updateTable('documents')
    .set({ content: pdf })
    .where('id', '=', documentId)
    .where((eb) => eb(eb.fn('length', ['content']), '=', 0))
    .executeTakeFirst();
  if (stored.numUpdatedRows > 0n) return pdf;
  // Rendered meanwhile by another request: the stored one is the document.
  const again = await db.selectFrom('documents').select('content').where('id', '=', documentId).executeTakeFirstOrThrow();
  return Buffer.from(again.content);
}

/** Renders every referral PDF still to render; one that fails goes to `onError` and waits for the next run. */
export async function renderPendingReferralPdfs(db: Kysely<DB>, onError: (e: unknown) => void = () => {}): Promise<number> {
  const pending = await db
    .selectFrom('documents')
    .select('id')
    .where('kind', '=', 'referral_pdf')
    .where((eb) => eb(eb.fn('length', ['content']), '=', 0))
    .orderBy('id')
    .execute();
  let rendered = 0;
  for (const { id } of pending) {
    try {
      await renderReferralPdfDocument(db, id);
      rendered++;
    } catch (e) {
      onError(e);
    }
  }
  return rendered;
}

/** The PDF's data, from the finished submission whose answer lists this document. */
async function pdfDataOf(db: Kysely<DB>, documentId: number, applicationId: number): Promise<ReferralPdfData> {
  const submissions = await db
    .selectFrom('signed_submissions as s')
    .innerJoin('referrals as r', 'r.id', 's.referral_id')
    .select(['s.iin', 's.report', 's.content_sha256', 's.result', 'r.id', 'r.issued_at', 'r.confirm_by', 'r.kindergarten_id'])
    .where('s.application_id', '=', String(applicationId))
    .where('s.result', '!=', '')
    .execute();
  const s = submissions.find((row) => ReferralResult.parse(JSON.parse(row.result)).documents.some((d) => d.id === String(documentId)));
  if (!s) throw new Error(`referral PDF document ${documentId} has no finished submission`);
  const application = await getApplicationCard(db, s.iin, applicationId);
  if (!application) throw new Error(`referral PDF document ${documentId}: application ${applicationId} is not ${s.iin}'s`);
  return referralPdfData(db, {
    iin: s.iin,
    application,
    kindergartenId: s.kindergarten_id,
    referral: { id: s.id, issued_at: s.issued_at, confirm_by: s.confirm_by },
    // Written by the submission after its signature was verified: the portal's own record.
    report: JSON.parse(s.report) as VerificationReport,
    contentSha256: s.content_sha256,
  });
}
