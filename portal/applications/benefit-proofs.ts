/**
 * A benefit's proof document (docs/applications.md, Step 4): JPEG, PNG or PDF judged by its first
 * bytes, never by its name or a declared type (an .exe renamed .jpg starts "MZ" and is refused),
 * at most PROOF_MAX_BYTES. Kept per applicant until the signed application that names it (id and
 * SHA-256) copies it into the application's documents.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';
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
    .values({ iin, filename, content_type: contentType, sha256, content, created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: String(row.id), sha256, contentType, size: content.length };
}
