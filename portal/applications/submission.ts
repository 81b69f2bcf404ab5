/**
 * The signed application (docs/applications.md): verified like every signed request (SIGN key,
 * the signer is the logged-in applicant, its time within APPLICATION_MAX_AGE_MS of the portal
 * clock), then the wizard's rules on what was signed, in the steps' order, each with its own
 * refusal; then one application per chosen organisation through the queue engine's
 * registerApplication, each with the signed document (and the benefit proof) among its documents.
 *
 * The same signed document is acted on once: it is claimed by the SHA-256 of the signed content
 * before anything is registered, and a repeat is answered with the stored result.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { iinBirthDate, isValidIin } from '../../signing/index.ts';
import { parseApplicationXml, type ApplicationDocument } from '../../protocol/signed-documents.ts';
import { ApplicationSubmitResponse, type OrganisationKind } from '../../protocol/application-api.ts';
import { Refusal } from '../refusal.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { inWriteTransaction } from '../db/write-transaction.ts';
import {
  formatRefusal,
  isSignedTimeInWindow,
  refuseSignature,
  type PortalVerifier,
} from '../signed-requests.ts';
import type { QueueEngine } from '../queue/engine.ts';
import { addDocument } from '../repositories/documents.ts';
import { ensureApplicant, namesOf } from '../repositories/applicants.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { setEmail, setNotificationSettings, setPhones } from '../auth/accounts.ts';
import { childAgeFits } from '../../protocol/child-age.ts';
import { isContactConfirmed } from './contact-codes.ts';
import { regionById } from './catalogue.ts';

const kindTaken = () => new Refusal('QUEUE_KIND_TWICE', 'The child already waits in a queue of this kind.');

/** The app dates the document on the portal's time when the review page opens. */
export const APPLICATION_MAX_AGE_MS = 30 * 60_000;

/** Statuses in which an application holds its queue (or the place it got through it). */
const LIVE_STATUSES = ['in_queue', 'notification_sent', 'referral_issued'] as const;

export interface ApplicationSubmissionContext {
  db: Kysely<DB>;
  verify: PortalVerifier;
  queue: QueueEngine;
  now: () => Date;
}

export async function submitApplication(
  ctx: ApplicationSubmissionContext,
  iin: string,
  signedXml: string,
): Promise<ApplicationSubmitResponse> {
  const now = ctx.now();
  const report = await ctx.verify(signedXml, { purpose: 'SIGN', at: now });
  const badFormat = formatRefusal(report);
  if (badFormat) throw badFormat;
  if (report.signedXml === undefined || !report.signer || report.indication !== 'TOTAL_PASSED')
    throw refuseSignature(report);
  const signer = report.signer;
  if (signer.iin !== iin || signer.bin) {
    throw new Refusal(
      'SIGNER_NOT_APPLICANT',
      'The application must be signed with your own key (the IIN you logged in with).',
    );
  }
  const doc = parseApplicationXml(report.signedXml);
  const contentSha256 = createHash('sha256').update(report.signedXml, 'utf8').digest('hex');
  const earlier = await ctx.db
    .selectFrom('signed_submissions')
    .select('result')
    .where('content_sha256', '=', contentSha256)
    .executeTakeFirst();
  if (earlier?.result) return ApplicationSubmitResponse.parse(JSON.parse(earlier.result));
  if (!isSignedTimeInWindow(doc.requestedAt, now, APPLICATION_MAX_AGE_MS)) {
    throw new Refusal(
      'SIGN_TIMESTAMP_OUT_OF_RANGE',
      "The signed application's time is too far from the portal's clock; open the review again and sign anew.",
    );
  }

  // The claim, the checks and the registration stand or fall together: a refusal or a lost race
  // leaves no claim behind, so the same document can be sent again.
  return inWriteTransaction(ctx.db, async (trx) => {
    const checked = await checkApplication({ ...ctx, db: trx }, iin, doc, now);
    const submissionId = randomUUID();
    try {
      await trx
        .insertInto('signed_submissions')
        .values({
          id: submissionId,
          kind: 'application',
          iin,
          application_id: '',
          content_sha256: contentSha256,
          signed_xml: signedXml,
          report: JSON.stringify(report),
          result: '',
          created_at: now.toISOString(),
        })
        .execute();
    } catch {
      throw new Refusal(
        'SUBMISSION_IN_PROGRESS',
        'This application is being registered; try again in a moment.',
      );
    }

    const applicantId = await ensureApplicant(trx, iin, namesOf(signer.commonName), { phone: doc.phone, email: doc.email ?? null }, now);
    const childId = await childFor(trx, doc, checked.birthDate);
    await setPhones(trx, iin, [doc.phone, ...(doc.phone2 ? [doc.phone2] : [])]);
    if (doc.email) await setEmail(trx, iin, doc.email);
    const notify = doc.notify === 'yes';
    await setNotificationSettings(trx, iin, {
      sms: notify && doc.notifySms === 'yes',
      email: notify && doc.notifyEmail === 'yes',
      language: doc.notifyLanguage,
    });

    const region = regionById(doc.region)?.name.kk ?? doc.region;
    const items: ApplicationSubmitResponse['items'] = [];
    for (const [index, org] of checked.organisations.entries()) {
      const number = `ZH.${now.getUTCFullYear()}.${contentSha256.slice(0, 10).toUpperCase()}.${index + 1}`;
      const registered = await ctx.queue
        .registerApplicationIn(trx, {
          number,
          applicantId,
          childId,
          category: doc.category,
          groupYear: checked.birthDate.getUTCFullYear(),
          region,
          benefitType: doc.benefitType,
          benefitKind: doc.benefitType === 'none' ? null : (doc.benefitKind ?? null),
          queueType: org.kind,
          kindergartenId: org.id,
          extraPhone: doc.phone2 ?? null,
          extraEmail: doc.email ?? null,
        })
        .catch((error: unknown) => {
          // checkApplication read no live application of this kind, but another signed
          // application registered one since: the partial unique index (migration 0050) refused.
          if (isUniqueViolation(error)) throw kindTaken();
          throw error;
        });
      await addDocument(trx, {
        applicationId: registered.applicationId,
        kind: 'application_xml',
        filename: `application-${number}.xml`,
        contentType: 'application/xml',
        content: Buffer.from(signedXml, 'utf8'),
        createdAt: now,
      });
      if (checked.proof) {
        await nameProof(trx, checked.proof.id, registered.applicationId);
        await addDocument(trx, {
          applicationId: registered.applicationId,
          kind: 'benefit_proof',
          filename: checked.proof.filename,
          contentType: checked.proof.contentType,
          content: checked.proof.content,
          createdAt: now,
        });
      }
      items.push({
        id: String(registered.applicationId),
        number,
        organisationId: String(org.id),
        registeredAt: registered.registeredAt,
      });
    }
    const result: ApplicationSubmitResponse = { items };
    await trx
      .updateTable('signed_submissions')
      .set({ result: JSON.stringify(result), application_id: items.map((i) => i.id).join(',') })
      .where('id', '=', submissionId)
      .execute();
    await appendAudit(trx, {
      at: now,
      actorIin: iin,
      action: 'application.register',
      subject: items.map((i) => i.number).join(','),
      details: {
        childIin: doc.childIin,
        organisations: doc.organisationIds,
        benefitType: doc.benefitType,
        contentSha256,
        signer: signer.serialNumber,
      },
    });
    return result;
  });
}

interface CheckedApplication {
  birthDate: Date;
  organisations: Array<{ id: number; kind: OrganisationKind }>;
  proof: { id: number; filename: string; contentType: string; content: Uint8Array } | null;
}

/** The wizard's rules on the signed content, step by step; each broken rule has its refusal. */
export async function checkApplication(
  ctx: ApplicationSubmissionContext,
  iin: string,
  doc: ApplicationDocument,
  now: Date,
): Promise<CheckedApplication> {
  const { db } = ctx;
  if (!regionById(doc.region)) throw new Refusal('UNKNOWN_REGION', `No region ${doc.region}.`);
  if (doc.consentRules !== 'yes' || doc.consentPersonalData !== 'yes' || doc.consentContacts !== 'yes') {
    throw new Refusal('CONSENT_MISSING', 'All three consents are needed to apply.');
  }
  // Step 1: the contacts, each confirmed by its code.
  const contacts = [
    ['phone', doc.phone],
    ['phone2', doc.phone2],
    ['email', doc.email],
  ] as const;
  for (const [channel, target] of contacts) {
    if (target !== undefined && !(await isContactConfirmed(db, iin, channel, target, now))) {
      throw new Refusal(
        'CONTACT_NOT_CONFIRMED',
        `Confirm the ${channel === 'email' ? 'e-mail address' : 'phone'} with its code first.`,
      );
    }
  }
  // Step 2: the parent is the applicant; the child's IIN and age.
  if (doc.applicantIin !== iin)
    throw new Refusal('PARENT_NOT_APPLICANT', "The parent's IIN must be yours (the IIN you logged in with).");
  const birthDate = iinBirthDate(doc.childIin);
  if (!isValidIin(doc.childIin) || !birthDate || doc.childIin === iin)
    throw new Refusal('CHILD_IIN_INVALID', "The child's IIN is not valid.");
  if (!childAgeFits(birthDate, now, ctx.queue.config.schoolAge)) {
    throw new Refusal(
      'CHILD_AGE_OUT_OF_RANGE',
      'The child is not of an age any group takes (born, and under school age by the coming 1 September).',
    );
  }
  // Step 3: the organisations, one per kind, not a kind the child already waits in.
  const ids = doc.organisationIds.split(',').map(Number);
  const rows = await db.selectFrom('kindergartens').select(['id', 'kind']).where('id', 'in', ids).execute();
  if (rows.length !== new Set(ids).size || rows.length !== ids.length)
    throw new Refusal('ORGANISATION_NOT_FOUND', 'An organisation of the application does not exist.');
  const served = await db
    .selectFrom('kindergarten_categories')
    .select('kindergarten_id')
    .where('kindergarten_id', 'in', ids)
    .where('category', '=', doc.category)
    .execute();
  if (served.length !== ids.length)
    throw new Refusal(
      'CATEGORY_NOT_SERVED',
      `An organisation of the application does not serve the category ${doc.category}.`,
    );
  const kinds = rows.map((r) => r.kind);
  if (new Set(kinds).size !== kinds.length)
    throw new Refusal('QUEUE_KIND_TWICE', 'Two queues of the same kind at once are not allowed.');
  const waiting = await db
    .selectFrom('applications as a')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .select('a.queue_type')
    .where('c.iin', '=', doc.childIin)
    .where('a.status', 'in', LIVE_STATUSES)
    .where('a.queue_type', 'in', kinds)
    .executeTakeFirst();
  if (waiting) throw kindTaken();
  // Step 4: a benefit comes with its kind and its proof, uploaded by this applicant.
  let proof: CheckedApplication['proof'] = null;
  if (doc.benefitType === 'none') {
    if (doc.benefitKind || doc.benefitProofId || doc.benefitProofSha256)
      throw new Refusal('INVALID_INPUT', 'No benefit kind or proof without a benefit.');
  } else {
    if (!doc.benefitKind || !doc.benefitProofId || !doc.benefitProofSha256)
      throw new Refusal('BENEFIT_PROOF_MISSING', 'A benefit needs its kind and a proof document.');
    const row = await db
      .selectFrom('benefit_proofs')
      .select(['id', 'filename', 'content_type', 'content'])
      .where('id', '=', Number(doc.benefitProofId))
      .where('iin', '=', iin)
      .where('sha256', '=', doc.benefitProofSha256)
      .executeTakeFirst();
    if (!row)
      throw new Refusal(
        'BENEFIT_PROOF_MISSING',
        'The proof document named in the application was not uploaded.',
      );
    proof = { id: row.id, filename: row.filename, contentType: row.content_type, content: row.content };
  }
  return {
    birthDate,
    organisations: rows.map((r) => ({ id: r.id, kind: r.kind as OrganisationKind })),
    proof,
  };
}

/**
 * Records the first application naming the proof, which keeps it from the purge
 * (benefit-proofs.ts). No row: the purge deleted it since it was read, so the application is refused.
 */
async function nameProof(trx: Kysely<DB>, proofId: number, applicationId: number): Promise<void> {
  const named = await trx
    .updateTable('benefit_proofs')
    .set((eb) => ({ application_id: eb.fn.coalesce('application_id', eb.val(applicationId)) }))
    .where('id', '=', proofId)
    .executeTakeFirst();
  if (Number(named.numUpdatedRows) === 0)
    throw new Refusal('BENEFIT_PROOF_MISSING', 'The proof document named in the application was not uploaded.');
}

async function childFor(db: Kysely<DB>, doc: ApplicationDocument, birthDate: Date): Promise<number> {
  await db
    .insertInto('children')
    .values({
      iin: doc.childIin,
      last_name: doc.childLastName,
      first_name: doc.childFirstName,
      middle_name: doc.childMiddleName ?? null,
      birth_date: birthDate.toISOString().slice(0, 10),
      enrolled_in: null,
    })
    .onConflict((oc) => oc.column('iin').doNothing())
    .execute();
  return (await db.selectFrom('children').select('id').where('iin', '=', doc.childIin).executeTakeFirstOrThrow()).id;
}
