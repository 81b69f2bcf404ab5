/**
 * benefit_proofs.application_id: the first application whose signed document named the proof
 * (docs/applications.md, "Unused proofs"). Null while no application names it; the scheduled purge
 * deletes such rows a day after their upload, and never a named one.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('benefit_proofs')
    .addColumn('application_id', 'integer', (c) => c.references('applications.id'))
    .execute();
  await db.schema.createIndex('benefit_proofs_created_at_idx').on('benefit_proofs').column('created_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('benefit_proofs_created_at_idx').execute();
  await db.schema.alterTable('benefit_proofs').dropColumn('application_id').execute();
}
