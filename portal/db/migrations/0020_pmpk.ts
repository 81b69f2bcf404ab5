/**
 * PMPK (psychological-medical-pedagogical commissions): the commissions with their schedules,
 * examination slots, bookings, and the commission that recorded a conclusion. Staff sessions may
 * now act for a commission instead of a kindergarten (exactly one of the two).
 *
 * Overbooking is impossible in the database itself (docs/pmpk.md): a slot counts its bookings in
 * `booked`, raised only by a conditional UPDATE (`booked < capacity`) and held by a CHECK
 * constraint; a child holds at most one active booking (a partial unique index).
 *
 * staff_sessions is rebuilt (SQLite cannot drop NOT NULL): open staff sessions end, staff log in again.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

const idType = (db: AnyDb) => (db.getExecutor().adapter instanceof PostgresAdapter ? 'serial' : 'integer');

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('pmpk_commissions')
    .addColumn('id', idType(db), (c) => c.primaryKey())
    .addColumn('bin', 'varchar(12)', (c) => c.notNull().unique())
    .addColumn('name_kk', 'text', (c) => c.notNull())
    .addColumn('name_ru', 'text', (c) => c.notNull())
    .addColumn('address_kk', 'text', (c) => c.notNull())
    .addColumn('address_ru', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    // languages of examination, comma-separated: "kk,ru"
    .addColumn('languages', 'text', (c) => c.notNull())
    // the daily schedule in Almaty time: first slot, end of the day (HH:MM), slot length, children a slot
    .addColumn('day_start', 'text', (c) => c.notNull())
    .addColumn('day_end', 'text', (c) => c.notNull())
    .addColumn('slot_minutes', 'integer', (c) => c.notNull().check(sql`slot_minutes between 10 and 480`))
    .addColumn('slot_capacity', 'integer', (c) => c.notNull().check(sql`slot_capacity between 1 and 100`))
    // how many working days ahead slots are open for booking
    .addColumn('days_ahead', 'integer', (c) => c.notNull().check(sql`days_ahead between 1 and 60`))
    .execute();

  await db.schema
    .createTable('pmpk_slots')
    .addColumn('id', idType(db), (c) => c.primaryKey())
    .addColumn('commission_id', 'integer', (c) => c.notNull().references('pmpk_commissions.id'))
    .addColumn('date', 'text', (c) => c.notNull()) // Almaty date, YYYY-MM-DD
    .addColumn('starts_at', 'text', (c) => c.notNull()) // instant, ISO-8601 UTC
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('booked', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint('pmpk_slots_booked_within_capacity', sql`booked >= 0 and booked <= capacity`)
    .addUniqueConstraint('pmpk_slots_commission_start_key', ['commission_id', 'starts_at'])
    .execute();

  await db.schema
    .createTable('pmpk_bookings')
    .addColumn('id', idType(db), (c) => c.primaryKey())
    .addColumn('slot_id', 'integer', (c) => c.notNull().references('pmpk_slots.id'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
    .addColumn('child_id', 'integer', (c) => c.notNull().references('children.id'))
    .addColumn('applicant_id', 'integer', (c) => c.notNull().references('applicants.id'))
    .addColumn('state', 'text', (c) => c.notNull()) // 'booked' | 'cancelled'
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema
    .createIndex('pmpk_bookings_one_active_per_child')
    .on('pmpk_bookings')
    .column('child_id')
    .unique()
    .where(sql.ref('state'), '=', 'booked')
    .execute();
  await db.schema.createIndex('pmpk_bookings_applicant_idx').on('pmpk_bookings').column('applicant_id').execute();
  await db.schema.createIndex('pmpk_bookings_slot_idx').on('pmpk_bookings').column('slot_id').execute();

  await db.schema
    .alterTable('pmpk_conclusions')
    .addColumn('commission_id', 'integer') // null: recorded before commissions were in the portal
    .execute();

  await db.schema.dropTable('staff_sessions').execute();
  await createStaffSessions(db, 'commission');
}

async function createStaffSessions(db: AnyDb, with_: 'commission' | 'kindergarten only'): Promise<void> {
  let t = db.schema
    .createTable('staff_sessions')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('iin', 'varchar(12)', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('bin', 'varchar(12)', (c) => c.notNull());
  if (with_ === 'commission') {
    t = t
      .addColumn('kindergarten_id', 'integer', (c) => c.references('kindergartens.id'))
      .addColumn('commission_id', 'integer', (c) => c.references('pmpk_commissions.id'))
      .addCheckConstraint(
        'staff_sessions_one_organisation',
        sql`(kindergarten_id is null) <> (commission_id is null)`,
      );
  } else {
    t = t.addColumn('kindergarten_id', 'integer', (c) => c.notNull().references('kindergartens.id'));
  }
  await t
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('staff_sessions').execute();
  await createStaffSessions(db, 'kindergarten only');
  await sql`alter table pmpk_conclusions drop column commission_id`.execute(db);
  await db.schema.dropTable('pmpk_bookings').execute();
  await db.schema.dropTable('pmpk_slots').execute();
  await db.schema.dropTable('pmpk_commissions').execute();
}
