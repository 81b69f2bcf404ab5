/** Builders for PMPK tests: a commission with a schedule, its slots, valid child IINs to book for. */
import type { Kysely } from 'kysely';
import type { DB } from '../../../portal/db/schema.ts';
import type { CommissionRow } from '../../../portal/pmpk/commissions.ts';
import { iinCheckDigit } from '../../../signing/identifiers.ts';

export async function addCommission(db: Kysely<DB>, over: Partial<Omit<CommissionRow, 'id'>> = {}): Promise<CommissionRow> {
  const values = {
    bin: '070840000123',
    name_kk: 'Алматы қаласының №1 ПМПК',
    name_ru: 'ПМПК №1 города Алматы',
    address_kk: 'Алматы қ., Жамбыл к-сі, 25',
    address_ru: 'г. Алматы, ул. Жамбыла, 25',
    phone: '+7 727 300 00 01',
    languages: 'kk,ru',
    day_start: '09:00',
    day_end: '12:00',
    slot_minutes: 60,
    slot_capacity: 2,
    days_ahead: 5,
    ...over,
  };
  const row = await db.insertInto('pmpk_commissions').values(values).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, ...values };
}

/** The commission's slots as rows, earliest first. */
export function slotsOf(db: Kysely<DB>, commissionId: number) {
  return db.selectFrom('pmpk_slots').selectAll().where('commission_id', '=', commissionId).orderBy('starts_at').execute();
}

let serial = 0;
/** A valid IIN (check digit right) of a child born on the given day of the 2000s (YYMMDD). */
export function childIin(bornYyMmDd: string): string {
  for (;;) {
    const first11 = `${bornYyMmDd}5${String(++serial % 10_000).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== undefined) return `${first11}${check}`;
  }
}
