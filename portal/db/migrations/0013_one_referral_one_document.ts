/**
 * One referral, one document: signed_submissions.referral_id names the referral a finished
 * submission stored its documents for, and a unique index lets only one submission do so. Another
 * signed request for an offer that already has its referral is answered with that submission's
 * result and stores nothing (portal/documents/referral-submission.ts).
 *
 * Submissions finished before this migration are linked from their stored result, the earliest
 * per referral (later ones were the duplicates this prevents from now on).
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('signed_submissions').addColumn('referral_id', 'integer').execute();
  const finished = await db
    .selectFrom('signed_submissions')
    .select(['id', 'result'])
    .where('result', '!=', '')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const linked = new Set<number>();
  for (const row of finished as Array<{ id: string; result: string }>) {
    let referralId: number;
    try {
      referralId = Number((JSON.parse(row.result) as { referralId?: unknown }).referralId);
    } catch {
      continue;
    }
    if (!Number.isSafeInteger(referralId) || linked.has(referralId)) continue;
    linked.add(referralId);
    await db.updateTable('signed_submissions').set({ referral_id: referralId }).where('id', '=', row.id).execute();
  }
  await db.schema.createIndex('signed_submissions_referral_idx').on('signed_submissions').column('referral_id').unique().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('signed_submissions_referral_idx').execute();
  await sql`alter table signed_submissions drop column referral_id`.execute(db);
}
