/**
 * The working-day calendar year by year (docs/domain.md "Working days"): each year an
 * administrator enters what no rule knows (Kurban Ait, the decree's transfers) and confirms the
 * year; until then the portal warns and marks deadlines over that year provisional.
 * The years already in calendar_days (2024–2030, seeded by 0001) become drafts: none was ever
 * confirmed, and 2027–2030 lack Kurban Ait. The Kurban Ait days 0001 seeded (2024–2026) are kept
 * as entered days, so an import that re-enters the year replaces them.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

const KURBAN_AIT_SEEDED: ReadonlyArray<readonly [number, string]> = [
  [2024, '2024-06-16'],
  [2025, '2025-06-06'],
  [2026, '2026-05-27'],
];
const KURBAN_AIT_NAME = 'Құрбан айт / Курбан айт';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull()) // 'draft' | 'confirmed'
    .addColumn('entered', 'text', (c) => c.notNull()) // JSON array of { date, kind, name }
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('confirmed_by', 'text')
    .execute();
  const years = await sql<{ year: string }>`select distinct substr(date, 1, 4) as year from calendar_days`.execute(db);
  const at = new Date().toISOString();
  const rows = years.rows.map(({ year }) => {
    const kurban = KURBAN_AIT_SEEDED.find(([y]) => y === Number(year));
    const entered = kurban ? [{ date: kurban[1], kind: 'holiday_no_transfer', name: KURBAN_AIT_NAME }] : [];
    return {
      year: Number(year),
      state: 'draft',
      entered: JSON.stringify(entered),
      updated_at: at,
      updated_by: 'migration 0009',
      confirmed_at: null,
      confirmed_by: null,
    };
  });
  if (rows.length > 0) await db.insertInto('calendar_years').values(rows).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('calendar_years').execute();
}
