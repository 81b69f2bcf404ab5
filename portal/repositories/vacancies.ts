/**
 * Kindergartens with a place for one application: its own active personal offer, and the
 * free-choice places of its group year whose category the child may take (valid PMPK, not
 * enrolled, not stop-listed). Nothing otherwise: the list is "for that application only".
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { loadCandidates } from '../queue/eligibility.ts';
import { openAt } from './offers.ts';

export interface VacancyView {
  offerId: number;
  offerKind: 'personal' | 'free_choice';
  expiresAt: string | null;
  vacancyId: number;
  groupYear: number;
  category: string;
  placeType: string;
  kindergarten: {
    id: number;
    nameKk: string;
    nameRu: string;
    phone: string;
    address: string;
    district: string;
    /** Russian forms (migration 0070); null in rows from before it. */
    addressRu: string | null;
    districtRu: string | null;
    language: string;
    website: string | null;
    lat: number;
    lon: number;
  };
}

export async function listVacanciesForApplication(
  db: Kysely<DB>,
  applicationId: number,
  now: Date,
): Promise<VacancyView[]> {
  const app = await db
    .selectFrom('applications')
    .select(['id', 'group_year', 'status'])
    .where('id', '=', applicationId)
    .executeTakeFirst();
  if (!app || (app.status !== 'in_queue' && app.status !== 'notification_sent')) return [];
  const rows = await db
    .selectFrom('offers as o')
    .innerJoin('vacancies as v', 'v.id', 'o.vacancy_id')
    .innerJoin('kindergartens as k', 'k.id', 'v.kindergarten_id')
    .select([
      'o.id as offer_id',
      'o.kind',
      'o.expires_at',
      'v.id as vacancy_id',
      'v.group_year',
      'v.category',
      'v.place_type',
      'k.id as kg_id',
      'k.name_kk',
      'k.name_ru',
      'k.phone',
      'k.address',
      'k.district',
      'k.address_ru',
      'k.district_ru',
      'k.language',
      'k.website',
      'k.lat',
      'k.lon',
    ])
    .where('o.state', '=', 'active')
    .where(openAt(now))
    .where((eb) =>
      eb.or([
        eb.and([eb('o.kind', '=', 'personal'), eb('o.application_id', '=', app.id)]),
        eb.and([eb('o.kind', '=', 'free_choice'), eb('v.group_year', '=', app.group_year)]),
      ]),
    )
    .orderBy('o.kind', 'desc') // 'personal' before 'free_choice'
    .orderBy('o.id')
    .execute();
  const allowed = new Map<string, boolean>();
  const views: VacancyView[] = [];
  for (const r of rows) {
    if (r.kind === 'free_choice') {
      let ok = allowed.get(r.category);
      if (ok === undefined) {
        const [c] = await loadCandidates(db, { applicationId: app.id, placeCategory: r.category }, now);
        ok = c !== undefined && c.blocked === null;
        allowed.set(r.category, ok);
      }
      if (!ok) continue;
    }
    views.push({
      offerId: r.offer_id,
      offerKind: r.kind,
      expiresAt: r.expires_at,
      vacancyId: r.vacancy_id,
      groupYear: r.group_year,
      category: r.category,
      placeType: r.place_type,
      kindergarten: {
        id: r.kg_id,
        nameKk: r.name_kk,
        nameRu: r.name_ru,
        phone: r.phone,
        address: r.address,
        district: r.district,
        addressRu: r.address_ru,
        districtRu: r.district_ru,
        language: r.language,
        website: r.website,
        lat: r.lat,
        lon: r.lon,
      },
    });
  }
  return views;
}
