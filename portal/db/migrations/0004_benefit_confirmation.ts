/**
 * A benefit must be confirmed within a few working days, else the application returns to the
 * general queue with its original date (docs/domain.md, Queue rules). `benefit_confirmed_at` is null while a
 * benefit awaits confirmation; benefits already in the database count as confirmed.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('applications').addColumn('benefit_confirmed_at', 'text').execute();
  await db
    .updateTable('applications')
    .set((eb) => ({ benefit_confirmed_at: eb.ref('registered_at') }))
    .where('benefit_type', '!=', 'none')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('applications').dropColumn('benefit_confirmed_at').execute();
}
