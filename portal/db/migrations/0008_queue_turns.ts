/**
 * The queue's fairness over time (docs/domain.md, "Queue order"):
 * - `applications.queue_benefit`: the benefit the queue counts, 'none' until the benefit is
 *   confirmed (a generated column, so no writer can forget it); the queue indexes are rebuilt on
 *   it, and one index (status before benefit) now serves the allocator's cursors and the counts.
 * - `queue_turns`: per queue (group year, category), how many places its general/priority
 *   interleave has given out, so "one priority place in four" holds over the places actually
 *   given out, across processes and restarts. Existing queues start at 0.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const counted = sql`case when benefit_confirmed_at is null then 'none' else benefit_type end`;
  // PostgreSQL stores generated columns; SQLite can add only virtual ones (indexable all the same).
  await db.schema
    .alterTable('applications')
    .addColumn('queue_benefit', 'text', (c) => {
      const generated = c.generatedAlwaysAs(counted);
      return pg ? generated.stored() : generated;
    })
    .execute();
  await db.schema.dropIndex('applications_queue_order_idx').execute();
  await db.schema.dropIndex('applications_queue_count_idx').execute();
  await db.schema
    .createIndex('applications_queue_turn_idx')
    .on('applications')
    .columns(['group_year', 'category', 'status', 'queue_benefit', 'registered_at', 'id'])
    .execute();

  await db.schema
    .createTable('queue_turns')
    .addColumn('group_year', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('places_given', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('queue_turns_pk', ['group_year', 'category'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('queue_turns').execute();
  await db.schema.dropIndex('applications_queue_turn_idx').execute();
  await db.schema.alterTable('applications').dropColumn('queue_benefit').execute();
  await db.schema
    .createIndex('applications_queue_order_idx')
    .on('applications')
    .columns(['group_year', 'category', 'benefit_type', 'registered_at', 'id'])
    .execute();
  await db.schema
    .createIndex('applications_queue_count_idx')
    .on('applications')
    .columns(['group_year', 'category', 'status', 'benefit_type', 'registered_at', 'id'])
    .execute();
}
