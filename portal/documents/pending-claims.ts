/**
 * Claims a crash left pending. A referral submission claims its signed content (a
 * signed_submissions row with no result) before the queue allocates the place and finishes it once
 * the documents are stored; a crash in between leaves the claim pending. The scheduler settles
 * such claims once they are older than any live request could be (PENDING_CLAIM_GRACE_MS):
 *
 * - the place was allocated (the offer has its referral): the documents are stored and the claim
 *   finished, as the applicant's retry would have (or, when another submission already stored this
 *   referral's documents, the claim is released: one referral, one document);
 * - no referral was made, or the application is gone: the claim is released, so nothing waits on
 *   it and the same signed request may be sent again (it is then checked afresh, its time too).
 */
import type { Kysely, Selectable } from 'kysely';
import type { DB, SignedSubmissionsTable } from '../db/schema.ts';
import type { VerificationReport } from '../../signing/index.ts';
import { parseReferralRequestXml } from '../../protocol/signed-documents.ts';
import { ownApplication } from '../repositories/applicant-views.ts';
import { Refusal } from '../refusal.ts';
import { releaseClaim, storeReferralDocuments } from './referral-submission.ts';

/** A live submission finishes in seconds; a claim this old was left by a crash. */
export const PENDING_CLAIM_GRACE_MS = 10 * 60_000;

export interface SettledClaims {
  finished: number;
  released: number;
}

/**
 * Finishes or releases every referral claim pending for longer than PENDING_CLAIM_GRACE_MS. A claim
 * that cannot be settled is reported to `onError` and left for the next run; the others go on.
 */
export async function settlePendingClaims(db: Kysely<DB>, now: Date, onError: (e: unknown) => void = () => {}): Promise<SettledClaims> {
  const settled: SettledClaims = { finished: 0, released: 0 };
  const stale = await db
    .selectFrom('signed_submissions')
    .selectAll()
    .where('kind', '=', 'referral_request')
    .where('result', '=', '')
    .where('created_at', '<=', new Date(now.getTime() - PENDING_CLAIM_GRACE_MS).toISOString())
    .orderBy('created_at')
    .execute();
  for (const claim of stale) {
    try {
      settled[await settleClaim(db, claim, now)]++;
    } catch (e) {
      onError(e);
    }
  }
  return settled;
}

async function settleClaim(db: Kysely<DB>, claim: Selectable<SignedSubmissionsTable>, now: Date): Promise<keyof SettledClaims> {
  // Written by the submission after its signature was verified: the portal's own record.
  const report = JSON.parse(claim.report) as VerificationReport;
  const request = report.signedXml === undefined ? null : parseReferralRequestXml(report.signedXml);
  const application = request ? await ownApplication(db, claim.iin, request.applicationId).catch(notFoundAsNull) : null;
  const offerId = Number(request?.offerId);
  const referral = application
    ? await db
        .selectFrom('referrals')
        .select(['id', 'issued_at', 'confirm_by', 'kindergarten_id'])
        .where('application_id', '=', application.id)
        .where('offer_id', '=', offerId)
        .orderBy('id', 'desc')
        .executeTakeFirst()
    : undefined;
  if (!application || !referral) {
    await releaseClaim(db, claim.id);
    return 'released';
  }
  const stored = await storeReferralDocuments(db, {
    submissionId: claim.id,
    iin: claim.iin,
    application,
    kindergartenId: referral.kindergarten_id,
    offerId,
    referral,
    report,
    signedXml: claim.signed_xml,
    contentSha256: claim.content_sha256,
    now,
  });
  return stored.submissionId === claim.id ? 'finished' : 'released';
}

const notFoundAsNull = (e: unknown): null => {
  if (e instanceof Refusal && e.code === 'APPLICATION_NOT_FOUND') return null;
  throw e;
};
