/**
 * Covering index for the journal's queue numbers (portal/repositories/queue-numbers.ts): counting
 * one queue's applications of a benefit type, and those ahead of an application, reads index
 * entries only (status before benefit_type, so `status in (queued statuses)` is a few seeks),
 * instead of looking up every application of the queue in the table.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('applications_queue_count_idx')
    .on('applications')
    .columns(['group_year', 'category', 'status', 'benefit_type', 'registered_at', 'id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('applications_queue_count_idx').execute();
}
