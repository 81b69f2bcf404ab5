/**
 * Limits per person on the IIN + password way in (docs/security-rules.md), kept in the database
 * so a restart forgets none of them:
 * - auth_codes (one row per IIN) also records when the last SMS code was sent, when the person's
 *   24-hour window began and how many codes were sent in it; `attempts` now counts the wrong
 *   guesses of the window, whatever code they were for (a new code no longer resets it). An empty
 *   code_hash means no live code.
 * - password_attempts: consecutive password failures per IIN and the earliest next try (the
 *   per-account back-off beside the per-address rate limit).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

const LONG_AGO = '1970-01-01T00:00:00.000Z';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('auth_codes').addColumn('sent_at', 'text', (c) => c.notNull().defaultTo(LONG_AGO)).execute();
  await db.schema.alterTable('auth_codes').addColumn('window_started_at', 'text', (c) => c.notNull().defaultTo(LONG_AGO)).execute();
  await db.schema.alterTable('auth_codes').addColumn('sent_in_window', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('password_attempts')
    .addColumn('iin', 'varchar(12)', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('next_try_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('password_attempts').execute();
  for (const column of ['sent_in_window', 'window_started_at', 'sent_at']) {
    await db.schema.alterTable('auth_codes').dropColumn(column).execute();
  }
}
