/**
 * Age groups and the August moves (docs/domain.md "Age groups and the August moves").
 *
 * A kindergarten's groups are by correctional category and age; a child's age for a school year
 * is (the calendar year that school year starts − the child's group year, its birth year). The
 * moves for a year take effect on 1 August: from then a child belongs in the group of its age
 * for the school year starting that 1 September.
 *
 * The moves are one scheduler job per year (JOB_GROUP_MOVES, ref_id = the year) due 1 August
 * 00:00 in Almaty, so they are done within 1–31 August, and run however late after downtime,
 * exactly once across processes (the scheduler's claim). The oldest groups move first, so the
 * places they leave are there for the next age; a child whose next group is full stays where it
 * is, and a child with no next group (the kindergarten has none for that age) is not touched.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-log.ts';
import { ALMATY_OFFSET_MINUTES, almatyDate } from '../calendar/working-days.ts';
import type { AgeGroup, AgeGroupRequest } from '../../protocol/staff-api.ts';
import type { DB } from '../db/schema.ts';
import { QueueError } from './errors.ts';
import type { JobHandler } from '../scheduler/jobs.ts';
import type { QueueContext } from './context.ts';
import { recordHistory, SYSTEM_ACTOR } from './history.ts';
import { JOB_GROUP_MOVES } from './job-kinds.ts';
import { scheduleNextYearlyJob } from './yearly-update.ts';

/** 1 August of `year`, 00:00 in Almaty: when the year's moves are due. */
export function groupMovesDueAt(year: number): Date {
  return new Date(Date.UTC(year, 7, 1) - ALMATY_OFFSET_MINUTES * 60_000);
}

/** The year whose groups apply at `now`: this year from 1 August (Almaty), else last year. */
export function groupsYearAt(now: Date): number {
  const today = almatyDate(now);
  const year = Number(today.slice(0, 4));
  return today >= `${year}-08-01` ? year : year - 1;
}

/** The child's age group for `year`: its group year is its birth year. */
export function groupAge(birthDate: string, year: number): number {
  return year - Number(birthDate.slice(0, 4));
}

/** Schedules the moves due next: this year's until 31 August is over, then next year's. Idempotent. */
export function scheduleGroupMoves(db: Kysely<DB>, now: Date): Promise<number> {
  return scheduleNextYearlyJob(db, now, JOB_GROUP_MOVES, '08-31', groupMovesDueAt);
}

/**
 * At enrolment: the child joins the kindergarten's group of the place's category and of its age
 * now, if the kindergarten has recorded one (the place the referral was for is in it).
 */
export async function placeInAgeGroup(
  trx: Transaction<DB>,
  child: { id: number; birthDate: string },
  kindergartenId: number,
  category: string,
  now: Date,
): Promise<number | null> {
  const group = await trx
    .selectFrom('kindergarten_groups')
    .select('id')
    .where('kindergarten_id', '=', kindergartenId)
    .where('category', '=', category)
    .where('age', '=', groupAge(child.birthDate, groupsYearAt(now)))
    .executeTakeFirst();
  const groupId = group?.id ?? null;
  await trx.updateTable('children').set({ group_id: groupId }).where('id', '=', child.id).execute();
  return groupId;
}

interface Group {
  id: number;
  kindergarten_id: number;
  category: string;
  age: number;
  capacity: number;
}

/** The job: every enrolled child in a group moves to the group of its age for the year, if it has room. */
export function onGroupMoves(ctx: QueueContext): JobHandler {
  return async (trx, job, now) => {
    const year = job.ref_id;
    const at = now.toISOString();
    const groups = await trx
      .selectFrom('kindergarten_groups')
      .select(['id', 'kindergarten_id', 'category', 'age', 'capacity'])
      .orderBy('id')
      .execute();
    const byId = new Map<number, Group>(groups.map((g) => [g.id, g]));
    const byAge = new Map<string, Group>(
      groups.map((g) => [`${g.kindergarten_id}|${g.category}|${g.age}`, g]),
    );
    const members = await trx
      .selectFrom('children as c')
      .innerJoin('kindergarten_groups as g', 'g.id', 'c.group_id')
      .innerJoin('applications as a', (join) =>
        join.onRef('a.child_id', '=', 'c.id').on('a.status', '=', 'enrolled'),
      )
      .select([
        'c.id as child_id',
        'c.birth_date',
        'g.id as group_id',
        'g.age',
        'a.id as application_id',
        'a.applicant_id',
      ])
      .whereRef('c.enrolled_in', '=', 'g.kindergarten_id')
      // oldest groups first, so their places are free for the next age; then by child, for a stable order
      .orderBy('g.age', 'desc')
      .orderBy('c.id')
      .execute();
    const occupied = new Map<number, number>();
    for (const m of members) occupied.set(m.group_id, (occupied.get(m.group_id) ?? 0) + 1);

    const moved: number[] = [];
    const full: number[] = [];
    const noGroup: number[] = [];
    for (const m of members) {
      const from = byId.get(m.group_id);
      if (!from) continue;
      const age = groupAge(m.birth_date, year);
      if (age === from.age) continue;
      const to = byAge.get(`${from.kindergarten_id}|${from.category}|${age}`);
      if (!to) {
        noGroup.push(m.child_id);
        continue;
      }
      if ((occupied.get(to.id) ?? 0) >= to.capacity) {
        full.push(m.child_id);
        await recordHistory(trx, {
          applicationId: m.application_id,
          at,
          event: 'group_full',
          status: 'enrolled',
          actor: SYSTEM_ACTOR,
          details: { year, groupId: from.id, wantedGroupId: to.id },
        });
        await ctx.notifications.notify(trx, {
          kind: 'group_full',
          applicationId: m.application_id,
          applicantId: m.applicant_id,
          at,
          kindergartenId: from.kindergarten_id,
          groupId: to.id,
        });
        continue;
      }
      await trx
        .updateTable('children')
        .set({ group_id: to.id })
        .where('id', '=', m.child_id)
        .where('group_id', '=', from.id)
        .execute();
      occupied.set(from.id, (occupied.get(from.id) ?? 1) - 1);
      occupied.set(to.id, (occupied.get(to.id) ?? 0) + 1);
      moved.push(m.child_id);
      await recordHistory(trx, {
        applicationId: m.application_id,
        at,
        event: 'group_moved',
        status: 'enrolled',
        actor: SYSTEM_ACTOR,
        details: { year, fromGroupId: from.id, toGroupId: to.id },
      });
      await ctx.notifications.notify(trx, {
        kind: 'group_moved',
        applicationId: m.application_id,
        applicantId: m.applicant_id,
        at,
        kindergartenId: from.kindergarten_id,
        groupId: to.id,
      });
    }
    await appendAudit(trx, {
      at: now,
      actorIin: null,
      action: 'queue.group_moves',
      subject: String(year),
      details: { moved, full, noGroup, dueAt: job.run_at },
    });
  };
}

/** A kindergarten's age groups with the enrolled children in each, by category then age. */
export async function listAgeGroups(db: Kysely<DB>, kindergartenId: number): Promise<AgeGroup[]> {
  const rows = await db
    .selectFrom('kindergarten_groups as g')
    .leftJoin('children as c', (join) =>
      join.onRef('c.group_id', '=', 'g.id').onRef('c.enrolled_in', '=', 'g.kindergarten_id'),
    )
    .select((eb) => [
      'g.id',
      'g.category',
      'g.age',
      'g.name_kk',
      'g.name_ru',
      'g.capacity',
      eb.fn.count<string | number>('c.id').as('children'),
    ])
    .where('g.kindergarten_id', '=', kindergartenId)
    .groupBy(['g.id', 'g.category', 'g.age', 'g.name_kk', 'g.name_ru', 'g.capacity'])
    .orderBy('g.category')
    .orderBy('g.age')
    .execute();
  return rows.map((r) => ({
    groupId: String(r.id),
    category: r.category,
    age: r.age,
    nameKk: r.name_kk,
    nameRu: r.name_ru,
    capacity: r.capacity,
    children: Number(r.children),
  }));
}

/** Records a group, or changes the names and capacity of the kindergarten's group of that category and age. */
export async function saveAgeGroup(
  db: Kysely<DB>,
  kindergartenId: number,
  input: AgeGroupRequest,
): Promise<number> {
  const served = await db
    .selectFrom('kindergarten_categories')
    .select('category')
    .where('kindergarten_id', '=', kindergartenId)
    .where('category', '=', input.category)
    .executeTakeFirst();
  if (!served)
    throw new QueueError('CATEGORY_NOT_SERVED', `The kindergarten has no ${input.category} groups`);
  const row = await db
    .insertInto('kindergarten_groups')
    .values({
      kindergarten_id: kindergartenId,
      category: input.category,
      age: input.age,
      name_kk: input.nameKk,
      name_ru: input.nameRu,
      capacity: input.capacity,
    })
    .onConflict((oc) =>
      oc
        .columns(['kindergarten_id', 'category', 'age'])
        .doUpdateSet({ name_kk: input.nameKk, name_ru: input.nameRu, capacity: input.capacity }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
