/**
 * The application wizard (docs/applications.md):
 * - kindergartens.kind: the kind of special organisation (special kindergarten, rehabilitation
 *   centre, correction cabinet); a child may wait in queues of different kinds, not two of one.
 * - applications.kindergarten_id: the organisation the applicant chose in step 3 (null for
 *   applications registered before the wizard).
 * - contact_codes: one row per person and channel (phone, phone2, email): the live code, its
 *   limits (as auth_codes keeps them for the login) and the last target it confirmed.
 * - benefit_proofs: a proof document uploaded in step 4, kept until the application that names
 *   it (by id and SHA-256, inside the signature) copies it into its documents.
 */
import { PostgresAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

const LONG_AGO = '1970-01-01T00:00:00.000Z';

export async function up(db: AnyDb): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('kindergartens').addColumn('kind', 'text', (c) => c.notNull().defaultTo('special_kindergarten')).execute();
  await db.schema.alterTable('applications').addColumn('kindergarten_id', 'integer', (c) => c.references('kindergartens.id')).execute();
  await db.schema
    .createTable('contact_codes')
    .addColumn('iin', 'varchar(12)', (c) => c.notNull())
    .addColumn('channel', 'varchar(8)', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', 'text', (c) => c.notNull().defaultTo(LONG_AGO))
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('sent_in_window', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confirmed_target', 'text')
    .addColumn('confirmed_at', 'text')
    .addPrimaryKeyConstraint('contact_codes_pk', ['iin', 'channel'])
    .execute();
  await db.schema
    .createTable('benefit_proofs')
    .addColumn('id', pg ? 'serial' : 'integer', (c) => c.primaryKey())
    .addColumn('iin', 'varchar(12)', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('content', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('benefit_proofs_iin_idx').on('benefit_proofs').column('iin').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('benefit_proofs').execute();
  await db.schema.dropTable('contact_codes').execute();
  await db.schema.alterTable('applications').dropColumn('kindergarten_id').execute();
  await db.schema.alterTable('kindergartens').dropColumn('kind').execute();
}
