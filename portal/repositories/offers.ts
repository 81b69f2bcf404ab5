/**
 * The applicant's live personal offers (their turn came: "choose a correctional kindergarten"), with
 * the deadline and the working days left on the portal's holiday calendar.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.ts';
import { addCalendarDays, almatyDate, isWorkingDay, type WorkingCalendar } from '../calendar/working-days.ts';
import { fullName } from './applications.ts';

export interface LiveOfferRow {
  offerId: number;
  applicationId: number;
  applicationNumber: string;
  childName: string;
  kindergartenId: number;
  kindergartenName: string;
  kindergartenNameRu: string;
  createdAt: string;
  expiresAt: string | null;
}

/**
 * An offer (aliased `o`) still open at `now`: past its deadline it has lapsed, whether or not the
 * scheduler has tidied it up yet (docs/domain.md, the offer), so no view shows it as open.
 */
export function openAt(now: Date): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref('o.expires_at')} is null or ${sql.ref('o.expires_at')} > ${now.toISOString()})`;
}

/**
 * Working days left until an offer made at `offeredAt` lapses at `expiresAt` (the end of its last
 * working day, working-days.ts addWorkingDays), counted at `now`: the working days from today to
 * the last day, both included, except the day the offer was made (the period starts the day
 * after). 0 once the deadline has passed. Linear in the days of the period.
 */
export function workingDaysLeft(now: Date, offeredAt: Date, expiresAt: Date, calendar: WorkingCalendar): number {
  if (now >= expiresAt) return 0;
  const lastDay = almatyDate(new Date(expiresAt.getTime() - 1));
  const dayAfterOffer = addCalendarDays(almatyDate(offeredAt), 1);
  const today = almatyDate(now);
  let day = today > dayAfterOffer ? today : dayAfterOffer;
  let left = 0;
  for (; day <= lastDay; day = addCalendarDays(day, 1)) if (isWorkingDay(day, calendar)) left++;
  return left;
}

/** The live personal offers of this applicant's applications at `now`, oldest first. */
export async function listLiveOffers(db: Kysely<DB>, applicantIin: string, now: Date): Promise<LiveOfferRow[]> {
  const rows = await db
    .selectFrom('offers as o')
    .innerJoin('applications as a', 'a.id', 'o.application_id')
    .innerJoin('applicants as p', 'p.id', 'a.applicant_id')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .innerJoin('vacancies as v', 'v.id', 'o.vacancy_id')
    .innerJoin('kindergartens as k', 'k.id', 'v.kindergarten_id')
    .select([
      'o.id',
      'o.created_at',
      'o.expires_at',
      'a.id as application_id',
      'a.number',
      'c.last_name',
      'c.first_name',
      'c.middle_name',
      'k.id as kg_id',
      'k.name_kk',
      'k.name_ru',
    ])
    .where('p.iin', '=', applicantIin)
    .where('o.kind', '=', 'personal')
    .where('o.state', '=', 'active')
    .where(openAt(now))
    .orderBy('o.created_at')
    .orderBy('o.id')
    .execute();
  return rows.map((r) => ({
    offerId: r.id,
    applicationId: r.application_id,
    applicationNumber: r.number,
    childName: fullName(r),
    kindergartenId: r.kg_id,
    kindergartenName: r.name_kk,
    kindergartenNameRu: r.name_ru,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  }));
}
