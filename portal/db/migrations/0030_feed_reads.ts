/**
 * The event feed's read mark (docs/cabinet.md, Event feed): accounts.feed_read_up_to is the newest
 * application_history id the person has marked read; events above it are unread.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('feed_read_up_to', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('feed_read_up_to').execute();
}
