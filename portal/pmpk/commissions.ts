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

export async function commissionName(db: Kysely<DB>, id: number): Promise<string> {
  return (await findCommission(db, id)).name_kk;
}

/** "kk,ru" → ['kk', 'ru']. */
export const commissionLanguages = (row: Pick<CommissionRow, 'languages'>): string[] =>
  row.languages.split(',').filter((l) => l !== '');
