/**
 * The demo's PMPK commissions (docs/pmpk.md): three in Almaty with their addresses, languages and
 * daily schedules. Seeded once, also into a demo database made before commissions existed.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../portal/db/schema.ts';
import { DEMO_COMMISSION } from '../pki/identities.ts';

export const DEMO_COMMISSIONS = [
  {
    bin: DEMO_COMMISSION.bin, // the demo commission head's key logs in as this commission's staff
    name_kk: 'Алматы қаласының № 1 психологиялық-медициналық-педагогикалық консультациясы',
    name_ru: 'Психолого-медико-педагогическая консультация № 1 города Алматы',
    address_kk: 'Алматы қ., Алмалы ауданы, Жамбыл көшесі, 25',
    address_ru: 'г. Алматы, Алмалинский район, ул. Жамбыла, 25',
    phone: '+7 727 272 10 01',
    languages: 'kk,ru',
    day_start: '09:00',
    day_end: '13:00',
    slot_minutes: 60,
    slot_capacity: 3,
    days_ahead: 10,
  },
  {
    bin: '070840000143',
    name_kk: 'Алматы қаласының № 2 психологиялық-медициналық-педагогикалық консультациясы',
    name_ru: 'Психолого-медико-педагогическая консультация № 2 города Алматы',
    address_kk: 'Алматы қ., Әуезов ауданы, Абай даңғылы, 150',
    address_ru: 'г. Алматы, Ауэзовский район, пр. Абая, 150',
    phone: '+7 727 272 10 02',
    languages: 'kk',
    day_start: '10:00',
    day_end: '16:00',
    slot_minutes: 90,
    slot_capacity: 2,
    days_ahead: 10,
  },
  {
    bin: '070840000155',
    name_kk: 'Алматы қаласының № 3 психологиялық-медициналық-педагогикалық консультациясы',
    name_ru: 'Психолого-медико-педагогическая консультация № 3 города Алматы',
    address_kk: 'Алматы қ., Бостандық ауданы, Тімірязев көшесі, 42',
    address_ru: 'г. Алматы, Бостандыкский район, ул. Тимирязева, 42',
    phone: '+7 727 272 10 03',
    languages: 'ru',
    day_start: '09:30',
    day_end: '17:30',
    slot_minutes: 60,
    slot_capacity: 1,
    days_ahead: 15,
  },
] as const;

/** Inserts the demo commissions unless the database has commissions already. */
export async function seedDemoCommissions(db: Kysely<DB>): Promise<number> {
  const existing = await db.selectFrom('pmpk_commissions').select('id').limit(1).execute();
  if (existing.length > 0) return 0;
  await db.insertInto('pmpk_commissions').values(DEMO_COMMISSIONS.map((c) => ({ ...c }))).execute();
  return DEMO_COMMISSIONS.length;
}
