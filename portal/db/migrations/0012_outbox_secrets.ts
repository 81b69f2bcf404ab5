/**
 * outbox.secret: a message whose body is a secret (an SMS login code) has its body replaced once it
 * leaves the outbox (sent, or given up), so the codes are not kept readable in the database.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('secret', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('secret').execute();
}
