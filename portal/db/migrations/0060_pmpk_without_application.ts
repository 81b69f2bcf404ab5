/**
 * PMPK bookings before there is an application (docs/pmpk.md, Bookings): application_id becomes
 * optional, and a booking without one keeps the child's name as the applicant gave it (child_name),
 * so the schedule never shows a name the portal holds for a child someone else registered. Every
 * booking still names its child (child_id), so the partial unique index (one active booking a
 * child) covers both kinds. A CHECK holds the pairing: an application or a given name, never both.
 *
 * SQLite cannot drop NOT NULL or add a CHECK to a table: it is rebuilt, its rows copied.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter;
const PAIRING = 'pmpk_bookings_application_or_child_name';
const COLUMNS = ['id', 'slot_id', 'application_id', 'child_id', 'applicant_id', 'state', 'created_at', 'cancelled_at'];

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table pmpk_bookings alter column application_id drop not null`.execute(db);
    await db.schema.alterTable('pmpk_bookings').addColumn('child_name', 'text').execute();
    await sql`alter table pmpk_bookings add constraint ${sql.ref(PAIRING)} check ((application_id is null) = (child_name is not null))`.execute(db);
    return;
  }
  await rebuildSqlite(db, 'optional');
}

export async function down(db: AnyDb): Promise<void> {
  // Bookings made without an application cannot exist before this migration.
  await db.deleteFrom('pmpk_bookings').where('application_id', 'is', null).execute();
  if (isPostgres(db)) {
    await sql`alter table pmpk_bookings drop constraint ${sql.ref(PAIRING)}`.execute(db);
    await db.schema.alterTable('pmpk_bookings').dropColumn('child_name').execute();
    await sql`alter table pmpk_bookings alter column application_id set not null`.execute(db);
    return;
  }
  await rebuildSqlite(db, 'required');
}

/** Recreates SQLite's pmpk_bookings with the application optional (and child_name) or required. */
async function rebuildSqlite(db: AnyDb, application: 'optional' | 'required'): Promise<void> {
  let t = db.schema
    .createTable('pmpk_bookings_next')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('slot_id', 'integer', (c) => c.notNull().references('pmpk_slots.id'));
  t =
    application === 'optional'
      ? t.addColumn('application_id', 'integer', (c) => c.references('applications.id'))
      : t.addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'));
  t = t
    .addColumn('child_id', 'integer', (c) => c.notNull().references('children.id'))
    .addColumn('applicant_id', 'integer', (c) => c.notNull().references('applicants.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text');
  if (application === 'optional') {
    t = t.addColumn('child_name', 'text').addCheckConstraint(PAIRING, sql`(application_id is null) = (child_name is not null)`);
  }
  await t.execute();
  const columns = sql.join(COLUMNS.map((c) => sql.ref(c)));
  await sql`insert into pmpk_bookings_next (${columns}) select ${columns} from pmpk_bookings`.execute(db);
  await db.schema.dropTable('pmpk_bookings').execute();
  await sql`alter table pmpk_bookings_next rename to pmpk_bookings`.execute(db);
  await createIndexes(db);
}

async function createIndexes(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('pmpk_bookings_one_active_per_child')
    .on('pmpk_bookings')
    .column('child_id')
    .unique()
    .where(sql.ref('state'), '=', 'booked')
    .execute();
  await db.schema.createIndex('pmpk_bookings_applicant_idx').on('pmpk_bookings').column('applicant_id').execute();
  await db.schema.createIndex('pmpk_bookings_slot_idx').on('pmpk_bookings').column('slot_id').execute();
}
