/**
 * Core domain tables (kindergartens, applicants, children, applications, PMPK, vacancies, offers,
 * referrals, history, stop list, working-day calendar, durable scheduler jobs, documents).
 *
 * Portable conventions (the same Kysely code on SQLite and PostgreSQL):
 * - ids: integer surrogate keys (`integer primary key` on SQLite, `serial` on PostgreSQL);
 * - instants: ISO-8601 UTC text from Date#toISOString() ("2026-05-27T05:00:00.000Z"), so they
 *   compare and sort as text identically on both databases;
 * - calendar dates (birth date, holiday, PMPK expiry): "YYYY-MM-DD" text;
 * - booleans: integer 0/1 (better-sqlite3 cannot bind booleans);
 * - binary content: blob (SQLite) / bytea (PostgreSQL).
 */
import { PostgresAdapter, type Kysely, type CreateTableBuilder } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function withId<T extends string>(db: AnyDb, table: T): CreateTableBuilder<T, 'id'> {
  return db.schema
    .createTable(table)
    .addColumn('id', isPostgres(db) ? 'serial' : 'integer', (c) => c.primaryKey());
}

export async function up(db: AnyDb): Promise<void> {
  const pg = isPostgres(db);

  await withId(db, 'kindergartens')
    .addColumn('name_kk', 'text', (c) => c.notNull())
    .addColumn('name_ru', 'text', (c) => c.notNull())
    .addColumn('bin', 'text', (c) => c.notNull().unique())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('website', 'text')
    .addColumn('language', 'text', (c) => c.notNull()) // 'kk' | 'ru'
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('kindergarten_categories')
    .addColumn('kindergarten_id', 'integer', (c) =>
      c.notNull().references('kindergartens.id').onDelete('cascade'),
    )
    .addColumn('category', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kindergarten_categories_pk', ['kindergarten_id', 'category'])
    .execute();

  await withId(db, 'applicants')
    .addColumn('iin', 'text', (c) => c.notNull().unique())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('middle_name', 'text')
    .addColumn('birth_date', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('address', 'text')
    .addColumn('actual_address', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, 'children')
    .addColumn('iin', 'text', (c) => c.notNull().unique())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('middle_name', 'text')
    .addColumn('birth_date', 'text', (c) => c.notNull())
    // Preschool the child attends now (null = none); blocks any new referral.
    .addColumn('enrolled_in', 'integer', (c) => c.references('kindergartens.id'))
    .execute();

  await withId(db, 'applications')
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('applicant_id', 'integer', (c) => c.notNull().references('applicants.id'))
    .addColumn('child_id', 'integer', (c) => c.notNull().references('children.id'))
    .addColumn('guardian_name', 'text')
    .addColumn('queue_type', 'text', (c) => c.notNull().defaultTo('correctional'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('benefit_type', 'text', (c) => c.notNull()) // 'none' | 'out_of_turn' | 'priority'
    .addColumn('benefit_kind', 'text') // e.g. 'large_family'; null when benefit_type = 'none'
    .addColumn('group_year', 'integer', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_changed_at', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('zup_number', 'text')
    .addColumn('tson_number', 'text')
    .addColumn('extra_email', 'text')
    .addColumn('extra_phone', 'text')
    .execute();
  await db.schema
    .createIndex('applications_queue_idx')
    .on('applications')
    .columns(['group_year', 'category', 'status', 'registered_at', 'id'])
    .execute();
  await db.schema
    .createIndex('applications_applicant_idx')
    .on('applications')
    .column('applicant_id')
    .execute();
  await db.schema.createIndex('applications_child_idx').on('applications').column('child_id').execute();

  await withId(db, 'pmpk_conclusions')
    .addColumn('child_id', 'integer', (c) => c.notNull().references('children.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text', (c) => c.notNull()) // last valid day, YYYY-MM-DD (Almaty)
    .execute();
  await db.schema
    .createIndex('pmpk_child_idx')
    .on('pmpk_conclusions')
    .columns(['child_id', 'category'])
    .execute();

  await withId(db, 'vacancies')
    .addColumn('kindergarten_id', 'integer', (c) => c.notNull().references('kindergartens.id'))
    .addColumn('group_year', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('place_type', 'text', (c) => c.notNull().defaultTo('general'))
    .addColumn('published_at', 'text', (c) => c.notNull())
    // 'open' (no eligible child yet) | 'offered' | 'free_choice' | 'taken' | 'withdrawn'
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('taken_by_application_id', 'integer', (c) => c.references('applications.id'))
    .execute();
  await db.schema
    .createIndex('vacancies_state_idx')
    .on('vacancies')
    .columns(['state', 'group_year'])
    .execute();

  await withId(db, 'offers')
    .addColumn('vacancy_id', 'integer', (c) => c.notNull().references('vacancies.id'))
    .addColumn('application_id', 'integer', (c) => c.references('applications.id')) // null for free choice
    .addColumn('kind', 'text', (c) => c.notNull()) // 'personal' | 'free_choice'
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text') // null for free choice (open until taken)
    .addColumn('state', 'text', (c) => c.notNull()) // 'active' | 'accepted' | 'lapsed' | 'cancelled'
    .execute();
  await db.schema
    .createIndex('offers_application_idx')
    .on('offers')
    .columns(['application_id', 'state'])
    .execute();
  await db.schema.createIndex('offers_vacancy_idx').on('offers').columns(['vacancy_id', 'state']).execute();

  await withId(db, 'referrals')
    .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
    .addColumn('kindergarten_id', 'integer', (c) => c.notNull().references('kindergartens.id'))
    .addColumn('vacancy_id', 'integer', (c) => c.notNull().references('vacancies.id'))
    .addColumn('offer_id', 'integer', (c) => c.notNull().references('offers.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('confirm_by', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // 'issued' | 'confirmed' | 'cancelled' | 'left'
    .addColumn('state_changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('referrals_application_idx').on('referrals').column('application_id').execute();

  await withId(db, 'application_history')
    .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('status', 'text') // application status after the event, when it changed
    .addColumn('actor', 'text', (c) => c.notNull()) // 'applicant:<IIN>' | 'kindergarten:<BIN>' | 'system'
    .addColumn('details', 'text') // JSON
    .execute();
  await db.schema
    .createIndex('history_application_idx')
    .on('application_history')
    .columns(['application_id', 'id'])
    .execute();

  await withId(db, 'stop_list')
    .addColumn('child_id', 'integer', (c) => c.notNull().references('children.id'))
    .addColumn('application_id', 'integer', (c) => c.references('applications.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stop_list_child_idx').on('stop_list').columns(['child_id', 'until']).execute();

  // The working-day calendar is data: an administrator edits these rows when a decree moves days.
  await db.schema
    .createTable('calendar_days')
    .addColumn('date', 'text', (c) => c.primaryKey()) // YYYY-MM-DD
    .addColumn('day_off', 'integer', (c) => c.notNull()) // 1 = not a working day, 0 = working (e.g. a working Saturday)
    .addColumn('kind', 'text', (c) => c.notNull()) // 'holiday' | 'holiday_no_transfer' | 'transfer' | 'working_weekend'
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await withId(db, 'scheduler_jobs')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // 'pending' | 'done' | 'failed'
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text')
    .addUniqueConstraint('scheduler_jobs_kind_ref_uq', ['kind', 'ref_id'])
    .execute();
  await db.schema
    .createIndex('scheduler_jobs_due_idx')
    .on('scheduler_jobs')
    .columns(['state', 'run_at'])
    .execute();

  await withId(db, 'documents')
    .addColumn('application_id', 'integer', (c) => c.notNull().references('applications.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // 'referral_pdf' | 'referral_xml' | ...
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('content', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('documents_application_idx').on('documents').column('application_id').execute();

  await db
    .insertInto('calendar_days')
    .values(CALENDAR_2024_2030.map(([date, kind, name]) => ({ date, day_off: 1, kind, name })))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'documents',
    'scheduler_jobs',
    'calendar_days',
    'stop_list',
    'application_history',
    'referrals',
    'offers',
    'vacancies',
    'pmpk_conclusions',
    'applications',
    'children',
    'applicants',
    'kindergarten_categories',
    'kindergartens',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

/**
 * The days off of 2024–2030 as this migration first wrote them (fixed-date holidays, their
 * weekend transfers, Orthodox Christmas, Kurban Ait 2024–2026), copied here so that the migration
 * never changes with the calendar code.
 */
const CALENDAR_2024_2030: ReadonlyArray<readonly [date: string, kind: string, name: string]> = [
  ['2024-01-01', 'holiday', 'Жаңа жыл / Новый год'],
  ['2024-01-02', 'holiday', 'Жаңа жыл / Новый год'],
  ['2024-01-07', 'holiday_no_transfer', 'Православное Рождество'],
  ['2024-03-08', 'holiday', 'Халықаралық әйелдер күні / Международный женский день'],
  ['2024-03-21', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2024-03-22', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2024-03-23', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2024-03-25', 'transfer', 'Перенос: Наурыз мейрамы / Наурыз мейрамы (2024-03-23)'],
  ['2024-05-01', 'holiday', 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана'],
  ['2024-05-07', 'holiday', 'Отан қорғаушы күні / День защитника Отечества'],
  ['2024-05-09', 'holiday', 'Жеңіс күні / День Победы'],
  ['2024-06-16', 'holiday_no_transfer', 'Құрбан айт / Курбан айт'],
  ['2024-07-06', 'holiday', 'Астана күні / День столицы'],
  ['2024-07-08', 'transfer', 'Перенос: Астана күні / День столицы (2024-07-06)'],
  ['2024-08-30', 'holiday', 'Конституция күні / День Конституции'],
  ['2024-10-25', 'holiday', 'Республика күні / День Республики'],
  ['2024-12-16', 'holiday', 'Тәуелсіздік күні / День Независимости'],
  ['2025-01-01', 'holiday', 'Жаңа жыл / Новый год'],
  ['2025-01-02', 'holiday', 'Жаңа жыл / Новый год'],
  ['2025-01-07', 'holiday_no_transfer', 'Православное Рождество'],
  ['2025-03-08', 'holiday', 'Халықаралық әйелдер күні / Международный женский день'],
  ['2025-03-10', 'transfer', 'Перенос: Халықаралық әйелдер күні / Международный женский день (2025-03-08)'],
  ['2025-03-21', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2025-03-22', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2025-03-23', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2025-03-24', 'transfer', 'Перенос: Наурыз мейрамы / Наурыз мейрамы (2025-03-22)'],
  ['2025-03-25', 'transfer', 'Перенос: Наурыз мейрамы / Наурыз мейрамы (2025-03-23)'],
  ['2025-05-01', 'holiday', 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана'],
  ['2025-05-07', 'holiday', 'Отан қорғаушы күні / День защитника Отечества'],
  ['2025-05-09', 'holiday', 'Жеңіс күні / День Победы'],
  ['2025-06-06', 'holiday_no_transfer', 'Құрбан айт / Курбан айт'],
  ['2025-07-06', 'holiday', 'Астана күні / День столицы'],
  ['2025-07-07', 'transfer', 'Перенос: Астана күні / День столицы (2025-07-06)'],
  ['2025-08-30', 'holiday', 'Конституция күні / День Конституции'],
  ['2025-09-01', 'transfer', 'Перенос: Конституция күні / День Конституции (2025-08-30)'],
  ['2025-10-25', 'holiday', 'Республика күні / День Республики'],
  ['2025-10-27', 'transfer', 'Перенос: Республика күні / День Республики (2025-10-25)'],
  ['2025-12-16', 'holiday', 'Тәуелсіздік күні / День Независимости'],
  ['2026-01-01', 'holiday', 'Жаңа жыл / Новый год'],
  ['2026-01-02', 'holiday', 'Жаңа жыл / Новый год'],
  ['2026-01-07', 'holiday_no_transfer', 'Православное Рождество'],
  ['2026-03-08', 'holiday', 'Халықаралық әйелдер күні / Международный женский день'],
  ['2026-03-09', 'transfer', 'Перенос: Халықаралық әйелдер күні / Международный женский день (2026-03-08)'],
  ['2026-03-21', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2026-03-22', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2026-03-23', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2026-03-24', 'transfer', 'Перенос: Наурыз мейрамы / Наурыз мейрамы (2026-03-21)'],
  ['2026-03-25', 'transfer', 'Перенос: Наурыз мейрамы / Наурыз мейрамы (2026-03-22)'],
  ['2026-05-01', 'holiday', 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана'],
  ['2026-05-07', 'holiday', 'Отан қорғаушы күні / День защитника Отечества'],
  ['2026-05-09', 'holiday', 'Жеңіс күні / День Победы'],
  ['2026-05-11', 'transfer', 'Перенос: Жеңіс күні / День Победы (2026-05-09)'],
  ['2026-05-27', 'holiday_no_transfer', 'Құрбан айт / Курбан айт'],
  ['2026-07-06', 'holiday', 'Астана күні / День столицы'],
  ['2026-08-30', 'holiday', 'Конституция күні / День Конституции'],
  ['2026-08-31', 'transfer', 'Перенос: Конституция күні / День Конституции (2026-08-30)'],
  ['2026-10-25', 'holiday', 'Республика күні / День Республики'],
  ['2026-10-26', 'transfer', 'Перенос: Республика күні / День Республики (2026-10-25)'],
  ['2026-12-16', 'holiday', 'Тәуелсіздік күні / День Независимости'],
  ['2027-01-01', 'holiday', 'Жаңа жыл / Новый год'],
  ['2027-01-02', 'holiday', 'Жаңа жыл / Новый год'],
  ['2027-01-04', 'transfer', 'Перенос: Жаңа жыл / Новый год (2027-01-02)'],
  ['2027-01-07', 'holiday_no_transfer', 'Православное Рождество'],
  ['2027-03-08', 'holiday', 'Халықаралық әйелдер күні / Международный женский день'],
  ['2027-03-21', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2027-03-22', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2027-03-23', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2027-03-24', 'transfer', 'Перенос: Наурыз мейрамы / Наурыз мейрамы (2027-03-21)'],
  ['2027-05-01', 'holiday', 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана'],
  [
    '2027-05-03',
    'transfer',
    'Перенос: Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана (2027-05-01)',
  ],
  ['2027-05-07', 'holiday', 'Отан қорғаушы күні / День защитника Отечества'],
  ['2027-05-09', 'holiday', 'Жеңіс күні / День Победы'],
  ['2027-05-10', 'transfer', 'Перенос: Жеңіс күні / День Победы (2027-05-09)'],
  ['2027-07-06', 'holiday', 'Астана күні / День столицы'],
  ['2027-08-30', 'holiday', 'Конституция күні / День Конституции'],
  ['2027-10-25', 'holiday', 'Республика күні / День Республики'],
  ['2027-12-16', 'holiday', 'Тәуелсіздік күні / День Независимости'],
  ['2028-01-01', 'holiday', 'Жаңа жыл / Новый год'],
  ['2028-01-02', 'holiday', 'Жаңа жыл / Новый год'],
  ['2028-01-03', 'transfer', 'Перенос: Жаңа жыл / Новый год (2028-01-01)'],
  ['2028-01-04', 'transfer', 'Перенос: Жаңа жыл / Новый год (2028-01-02)'],
  ['2028-01-07', 'holiday_no_transfer', 'Православное Рождество'],
  ['2028-03-08', 'holiday', 'Халықаралық әйелдер күні / Международный женский день'],
  ['2028-03-21', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2028-03-22', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2028-03-23', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2028-05-01', 'holiday', 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана'],
  ['2028-05-07', 'holiday', 'Отан қорғаушы күні / День защитника Отечества'],
  ['2028-05-08', 'transfer', 'Перенос: Отан қорғаушы күні / День защитника Отечества (2028-05-07)'],
  ['2028-05-09', 'holiday', 'Жеңіс күні / День Победы'],
  ['2028-07-06', 'holiday', 'Астана күні / День столицы'],
  ['2028-08-30', 'holiday', 'Конституция күні / День Конституции'],
  ['2028-10-25', 'holiday', 'Республика күні / День Республики'],
  ['2028-12-16', 'holiday', 'Тәуелсіздік күні / День Независимости'],
  ['2028-12-18', 'transfer', 'Перенос: Тәуелсіздік күні / День Независимости (2028-12-16)'],
  ['2029-01-01', 'holiday', 'Жаңа жыл / Новый год'],
  ['2029-01-02', 'holiday', 'Жаңа жыл / Новый год'],
  ['2029-01-07', 'holiday_no_transfer', 'Православное Рождество'],
  ['2029-03-08', 'holiday', 'Халықаралық әйелдер күні / Международный женский день'],
  ['2029-03-21', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2029-03-22', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2029-03-23', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2029-05-01', 'holiday', 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана'],
  ['2029-05-07', 'holiday', 'Отан қорғаушы күні / День защитника Отечества'],
  ['2029-05-09', 'holiday', 'Жеңіс күні / День Победы'],
  ['2029-07-06', 'holiday', 'Астана күні / День столицы'],
  ['2029-08-30', 'holiday', 'Конституция күні / День Конституции'],
  ['2029-10-25', 'holiday', 'Республика күні / День Республики'],
  ['2029-12-16', 'holiday', 'Тәуелсіздік күні / День Независимости'],
  ['2029-12-17', 'transfer', 'Перенос: Тәуелсіздік күні / День Независимости (2029-12-16)'],
  ['2030-01-01', 'holiday', 'Жаңа жыл / Новый год'],
  ['2030-01-02', 'holiday', 'Жаңа жыл / Новый год'],
  ['2030-01-07', 'holiday_no_transfer', 'Православное Рождество'],
  ['2030-03-08', 'holiday', 'Халықаралық әйелдер күні / Международный женский день'],
  ['2030-03-21', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2030-03-22', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2030-03-23', 'holiday', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['2030-03-25', 'transfer', 'Перенос: Наурыз мейрамы / Наурыз мейрамы (2030-03-23)'],
  ['2030-05-01', 'holiday', 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана'],
  ['2030-05-07', 'holiday', 'Отан қорғаушы күні / День защитника Отечества'],
  ['2030-05-09', 'holiday', 'Жеңіс күні / День Победы'],
  ['2030-07-06', 'holiday', 'Астана күні / День столицы'],
  ['2030-07-08', 'transfer', 'Перенос: Астана күні / День столицы (2030-07-06)'],
  ['2030-08-30', 'holiday', 'Конституция күні / День Конституции'],
  ['2030-10-25', 'holiday', 'Республика күні / День Республики'],
  ['2030-12-16', 'holiday', 'Тәуелсіздік күні / День Независимости'],
];
