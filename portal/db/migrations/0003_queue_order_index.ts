/**
 * Index for reading a queue lazily in order, one benefit type at a time
 * (portal/queue/queue-stream.ts): a range scan instead of sorting the whole queue.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('applications_queue_order_idx')
    .on('applications')
    .columns(['group_year', 'category', 'benefit_type', 'registered_at', 'id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('applications_queue_order_idx').execute();
}
