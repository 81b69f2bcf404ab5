/**
 * Kindergartens' Russian address and district (migration 0070, docs/domain.md "Names and addresses
 * in two languages"): a row from before the migration keeps working with only the Kazakh forms,
 * and the applicant's vacancy list carries the Russian ones once they are there, on both databases.
 */
import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../portal/db/database.ts';
import { migrations } from '../../../portal/db/migrations/index.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';
import { vacancies } from '../../../portal/repositories/applicant-views.ts';
import { Vacancy } from '../../../protocol/portal-api.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication } from '../queue/fixtures.ts';

describe('kindergartens in Russian', () => {
  withTestDatabases((kind, freshDb) => {
    it(`a kindergarten from before 0070 keeps its Kazakh address; the Russian one reaches the vacancy list on ${kind}`, async () => {
      const { db } = await freshDb();
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo('0030_feed_reads')).error).toBeUndefined();
      // The row as the schema before 0070 had it.
      await db
        .insertInto('kindergartens')
        .values({ name_kk: '№ 7 бөбекжай', name_ru: 'Ясли-сад № 7', bin: '150440000007', district: 'Медеу ауданы', address: 'Алматы қ., Медеу ауданы, Достық даңғылы, 5', phone: '+7 727 000 00 07', website: null, language: 'kk', lat: 43.2, lon: 76.9 })
        .execute();
      await db.insertInto('kindergarten_categories').values({ kindergarten_id: 1, category: 'speech' }).execute();
      await migrateToLatest(db);

      const clock = manualClock('2026-03-25T04:00:00.000Z');
      const mine = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      await createQueueEngine({ db, clock }).publishVacancy({ bin: '150440000007', groupYear: 2021, category: 'speech' });
      const before = await vacancies(db, mine.applicantIin, String(mine.applicationId), clock.now());
      expect(before.map((v) => [v.address, v.addressRu, v.district, v.districtRu])).toEqual([
        ['Алматы қ., Медеу ауданы, Достық даңғылы, 5', null, 'Медеу ауданы', null],
      ]);
      expect(() => before.map((v) => Vacancy.parse(v))).not.toThrow();

      await db.updateTable('kindergartens').set({ address_ru: 'г. Алматы, Медеуский район, пр. Достык, 5', district_ru: 'Медеуский район' }).execute();
      const after = await vacancies(db, mine.applicantIin, String(mine.applicationId), clock.now());
      expect(after.map((v) => [v.address, v.addressRu, v.district, v.districtRu])).toEqual([
        ['Алматы қ., Медеу ауданы, Достық даңғылы, 5', 'г. Алматы, Медеуский район, пр. Достык, 5', 'Медеу ауданы', 'Медеуский район'],
      ]);

      // And down again: 0070 drops only its own columns.
      expect((await migrator.migrateTo('0030_feed_reads')).error).toBeUndefined();
      expect(await db.selectFrom('kindergartens').select(['address', 'district']).execute()).toEqual([
        { address: 'Алматы қ., Медеу ауданы, Достық даңғылы, 5', district: 'Медеу ауданы' },
      ]);
    });
  });
});
