import { Migrator, sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../portal/db/database.ts';
import { migrations } from '../../../portal/db/migrations/index.ts';
import type { DB } from '../../../portal/db/schema.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication } from '../queue/fixtures.ts';
import { addCommission } from '../pmpk/fixtures.ts';

describe('core domain migration', () => {
  withTestDatabases((kind, freshDb) => {
    it('creates the domain tables and seeds the holiday calendar', async () => {
      const { db } = await freshDb();
      const days = await db
        .selectFrom('calendar_days')
        .select(['date', 'kind'])
        .where('date', '>=', '2026-03-01')
        .where('date', '<', '2026-04-01')
        .orderBy('date')
        .execute();
      expect(days).toEqual([
        { date: '2026-03-08', kind: 'holiday' },
        { date: '2026-03-09', kind: 'transfer' },
        { date: '2026-03-21', kind: 'holiday' },
        { date: '2026-03-22', kind: 'holiday' },
        { date: '2026-03-23', kind: 'holiday' },
        { date: '2026-03-24', kind: 'transfer' },
        { date: '2026-03-25', kind: 'transfer' },
      ]);
    });

    it(`uses integer ids, exact coordinates and unique BINs on ${kind}`, async () => {
      const { db } = await freshDb();
      const kg = await db
        .insertInto('kindergartens')
        .values({
          name_kk: 'a',
          name_ru: 'b',
          bin: '000000000000',
          district: 'd',
          address: 'x',
          phone: 'p',
          website: null,
          language: 'kk',
          lat: 43.238949,
          lon: 76.889709,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(typeof kg.id).toBe('number');
      const row = await db
        .selectFrom('kindergartens')
        .select(['lat', 'lon'])
        .where('id', '=', kg.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ lat: 43.238949, lon: 76.889709 });
      await expect(
        db
          .insertInto('kindergartens')
          .values({
            name_kk: 'a',
            name_ru: 'b',
            bin: '000000000000',
            district: 'd',
            address: 'x',
            phone: 'p',
            website: null,
            language: 'kk',
            lat: 0,
            lon: 0,
          })
          .execute(),
      ).rejects.toThrow();
    });

    it(`0007 adds the staff vacancy-list indexes on ${kind} and takes them away again`, async () => {
      const { db } = await freshDb();
      const vacancyIndexes = async (d: Kysely<DB>) => {
        const rows =
          kind === 'postgres'
            ? await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'vacancies'`.execute(d)
            : await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'vacancies'`.execute(d);
        return rows.rows.map((r) => r.name).filter((n) => n.startsWith('vacancies_kindergarten')).sort();
      };
      expect(await vacancyIndexes(db)).toEqual(['vacancies_kindergarten_idx', 'vacancies_kindergarten_state_idx']);
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const down = await migrator.migrateTo('0006_queue_numbers_index');
      expect(down.error).toBeUndefined();
      expect(down.results).toContainEqual({ migrationName: '0007_staff_vacancies_index', direction: 'Down', status: 'Success' });
      expect(await vacancyIndexes(db)).toEqual([]);
      await migrateToLatest(db);
      expect(await vacancyIndexes(db)).toEqual(['vacancies_kindergarten_idx', 'vacancies_kindergarten_state_idx']);
    });

    it(`the hardening migrations (0008 on) go down and up again on ${kind}`, async () => {
      const { db } = await freshDb();
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const down = await migrator.migrateTo('0007_staff_vacancies_index');
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => r.migrationName)).toEqual(expect.arrayContaining(['0011_auth_limits', '0012_outbox_secrets']));
      const up = await migrator.migrateToLatest();
      expect(up.error).toBeUndefined();
      await db.insertInto('password_attempts').values({ iin: '900702304562', failures: 1, next_try_at: '2026-01-01T00:00:00.000Z' }).execute();
      await db.insertInto('auth_codes').values({ iin: '900702304562', code_hash: '', expires_at: '2026-01-01T00:00:00.000Z' }).execute();
      expect(await db.selectFrom('auth_codes').select(['sent_in_window', 'sent_at']).executeTakeFirst()).toEqual({ sent_in_window: 0, sent_at: '1970-01-01T00:00:00.000Z' });
    });

    it(`0060 makes a booking's application optional, keeping every booking, and goes down again on ${kind}`, async () => {
      const { db } = await freshDb();
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo('0030_feed_reads')).error).toBeUndefined();
      const old = db as unknown as Kysely<Omit<DB, 'pmpk_bookings'> & { pmpk_bookings: Omit<DB['pmpk_bookings'], 'child_name'> }>;
      const family = await addApplication(db, { registeredAt: '2025-01-01T00:00:00.000Z' });
      const commission = await addCommission(db);
      const slot = await db.insertInto('pmpk_slots').values({ commission_id: commission.id, date: '2026-02-03', starts_at: '2026-02-03T04:00:00.000Z', capacity: 2, booked: 1 }).returning('id').executeTakeFirstOrThrow();
      const booking = { slot_id: slot.id, application_id: family.applicationId, child_id: family.childId, applicant_id: family.applicantId, state: 'booked' as const, created_at: '2026-02-02T03:00:00.000Z', cancelled_at: null };
      await old.insertInto('pmpk_bookings').values(booking).execute();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await db.selectFrom('pmpk_bookings').selectAll().execute()).toEqual([{ id: expect.any(Number), ...booking, child_name: null }]);
      // The rebuilt table keeps the one-active-booking index.
      await expect(db.insertInto('pmpk_bookings').values({ ...booking, application_id: null, child_name: 'A B' }).execute()).rejects.toThrow();
      await db.insertInto('pmpk_bookings').values({ ...booking, application_id: null, child_name: 'A B', state: 'cancelled' }).execute();
      expect((await migrator.migrateTo('0030_feed_reads')).error).toBeUndefined();
      expect(await old.selectFrom('pmpk_bookings').select(['application_id', 'state']).execute()).toEqual([{ application_id: family.applicationId, state: 'booked' }]);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
    });

    it(`0010 links each referral to the earliest submission that stored its documents on ${kind}`, async () => {
      const { db } = await freshDb();
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo('0012_outbox_secrets')).error).toBeUndefined();
      const submission = (id: string, createdAt: string, result: string) => ({
        id, kind: 'referral_request', iin: '900702304562', application_id: '1', content_sha256: id, signed_xml: '<x/>', report: '{}', result, created_at: createdAt,
      });
      // Before 0010 every newly signed request stored another set: the earliest is the referral's.
      await (db as Kysely<Omit<DB, 'signed_submissions'> & { signed_submissions: Omit<DB['signed_submissions'], 'referral_id'> }>)
        .insertInto('signed_submissions')
        .values([
          submission('later', '2026-01-02T00:00:00.000Z', '{"referralId":"7"}'),
          submission('first', '2026-01-01T00:00:00.000Z', '{"referralId":"7"}'),
          submission('other', '2026-01-03T00:00:00.000Z', '{"referralId":"8"}'),
          submission('pending', '2026-01-04T00:00:00.000Z', ''),
        ])
        .execute();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const linked = await db.selectFrom('signed_submissions').select(['id', 'referral_id']).orderBy('id').execute();
      expect(linked).toEqual([
        { id: 'first', referral_id: 7 },
        { id: 'later', referral_id: null },
        { id: 'other', referral_id: 8 },
        { id: 'pending', referral_id: null },
      ]);
      await expect(db.updateTable('signed_submissions').set({ referral_id: 7 }).where('id', '=', 'later').execute()).rejects.toThrow();
    });
  });
});
