import { describe, expect, it } from 'vitest';
import { withTestDatabases } from '../../helpers/portal-db.ts';

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
  });
});
