/** PMPK commissions as the applicant sees them: name, address, phone, languages of examination. */
import type { Kysely, Selectable } from 'kysely';
import type { DB, PmpkCommissionsTable } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';

/** A commission's row as read: the table's own shape (db/schema.ts), not a second copy of it. */
export type CommissionRow = Selectable<PmpkCommissionsTable>;

export async function listCommissions(db: Kysely<DB>): Promise<CommissionRow[]> {
  return db.selectFrom('pmpk_commissions').selectAll().orderBy('id').execute();
}

export async function findCommission(db: Kysely<DB>, id: number): Promise<CommissionRow> {
  const row = await db.selectFrom('pmpk_commissions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Refusal('PMPK_COMMISSION_NOT_FOUND', 'No such PMPK commission.');
  return row;
}

/** The commission's name in Kazakh and in Russian. */
export async function commissionNames(db: Kysely<DB>, id: number): Promise<{ kk: string; ru: string }> {
  const row = await findCommission(db, id);
  return { kk: row.name_kk, ru: row.name_ru };
}

/** "kk,ru" → ['kk', 'ru']. */
export const commissionLanguages = (row: Pick<CommissionRow, 'languages'>): string[] =>
  row.languages.split(',').filter((l) => l !== '');
