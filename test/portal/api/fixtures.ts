/** Domain data for API tests: one kindergarten and one queued application of a given applicant. */
import type { Kysely } from 'kysely';
import type { DB } from '../../../portal/db/schema.ts';
import type { DemoKeyFilter } from '../../helpers/demo-pki.ts';

/** Demo people (demo/pki/identities.ts): an applicant and the head of kindergarten № 145. */
export const DAUREN = '900702304562';
export const ZHANAR = '750505406541';
export const INDIVIDUAL: DemoKeyFilter = { slug: 'abilov-dauren', purpose: 'AUTH' };
export const HEAD: DemoKeyFilter = { slug: 'omarova-zhanar', purpose: 'AUTH' };
/** The head of the demo PMPK commission (DEMO_COMMISSION), a legal-entity key with its BIN. */
export const SAULE = '780921403217';
export const COMMISSION_HEAD: DemoKeyFilter = { slug: 'isayeva-saule', purpose: 'AUTH' };

export async function seedApplication(db: Kysely<DB>, applicantIin: string, at: string) {
  const kg = await db
    .insertInto('kindergartens')
    .values({
      name_kk: '«Балапан» арнайы балабақшасы',
      name_ru: 'Специальный детский сад «Балапан»',
      bin: '150440000017',
      district: 'Бостандық',
      address: 'Алматы қ., Абай даңғылы, 10',
      phone: '+7 727 000 00 00',
      website: null,
      language: 'kk',
      lat: 43.238949,
      lon: 76.889709,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('kindergarten_categories').values({ kindergarten_id: kg.id, category: 'speech' }).execute();
  const applicant = await db
    .insertInto('applicants')
    .values({
      iin: applicantIin, last_name: 'ӘБІЛОВ', first_name: 'ДӘУРЕН', middle_name: null, birth_date: null, phone: '+77011234567',
      email: null, address: null, actual_address: null, created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const child = await db
    .insertInto('children')
    .values({ iin: '210513600014', last_name: 'ӘБІЛОВА', first_name: 'АЙСҰЛУ', middle_name: null, birth_date: '2021-05-13', enrolled_in: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('pmpk_conclusions').values({ child_id: child.id, category: 'speech', issued_on: '2025-01-10', valid_until: '2099-12-31' }).execute();
  const app = await db
    .insertInto('applications')
    .values({
      number: 'KDDO.2021.802010.1', applicant_id: applicant.id, child_id: child.id, guardian_name: null, category: 'speech',
      benefit_type: 'none', benefit_kind: null, group_year: 2021, registered_at: at, status: 'in_queue', status_changed_at: at,
      region: 'Алматы қаласы', zup_number: null, tson_number: null, extra_email: null, extra_phone: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { kindergartenId: kg.id, bin: '150440000017', applicationId: app.id, childIin: '210513600014' };
}

/** Kindergarten № 145: the demo PKI's head key (omarova-zhanar) carries its BIN. */
export const KINDERGARTEN_145_BIN = '050540000145';

export async function seedKindergarten145(db: Kysely<DB>) {
  const kg = await db
    .insertInto('kindergartens')
    .values({
      name_kk: '№ 145 арнайы балабақша',
      name_ru: 'Специальный детский сад № 145',
      bin: KINDERGARTEN_145_BIN,
      district: 'Алмалы',
      address: 'Алматы қ., Төле би к-сі, 145',
      phone: '+7 727 000 01 45',
      website: null,
      language: 'kk',
      lat: 43.25,
      lon: 76.92,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('kindergarten_categories')
    .values({ kindergarten_id: kg.id, category: 'speech' })
    .execute();
  return kg.id;
}
