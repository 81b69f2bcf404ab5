/**
 * preparedQuery: compiled once, each run with its own values (scalars, arrays of any length,
 * limit/offset), the same on both databases and inside transactions; a value used as anything but
 * a query value is refused instead of being frozen into the SQL. On PostgreSQL a template is a named
 * prepared statement, prepared once per connection; other queries stay unnamed.
 */
import { sql } from 'kysely';
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
  withTestDatabases((kind, freshDb) => {
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

    // SQLite has no named statements: the test exists for PostgreSQL only (not a skipped SQLite case).
    if (kind === 'postgres')
      it('is prepared once per connection on PostgreSQL, other queries are not', async () => {
        const { db } = await freshDb();
        await db.connection().execute(async (conn) => {
          const prepared = async () =>
            (
              await sql<{
                name: string;
                statement: string;
              }>`select name, statement from pg_prepared_statements`.execute(conn)
            ).rows;
          expect(await prepared()).toEqual([]);
          await conn
            .selectFrom('calendar_days')
            .select(['date', 'kind'])
            .where('date', '=', '2026-03-08')
            .execute();
          expect(await prepared()).toEqual([]);
          for (const date of ['2026-03-08', '2026-03-09', '2026-03-08'])
            await dayKind.executeTakeFirst(conn, { date });
          expect(await dayKind.executeTakeFirst(conn, { date: '2026-03-09' })).toEqual({ kind: 'transfer' });
          const rows = await prepared();
          expect(rows).toHaveLength(1);
          expect(rows[0]?.name).toMatch(/^joldama_\d+$/);
          expect(rows[0]?.statement).toMatch(/^select "kind" from "calendar_days" where "date" = \$1$/);
          // Another shape is another statement; a failed run leaves the connection usable.
          await byCodes.execute(conn, { codes: ['2026-03-08'], limit: 1, offset: 0 }, { direction: 'asc' });
          await expect(
            byCodes.execute(conn, { codes: ['2026-03-08'], limit: -1, offset: 0 }, { direction: 'asc' }),
          ).rejects.toThrow(/LIMIT must not be negative/);
          expect(await dayKind.executeTakeFirst(conn, { date: '2026-03-08' })).toEqual({ kind: 'holiday' });
          expect(await prepared()).toHaveLength(2);
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
