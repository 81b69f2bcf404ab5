/**
 * preparedQuery: compiled once, each run with its own values (scalars, arrays of any length,
 * limit/offset), the same on both databases and inside transactions; a value used as anything but
 * a query value is refused instead of being frozen into the SQL.
 */
import { describe, expect, it } from 'vitest';
import { preparedQuery } from '../../../portal/db/prepared-query.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';

const byCodes = preparedQuery(
  (db, v: { codes: string[]; limit: number; offset: number }, shape: { direction: 'asc' | 'desc' }) =>
    db
      .selectFrom('calendar_days')
      .select(['date', 'kind'])
      .where('date', 'in', v.codes)
      .orderBy('date', shape.direction)
      .limit(v.limit)
      .offset(v.offset),
);

const dayKind = preparedQuery((db, v: { date: string }) =>
  db.selectFrom('calendar_days').select('kind').where('date', '=', v.date),
);

describe('preparedQuery', () => {
  withTestDatabases((_kind, freshDb) => {
    it('runs with each call’s values, array lengths and shapes', async () => {
      const { db } = await freshDb();
      const days = ['2026-03-08', '2026-03-09', '2026-03-21', '2026-03-22'];
      expect(await dayKind.executeTakeFirst(db, { date: '2026-03-08' })).toEqual({ kind: 'holiday' });
      expect(await dayKind.executeTakeFirst(db, { date: '2026-03-09' })).toEqual({ kind: 'transfer' });
      expect(await dayKind.executeTakeFirst(db, { date: '2026-03-10' })).toBeUndefined();
      const dates = async (codes: string[], limit: number, offset: number, direction: 'asc' | 'desc') =>
        (await byCodes.execute(db, { codes, limit, offset }, { direction })).map((r) => r.date);
      expect(await dates(days, 10, 0, 'asc')).toEqual(days);
      expect(await dates(days, 2, 1, 'asc')).toEqual(days.slice(1, 3));
      expect(await dates(days.slice(0, 2), 10, 0, 'desc')).toEqual(['2026-03-09', '2026-03-08']);
      expect(await dates(days, 1, 0, 'desc')).toEqual(['2026-03-22']);
      // Inside a transaction, the same compiled query.
      await db.transaction().execute(async (trx) => {
        expect(await dayKind.executeTakeFirst(trx, { date: '2026-03-21' })).toEqual({ kind: 'holiday' });
      });
    });

    it('refuses a value used as anything but a query value, and a missing value', async () => {
      const { db } = await freshDb();
      const misuse = preparedQuery((d, v: { date: string }) =>
        d.selectFrom('calendar_days').select('kind').where('date', '=', `${v.date}`),
      );
      await expect(misuse.execute(db, { date: '2026-03-08' })).rejects.toThrow(/not a query parameter/);
      await expect(dayKind.execute(db, { date: undefined as unknown as string })).rejects.toThrow(/no value/);
    });
  });
});
