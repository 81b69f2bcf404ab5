/** Reads for kindergarten staff: their kindergarten, referrals awaiting arrival, the places they published. */
import type { Kysely } from 'kysely';
import type { DB, VacancyState } from '../db/schema.ts';
import type { AwaitingReferral, PublishedVacancy, PublishVacancyResponse } from '../../protocol/staff-api.ts';
import { isWithdrawable } from '../queue/engine.ts';
import { provisionalDeadlines } from '../calendar/years.ts';

export async function kindergartenName(db: Kysely<DB>, kindergartenId: number): Promise<string> {
  const kg = await db
    .selectFrom('kindergartens')
    .select('name_kk')
    .where('id', '=', kindergartenId)
    .executeTakeFirstOrThrow();
  return kg.name_kk;
}

/** Referrals to this kindergarten still waiting for the child's arrival, nearest deadline first. */
export async function awaitingReferrals(db: Kysely<DB>, kindergartenId: number): Promise<AwaitingReferral[]> {
  const rows = await db
    .selectFrom('referrals as r')
    .innerJoin('applications as a', 'a.id', 'r.application_id')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .select([
      'r.id',
      'r.issued_at',
      'r.confirm_by',
      'a.number',
      'a.group_year',
      'a.category',
      'c.iin',
      'c.last_name',
      'c.first_name',
      'c.middle_name',
    ])
    .where('r.kindergarten_id', '=', kindergartenId)
    .where('r.state', '=', 'issued')
    .orderBy('r.confirm_by')
    .orderBy('r.id')
    .execute();
  // A deadline counted over a year no administrator has confirmed may move (docs/domain.md).
  const provisional = await provisionalDeadlines(
    db,
    rows.map((r) => ({ from: new Date(r.issued_at), to: new Date(r.confirm_by) })),
  );
  return rows.map((r, i) => ({
    referralId: String(r.id),
    applicationNumber: r.number,
    childIin: r.iin,
    childName: [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' '),
    groupYear: r.group_year,
    category: r.category,
    issuedAt: r.issued_at,
    confirmBy: r.confirm_by,
    confirmByProvisional: provisional[i] === true,
  }));
}

/** The place as it stands right after publishing: offered to whom, or open for free choice. */
export async function publishedVacancy(
  db: Kysely<DB>,
  vacancyId: number,
  offeredTo: number | null,
): Promise<PublishVacancyResponse> {
  const v = await db
    .selectFrom('vacancies')
    .select('state')
    .where('id', '=', vacancyId)
    .executeTakeFirstOrThrow();
  const app =
    offeredTo === null
      ? undefined
      : await db
          .selectFrom('applications')
          .select(['id', 'number'])
          .where('id', '=', offeredTo)
          .executeTakeFirst();
  return {
    vacancyId: String(vacancyId),
    state: v.state,
    offeredTo: app ? { applicationId: String(app.id), applicationNumber: app.number } : null,
  };
}

/**
 * The places this kindergarten published, newest first, each with its state, who holds its
 * active personal offer or its referral, and whether it may be withdrawn now.
 */
export async function publishedVacancies(
  db: Kysely<DB>,
  kindergartenId: number,
  filter: { state?: VacancyState; limit: number },
): Promise<PublishedVacancy[]> {
  let query = db
    .selectFrom('vacancies as v')
    .leftJoin('offers as o', (join) =>
      join.onRef('o.vacancy_id', '=', 'v.id').on('o.kind', '=', 'personal').on('o.state', '=', 'active'),
    )
    .leftJoin('applications as oa', 'oa.id', 'o.application_id')
    .leftJoin('applications as ta', 'ta.id', 'v.taken_by_application_id')
    .select([
      'v.id',
      'v.group_year',
      'v.category',
      'v.place_type',
      'v.published_at',
      'v.state',
      'o.expires_at',
      'o.created_at as offered_at',
      'oa.id as offered_id',
      'oa.number as offered_number',
      'ta.id as taken_id',
      'ta.number as taken_number',
    ])
    .where('v.kindergarten_id', '=', kindergartenId);
  if (filter.state) query = query.where('v.state', '=', filter.state);
  const rows = await query.orderBy('v.published_at', 'desc').orderBy('v.id', 'desc').limit(filter.limit).execute();
  const provisional = await provisionalDeadlines(
    db,
    rows.map((r) => ({ from: new Date(r.offered_at ?? r.published_at), to: new Date(r.expires_at ?? r.published_at) })),
  );
  return rows.map((r, i) => ({
    vacancyId: String(r.id),
    groupYear: r.group_year,
    category: r.category,
    placeType: r.place_type,
    publishedAt: r.published_at,
    state: r.state,
    offeredTo:
      r.offered_id !== null && r.offered_number !== null
        ? {
            applicationId: String(r.offered_id),
            applicationNumber: r.offered_number,
            expiresAt: r.expires_at,
            deadlineProvisional: r.expires_at !== null && provisional[i] === true,
          }
        : null,
    takenBy:
      r.state === 'taken' && r.taken_id !== null && r.taken_number !== null
        ? { applicationId: String(r.taken_id), applicationNumber: r.taken_number }
        : null,
    withdrawable: isWithdrawable(r.state),
  }));
}

/** An application's number (to name the application a staff action touched). */
export async function applicationNumber(db: Kysely<DB>, applicationId: number): Promise<string> {
  const row = await db
    .selectFrom('applications')
    .select('number')
    .where('id', '=', applicationId)
    .executeTakeFirstOrThrow();
  return row.number;
}
