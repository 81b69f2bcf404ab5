/**
 * A benefit's proof document (docs/applications.md, Step 4): JPEG, PNG or PDF judged by its first
 * bytes, never by its name or a declared type (an .exe renamed .jpg starts "MZ" and is refused),
 * at most PROOF_MAX_BYTES. Kept per applicant until the signed application that names it (id and
 * SHA-256) copies it into the application's documents and records itself in application_id; one
 * that no application named within UNNAMED_PROOF_KEEP_MS is purged (docs/applications.md,
 * "Unused proofs").
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';
import { scheduleJob, type JobHandler } from '../scheduler/jobs.ts';
import { PROOF_MAX_BYTES, type ProofUploadResponse } from '../../protocol/application-api.ts';

type ProofType = ProofUploadResponse['contentType'];

const SIGNATURES: Array<[ProofType, number[]]> = [
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
];

/** The file's type by its content, or null when it is none of the accepted ones. */
export function sniffProofType(content: Uint8Array): ProofType | null {
  for (const [type, magic] of SIGNATURES) {
    if (content.length >= magic.length && magic.every((b, i) => content[i] === b)) return type;
  }
  return null;
}

/** Checks and stores an uploaded proof for `iin`. */
export async function storeBenefitProof(
  db: Kysely<DB>,
  iin: string,
  filename: string,
  contentBase64: string,
  now: Date,
): Promise<ProofUploadResponse> {
  const content = Buffer.from(contentBase64, 'base64');
  if (content.length > PROOF_MAX_BYTES)
    throw new Refusal(
      'UPLOAD_TOO_LARGE',
      `A proof document may be at most ${PROOF_MAX_BYTES / 1024 / 1024} MiB.`,
    );
  const contentType = sniffProofType(content);
  if (!contentType) throw new Refusal('UPLOAD_TYPE_REFUSED', 'The file is not a JPEG, PNG or PDF document.');
  const sha256 = createHash('sha256').update(content).digest('hex');
  const row = await db
    .insertInto('benefit_proofs')
    .values({ iin, filename, content_type: contentType, sha256, content, created_at: now.toISOString(), application_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: String(row.id), sha256, contentType, size: content.length };
}

/** An upload no application named is kept this long (docs/applications.md, "Unused proofs"). */
export const UNNAMED_PROOF_KEEP_MS = 24 * 3_600_000;

/** The purge's scheduler job kind; ref_id is the hour (since the epoch) it is due in. */
export const JOB_PROOF_PURGE = 'benefit_proof_purge';

const HOUR_MS = 3_600_000;

/**
 * Schedules this hour's purge. Every portal process calls it; the job's (kind, ref_id) is unique,
 * so one job an hour exists and the scheduler runs it once, whichever process claims it.
 */
export async function scheduleProofPurge(db: Kysely<DB>, now: Date): Promise<void> {
  const hour = Math.floor(now.getTime() / HOUR_MS);
  await scheduleJob(db, { kind: JOB_PROOF_PURGE, refId: hour, runAt: now }, now);
}

/**
 * Deletes the proofs uploaded more than UNNAMED_PROOF_KEEP_MS before `now` that no application
 * names; returns how many. A submission naming a proof updates its row in the same transaction, so
 * on PostgreSQL the delete either waits for it and then skips the row, or deletes first and the
 * submission is refused (BENEFIT_PROOF_MISSING).
 */
export async function purgeUnnamedProofs(db: Kysely<DB>, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - UNNAMED_PROOF_KEEP_MS).toISOString();
  const result = await db
    .deleteFrom('benefit_proofs')
    .where('application_id', 'is', null)
    .where('created_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The job: the purge and, when it deleted anything, one audit entry with the count. */
export const onProofPurge: JobHandler = async (trx, _job, now) => {
  const deleted = await purgeUnnamedProofs(trx, now);
  if (deleted === 0) return;
  await appendAudit(trx, {
    at: now,
    actorIin: null,
    action: 'benefit_proofs.purge',
    details: { deleted, uploadedBefore: new Date(now.getTime() - UNNAMED_PROOF_KEEP_MS).toISOString() },
  });
};
