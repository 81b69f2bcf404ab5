/** PMPK commissions as the applicant sees them: name, address, phone, languages of examination. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';

export interface CommissionRow {
  id: number;
  bin: string;
  name_kk: string;
  name_ru: string;
  address_kk: string;
  address_ru: string;
  phone: string;
  languages: string;
  day_start: string;
  day_end: string;
  slot_minutes: number;
  slot_capacity: number;
  days_ahead: number;
}

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
