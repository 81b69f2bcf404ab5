/**
 * A signed referral request, from verification to issued referral. The portal acts only on what
 * the applicant signed: the signer must be the logged-in applicant, the signed content must name
 * this application, this offer and this kindergarten as the database knows them, and its
 * requestedAt must lie within REFERRAL_REQUEST_MAX_AGE_MS of the portal clock (signed-requests.ts).
 *
 * Idempotent: the same Idempotency-Key or the same signed content yields the same referral. One
 * referral, one document: another signed request for an offer that already has its referral is
 * answered with that referral and stores nothing (a submission names the referral it stored its
 * documents for, unique in the database, so two different requests racing for one offer still
 * store one set). The submission is claimed (by the SHA-256 of the signed content) before the
 * queue allocates the place, so a retry after a failure half way finds the referral and completes
 * the documents; claims a crash left pending are settled by the scheduler (pending-claims.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { VerificationReport } from '../../signing/index.ts';
import { parseReferralRequestXml, type ReferralRequestDocument } from '../../protocol/signed-documents.ts';
import { ReferralResult } from '../../protocol/portal-api.ts';
import { documentInfo, ownApplication } from '../repositories/applicant-views.ts';
import { Refusal } from '../refusal.ts';
import { formatRefusal, isSignedTimeInWindow, refuseSignature, type PortalVerifier } from '../signed-requests.ts';
import { REFERRAL_SUBMISSION_REFUSALS } from '../../protocol/refusals.ts';
import type { QueueEngine } from '../queue/engine.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { applicantActor } from '../queue/history.ts';
import { isQueueError } from '../queue/errors.ts';
import { PDF_TO_RENDER } from './pending-referral-pdfs.ts';
import { addDocument } from '../repositories/documents.ts';
import type { ApplicationCardData } from '../repositories/applications.ts';

type ReferralSubmissionRefusal = (typeof REFERRAL_SUBMISSION_REFUSALS)[number];

const refused = (code: ReferralSubmissionRefusal, message: string): Refusal => new Refusal(code, message);

/**
 * How old a referral request may be. The desktop app dates it on the portal's time when it reads
 * the offer, just before the applicant opens the key and signs.
 */
export const REFERRAL_REQUEST_MAX_AGE_MS = 15 * 60_000;

const mismatch = (what: string): Refusal =>
  refused('SIGNED_CONTENT_MISMATCH', `The signed request does not match this ${what}; reload the application and sign again.`);

export interface SubmitReferral {
  iin: string;
  applicationId: string;
  signedXml: string;
  idempotencyKey?: string;
  /** Filled with where the time went (verify, allocate, store), for the Server-Timing header. */
  timings?: Array<{ step: string; ms: number }>;
}

/** What a submission works with (the portal's database, verifier, queue and clock). */
export interface ReferralSubmissionContext {
  db: Kysely<DB>;
  verify: PortalVerifier;
  queue: QueueEngine;
  now: () => Date;
}

export async function submitReferral(ctx: ReferralSubmissionContext, input: SubmitReferral): Promise<ReferralResult> {
  const { db } = ctx;
  const now = ctx.now();
  if (input.idempotencyKey) {
    const seen = await storedResultByKey(db, input.iin, input.idempotencyKey);
    if (seen) return seen;
  }

  let mark = performance.now();
  const lap = (step: string): void => {
    const at = performance.now();
    input.timings?.push({ step, ms: at - mark });
    mark = at;
  };
  const report = await ctx.verify(input.signedXml, { purpose: 'SIGN', at: now });
  lap('verify');
  const badFormat = formatRefusal(report);
  if (badFormat) throw badFormat;
  if (report.signedXml === undefined || !report.signer || report.indication !== 'TOTAL_PASSED') throw refuseSignature(report);
  if (report.signer.iin !== input.iin || report.signer.bin) {
    throw refused('SIGNER_NOT_APPLICANT', 'The request must be signed with your own key (the IIN you logged in with).');
  }
  const request = parseReferralRequestXml(report.signedXml);
  if (request.applicantIin !== input.iin) throw mismatch('applicant');
  if (request.applicationId !== input.applicationId) throw mismatch('application');

  const contentSha256 = createHash('sha256').update(report.signedXml, 'utf8').digest('hex');
  const existing = await db.selectFrom('signed_submissions').select(['id', 'result']).where('content_sha256', '=', contentSha256).executeTakeFirst();
  if (existing?.result) {
    await rememberKey(db, input, existing.id, now);
    return ReferralResult.parse(JSON.parse(existing.result));
  }
  if (!isSignedTimeInWindow(request.requestedAt, now, REFERRAL_REQUEST_MAX_AGE_MS)) {
    throw refused('SIGN_TIMESTAMP_OUT_OF_RANGE', "The signed request's time is too far from the portal's clock; open the offer again and sign anew.");
  }

  const application = await ownApplication(db, input.iin, request.applicationId);
  await checkSignedContent(db, request, application);
  const offerId = Number(request.offerId);
  const kindergartenId = Number(request.kindergartenId);
  // This offer's referral exists with its documents: the same answer, and nothing stored.
  if (!existing) {
    const earlier = await resultForOffer(db, application.id, offerId);
    if (earlier) {
      await rememberKey(db, input, earlier.submissionId, now);
      return earlier.result;
    }
  }

  // Claim the signed content before the place is allocated.
  const submissionId = existing?.id ?? randomUUID();
  if (!existing) {
    try {
      await db
        .insertInto('signed_submissions')
        .values({
          id: submissionId,
          kind: 'referral_request',
          iin: input.iin,
          application_id: String(application.id),
          content_sha256: contentSha256,
          signed_xml: input.signedXml,
          report: JSON.stringify(report),
          result: '',
          created_at: now.toISOString(),
        })
        .execute();
    } catch {
      // A concurrent identical submission claimed it first: answer as it did, or ask to retry.
      const other = await db.selectFrom('signed_submissions').select('result').where('content_sha256', '=', contentSha256).executeTakeFirst();
      if (other?.result) return ReferralResult.parse(JSON.parse(other.result));
      throw refused('SUBMISSION_IN_PROGRESS', 'This request is being processed; try again in a moment.');
    }
  }

  let referral = await issuedReferral(db, application.id, offerId);
  if (!referral) {
    try {
      const r = await ctx.queue.createReferral({ applicationId: application.id, offerId, kindergartenId, actor: applicantActor(input.iin) });
      referral = { id: r.referralId, issued_at: r.issuedAt, confirm_by: r.confirmBy };
    } catch (e) {
      if (!isQueueError(e)) throw e;
      // A duplicate of this submission (same signed content) may have issued it meanwhile: then it is this one's too.
      referral = await issuedReferral(db, application.id, offerId);
      if (!referral) {
        // A duplicate of a submission another request claimed: that request is allocating the place.
        if (existing) throw refused('SUBMISSION_IN_PROGRESS', 'This request is being processed; try again in a moment.');
        // The claimant releases its claim, so a later retry meets the queue's refusal again.
        await releaseClaim(db, submissionId);
        throw e;
      }
    }
  }
  lap('allocate');

  const stored = await storeReferralDocuments(db, {
    submissionId, iin: input.iin, application, kindergartenId, offerId, referral, report, signedXml: input.signedXml, contentSha256, now,
  });
  lap('store');
  await rememberKey(db, input, stored.submissionId, now);
  return stored.result;
}

/** The issued referral of this offer for this application, if the queue made one. */
export async function issuedReferral(db: Kysely<DB>, applicationId: number, offerId: number) {
  return db
    .selectFrom('referrals')
    .select(['id', 'issued_at', 'confirm_by'])
    .where('offer_id', '=', offerId)
    .where('application_id', '=', applicationId)
    .where('state', '=', 'issued')
    .executeTakeFirst();
}

/** A claimed submission whose place is allocated: what its documents are made of. */
export interface AllocatedSubmission {
  submissionId: string;
  iin: string;
  application: ApplicationCardData;
  kindergartenId: number;
  offerId: number;
  referral: { id: number; issued_at: string; confirm_by: string };
  report: VerificationReport;
  signedXml: string;
  contentSha256: string;
  now: Date;
}

/**
 * Stores the referral's documents (the signed request, and the PDF to render after the answer),
 * finishing the claim; once per referral: when another submission stored this referral's
 * documents first, its result is the answer (with its id) and this claim is released without
 * storing anything.
 */
export async function storeReferralDocuments(db: Kysely<DB>, s: AllocatedSubmission): Promise<{ submissionId: string; result: ReferralResult }> {
  const { application, referral, report, now } = s;
  const signer = report.signer;
  if (!signer) throw new Error('a verified referral request without its signer');
  const referralNumber = `${application.application.number}/${referral.id}`;

  try {
    const result = await db.transaction().execute(async (trx) => {
      // Take the pending row and name its referral (PostgreSQL: a row lock, and the unique index
      // makes a concurrent submission for the same referral wait, then fail).
      const taken = await trx
        .updateTable('signed_submissions')
        .set({ referral_id: referral.id })
        .where('id', '=', s.submissionId)
        .where('result', '=', '')
        .executeTakeFirst();
      if (taken.numUpdatedRows === 0n) {
        const done = await trx.selectFrom('signed_submissions').select('result').where('id', '=', s.submissionId).executeTakeFirst();
        if (done?.result) return ReferralResult.parse(JSON.parse(done.result));
        throw refused('SUBMISSION_IN_PROGRESS', 'This request is being processed; try again in a moment.');
      }
      const safeNumber = referralNumber.replace(/\//g, '-');
      const docs = [];
      for (const d of [
        // Rendered after the answer (pending-referral-pdfs.ts).
        { kind: 'referral_pdf', filename: `referral-${safeNumber}.pdf`, contentType: 'application/pdf', content: PDF_TO_RENDER },
        { kind: 'referral_xml', filename: `referral-request-${safeNumber}.xml`, contentType: 'application/xml', content: Buffer.from(s.signedXml, 'utf8') },
      ]) {
        const id = await addDocument(trx, { applicationId: application.id, createdAt: now, ...d });
        docs.push(documentInfo({ id, kind: d.kind, filename: d.filename, contentType: d.contentType, createdAt: now.toISOString() }));
      }
      const result: ReferralResult = {
        referralId: String(referral.id),
        applicationId: String(application.id),
        kindergartenId: String(s.kindergartenId),
        issuedAt: new Date(referral.issued_at).toISOString(),
        documents: docs,
      };
      await trx.updateTable('signed_submissions').set({ result: JSON.stringify(result) }).where('id', '=', s.submissionId).execute();
      await appendAudit(trx, {
        at: now,
        actorIin: s.iin,
        action: 'referral.submit',
        subject: application.application.number,
        details: { referralId: referral.id, offerId: s.offerId, kindergartenId: s.kindergartenId, contentSha256: s.contentSha256, signer: signer.serialNumber, indication: report.indication },
      });
      return result;
    });
    return { submissionId: s.submissionId, result };
  } catch (e) {
    // Another submission stored this referral's documents first: its answer, and this claim goes.
    const first = await storedForReferral(db, referral.id);
    if (!first || first.submissionId === s.submissionId) throw e;
    await releaseClaim(db, s.submissionId);
    return first;
  }
}

/** Drops a claim that stored nothing (its content may be submitted again). */
export async function releaseClaim(db: Kysely<DB>, submissionId: string): Promise<void> {
  await db.deleteFrom('signed_submissions').where('id', '=', submissionId).where('result', '=', '').execute();
}

async function storedForReferral(db: Kysely<DB>, referralId: number): Promise<{ submissionId: string; result: ReferralResult } | null> {
  const row = await db
    .selectFrom('signed_submissions')
    .select(['id', 'result'])
    .where('referral_id', '=', referralId)
    .where('result', '!=', '')
    .executeTakeFirst();
  return row ? { submissionId: row.id, result: ReferralResult.parse(JSON.parse(row.result)) } : null;
}

/** The stored answer of the submission that made this offer's referral, if one did. */
async function resultForOffer(db: Kysely<DB>, applicationId: number, offerId: number): Promise<{ submissionId: string; result: ReferralResult } | null> {
  const row = await db
    .selectFrom('signed_submissions as s')
    .innerJoin('referrals as r', 'r.id', 's.referral_id')
    .select(['s.id', 's.result'])
    .where('r.offer_id', '=', offerId)
    .where('r.application_id', '=', applicationId)
    .where('s.result', '!=', '')
    .executeTakeFirst();
  return row ? { submissionId: row.id, result: ReferralResult.parse(JSON.parse(row.result)) } : null;
}

async function checkSignedContent(db: Kysely<DB>, request: ReferralRequestDocument, application: ApplicationCardData): Promise<void> {
  if (request.applicationNumber !== application.application.number) throw mismatch('application');
  if (request.childIin !== application.child.iin) throw mismatch('child');
  const offerId = Number(request.offerId);
  if (!Number.isSafeInteger(offerId)) throw mismatch('offer');
  const offer = await db
    .selectFrom('offers as o')
    .innerJoin('vacancies as v', 'v.id', 'o.vacancy_id')
    .innerJoin('kindergartens as k', 'k.id', 'v.kindergarten_id')
    .select(['k.id as kg_id', 'k.name_kk', 'k.name_ru', 'k.address', 'k.language'])
    .where('o.id', '=', offerId)
    .executeTakeFirst();
  if (!offer) throw mismatch('offer');
  if (String(offer.kg_id) !== request.kindergartenId) throw mismatch('kindergarten');
  if (![offer.name_kk, offer.name_ru].includes(request.kindergartenName) || offer.address !== request.kindergartenAddress || offer.language !== request.language) {
    throw mismatch('kindergarten');
  }
}

async function storedResultByKey(db: Kysely<DB>, iin: string, key: string): Promise<ReferralResult | null> {
  const row = await db
    .selectFrom('idempotency_keys as k')
    .innerJoin('signed_submissions as s', 's.id', 'k.submission_id')
    .select('s.result')
    .where('k.iin', '=', iin)
    .where('k.key', '=', key)
    .executeTakeFirst();
  return row?.result ? ReferralResult.parse(JSON.parse(row.result)) : null;
}

async function rememberKey(db: Kysely<DB>, input: SubmitReferral, submissionId: string, now: Date): Promise<void> {
  if (!input.idempotencyKey) return;
  await db
    .insertInto('idempotency_keys')
    .values({ iin: input.iin, key: input.idempotencyKey, submission_id: submissionId, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['iin', 'key']).doNothing())
    .execute();
}
