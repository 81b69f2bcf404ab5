/** Reads for kindergarten staff: their kindergarten, referrals awaiting arrival, a published place. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { AwaitingReferral, PublishVacancyResponse } from '../api/staff-schemas.ts';

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
  return rows.map((r) => ({
    referralId: String(r.id),
    applicationNumber: r.number,
    childIin: r.iin,
    childName: [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' '),
    groupYear: r.group_year,
    category: r.category,
    issuedAt: r.issued_at,
    confirmBy: r.confirm_by,
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
