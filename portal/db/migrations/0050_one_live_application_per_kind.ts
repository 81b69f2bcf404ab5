/**
 * One live application per child and queue kind (docs/applications.md, step 3): a partial unique
 * index over the applications that hold their queue (in_queue, notification_sent,
 * referral_issued), so two signed applications sent at once cannot both register the same kind
 * for one child after both passed the read-only check. 'correctional' is the queue of
 * applications registered before the wizard, queued by category, where a child may wait in
 * several; the index leaves it out. Both PostgreSQL and SQLite take partial indexes.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export const ONE_LIVE_APPLICATION_PER_KIND = 'applications_one_live_per_kind';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex(ONE_LIVE_APPLICATION_PER_KIND)
    .on('applications')
    .columns(['child_id', 'queue_type'])
    .unique()
    .where(sql<boolean>`status in ('in_queue', 'notification_sent', 'referral_issued') and queue_type <> 'correctional'`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex(ONE_LIVE_APPLICATION_PER_KIND).execute();
}
