/**
 * Staff sessions: kindergarten staff log in with a legal-entity key (the kindergarten's BIN). Kept
 * apart from applicant sessions, so a staff token never opens an applicant route and back.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('staff_sessions')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('iin', 'varchar(12)', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('bin', 'varchar(12)', (c) => c.notNull())
    .addColumn('kindergarten_id', 'integer', (c) => c.notNull().references('kindergartens.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('staff_sessions').execute();
}
