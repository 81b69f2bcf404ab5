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
 * A child held back by a full group is tried again each day of August (JOB_GROUP_MOVES_RETRY),
 * and staff may move it by hand into a group with a free place (moveToGroup).
 *
 * Capacity is counted under the group row's lock (lockedGroups: PostgreSQL FOR UPDATE, in id
 * order; SQLite has one writer), in the moves, at enrolment and in a staff move, so two of them at
 * once cannot both take a group's last place.
 */
import { PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-log.ts';
import { addCalendarDays, ALMATY_OFFSET_MINUTES, almatyDate, almatyMidnight } from '../calendar/working-days.ts';
import type { AgeGroup, AgeGroupRequest } from '../../protocol/staff-api.ts';
import type { DB } from '../db/schema.ts';
import { inTransaction } from '../db/transactions.ts';
import { QueueError } from './errors.ts';
import { scheduleJob, type JobHandler } from '../scheduler/jobs.ts';
import type { QueueContext } from './context.ts';
import { kindergartenActor, recordHistory, SYSTEM_ACTOR } from './history.ts';
import { JOB_GROUP_MOVES, JOB_GROUP_MOVES_RETRY } from './job-kinds.ts';
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

interface Group {
  id: number;
  kindergarten_id: number;
  category: string;
  age: number;
  capacity: number;
}

const groupQuery = (trx: Transaction<DB>) =>
  trx.selectFrom('kindergarten_groups').select(['id', 'kindergarten_id', 'category', 'age', 'capacity']);
type GroupQuery = ReturnType<typeof groupQuery>;

/**
 * The groups that `narrow` selects, each row locked until the transaction ends: PostgreSQL
 * FOR UPDATE in id order (against deadlocks); SQLite lets one writer in at a time anyway. Counts
 * read after it are current: whoever else placed a child in these groups has committed.
 */
function lockedGroups(trx: Transaction<DB>, narrow: (q: GroupQuery) => GroupQuery = (q) => q): Promise<Group[]> {
  let q = narrow(groupQuery(trx)).orderBy('id');
  if (trx.getExecutor().adapter instanceof PostgresAdapter) q = q.forUpdate();
  return q.execute();
}

/** Enrolled children sitting in the group (those of another kindergarten do not count). */
async function childrenIn(trx: Transaction<DB>, group: Group): Promise<number> {
  const row = await trx
    .selectFrom('children')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('group_id', '=', group.id)
    .where('enrolled_in', '=', group.kindergarten_id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * At enrolment: the child joins the kindergarten's group of the place's category and of its age
 * now, if the kindergarten has recorded one. The place was given out from a vacancy the
 * kindergarten published, so the child joins even when the group is full (docs/domain.md "Age
 * groups and the August moves"): the group is then over its capacity, audited as
 * `queue.group_over_capacity` for the kindergarten to put right.
 */
export async function placeInAgeGroup(
  trx: Transaction<DB>,
  child: { id: number; birthDate: string },
  kindergartenId: number,
  category: string,
  now: Date,
): Promise<number | null> {
  const [group] = await lockedGroups(trx, (q) =>
    q
      .where('kindergarten_id', '=', kindergartenId)
      .where('category', '=', category)
      .where('age', '=', groupAge(child.birthDate, groupsYearAt(now))),
  );
  if (group) {
    const children = await childrenIn(trx, group);
    if (children >= group.capacity)
      await appendAudit(trx, {
        at: now,
        actorIin: null,
        action: 'queue.group_over_capacity',
        subject: String(group.id),
        details: { childId: child.id, capacity: group.capacity, children: children + 1 },
      });
  }
  const groupId = group?.id ?? null;
  await trx.updateTable('children').set({ group_id: groupId }).where('id', '=', child.id).execute();
  return groupId;
}

/** A kindergarten has one group per category and age (the table's unique key). */
const groupKey = (kindergartenId: number, category: string, age: number): string => `${kindergartenId}|${category}|${age}`;

interface MovesResult {
  moved: number[];
  full: number[];
  noGroup: number[];
}

/**
 * Every enrolled child in a group moves to the group of its age for `year`, if that has room
 * (oldest groups first). `only`: the children to consider (the retries), else all. A child kept
 * back gets a `group_full` history entry and notice when `tellFull` (the first run only).
 */
async function moveUp(
  ctx: QueueContext,
  trx: Transaction<DB>,
  year: number,
  now: Date,
  options: { tellFull: boolean; only?: ReadonlySet<number> },
): Promise<MovesResult> {
  const at = now.toISOString();
  const groups = await lockedGroups(trx);
  const byId = new Map<number, Group>(groups.map((g) => [g.id, g]));
  const byAge = new Map<string, Group>(groups.map((g) => [groupKey(g.kindergarten_id, g.category, g.age), g]));
  const members = await trx
    .selectFrom('children as c')
    .innerJoin('kindergarten_groups as g', 'g.id', 'c.group_id')
    .innerJoin('applications as a', (join) =>
      join.onRef('a.child_id', '=', 'c.id').on('a.status', '=', 'enrolled'),
    )
    .select(['c.id as child_id', 'c.birth_date', 'g.id as group_id', 'g.age', 'a.id as application_id', 'a.applicant_id'])
    .whereRef('c.enrolled_in', '=', 'g.kindergarten_id')
    // oldest groups first, so their places are free for the next age; then by child, for a stable order
    .orderBy('g.age', 'desc')
    .orderBy('c.id')
    .execute();
  const occupied = new Map<number, number>();
  for (const m of members) occupied.set(m.group_id, (occupied.get(m.group_id) ?? 0) + 1);

  const result: MovesResult = { moved: [], full: [], noGroup: [] };
  for (const m of members) {
    if (options.only && !options.only.has(m.child_id)) continue;
    const from = byId.get(m.group_id);
    if (!from) continue;
    const age = groupAge(m.birth_date, year);
    if (age === from.age) continue;
    const to = byAge.get(groupKey(from.kindergarten_id, from.category, age));
    if (!to) {
      result.noGroup.push(m.child_id);
      continue;
    }
    if ((occupied.get(to.id) ?? 0) >= to.capacity) {
      result.full.push(m.child_id);
      if (!options.tellFull) continue;
      const details = { year, groupId: from.id, wantedGroupId: to.id };
      await recordGroupEvent(ctx, trx, m, to, { event: 'group_full', at, actor: SYSTEM_ACTOR, details });
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
    result.moved.push(m.child_id);
    const details = { year, fromGroupId: from.id, toGroupId: to.id };
    await recordGroupEvent(ctx, trx, m, to, { event: 'group_moved', at, actor: SYSTEM_ACTOR, details });
  }
  return result;
}

/**
 * A child moved into `group` (`group_moved`) or kept back from it (`group_full`): the
 * application's history entry, and the family is told.
 */
async function recordGroupEvent(
  ctx: QueueContext,
  trx: Transaction<DB>,
  m: { application_id: number; applicant_id: number },
  group: Group,
  entry: { event: 'group_moved' | 'group_full'; at: string; actor: string; details: Record<string, unknown> },
): Promise<void> {
  const { event, at } = entry;
  await recordHistory(trx, { applicationId: m.application_id, ...entry, status: 'enrolled' });
  await ctx.notifications.notify(trx, {
    kind: event,
    applicationId: m.application_id,
    applicantId: m.applicant_id,
    at,
    kindergartenId: group.kindergarten_id,
    groupId: group.id,
  });
}

/** 1 September of `year`, 00:00 in Almaty: the August moves' window is closed from then. */
const moveWindowEnd = (year: number): Date => almatyMidnight(`${year}-09-01`);

/**
 * While some children are kept back by a full group, the moves are tried again for them at the
 * next Almaty midnight, as long as that is still in August (ref_id YYYYMMDD, so once a day across
 * processes; scheduled in the run's own transaction).
 */
async function retryTomorrow(trx: Transaction<DB>, year: number, now: Date, full: readonly number[]): Promise<void> {
  if (full.length === 0) return;
  const tomorrow = addCalendarDays(almatyDate(now), 1);
  const runAt = almatyMidnight(tomorrow);
  if (runAt >= moveWindowEnd(year)) return;
  await scheduleJob(trx, { kind: JOB_GROUP_MOVES_RETRY, refId: Number(tomorrow.replaceAll('-', '')), runAt }, now);
}

/** The job: every enrolled child in a group moves to the group of its age for the year, if it has room. */
export function onGroupMoves(ctx: QueueContext): JobHandler {
  return async (trx, job, now) => {
    const year = job.ref_id;
    const { moved, full, noGroup } = await moveUp(ctx, trx, year, now, { tellFull: true });
    await appendAudit(trx, {
      at: now,
      actorIin: null,
      action: 'queue.group_moves',
      subject: String(year),
      details: { moved, full, noGroup, dueAt: job.run_at },
    });
    await retryTomorrow(trx, year, now, full);
  };
}

/**
 * The retry (ref_id YYYYMMDD): the children still kept back by a full group this August (their
 * latest group entry since 1 August is `group_full`, not a move by the job or by staff) move if a
 * place is free now. Nothing after 31 August: the family was told, the kindergarten decides.
 */
export function onGroupMovesRetry(ctx: QueueContext): JobHandler {
  return async (trx, job, now) => {
    const year = Math.floor(job.ref_id / 10_000);
    if (now >= moveWindowEnd(year)) return;
    const entries = await trx
      .selectFrom('application_history as h')
      .innerJoin('applications as a', 'a.id', 'h.application_id')
      .select(['a.child_id', 'h.event'])
      .where('a.status', '=', 'enrolled')
      .where('h.event', 'in', ['group_full', 'group_moved'])
      .where('h.at', '>=', groupMovesDueAt(year).toISOString())
      .orderBy('h.id')
      .execute();
    const latest = new Map<number, string>();
    for (const e of entries) latest.set(e.child_id, e.event);
    const keptBack = new Set([...latest].flatMap(([child, event]) => (event === 'group_full' ? [child] : [])));
    if (keptBack.size === 0) return;
    const { moved, full } = await moveUp(ctx, trx, year, now, { tellFull: false, only: keptBack });
    await appendAudit(trx, {
      at: now,
      actorIin: null,
      action: 'queue.group_moves_retry',
      subject: String(year),
      details: { moved, full, dueAt: job.run_at },
    });
    await retryTomorrow(trx, year, now, full);
  };
}

/**
 * Staff move an enrolled child of their kindergarten into one of its groups with a free place
 * (typically a child the moves kept back): the group must be of the child's category (its
 * group's, else its confirmed referral's). History `group_moved` by the kindergarten, and the
 * family is told. Moving a child into the group it is in changes nothing.
 */
export async function moveToGroup(
  ctx: QueueContext,
  input: { bin: string; kindergartenId: number; childIin: string; groupId: number },
): Promise<void> {
  const at = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (trx) => {
    // The group first: once it is locked, where the child sits now is current (not mid-move).
    const [to] = await lockedGroups(trx, (q) =>
      q.where('id', '=', input.groupId).where('kindergarten_id', '=', input.kindergartenId),
    );
    if (!to) throw new QueueError('GROUP_NOT_FOUND', 'The kindergarten has no such group');
    const child = await trx
      .selectFrom('children as c')
      .leftJoin('kindergarten_groups as g', 'g.id', 'c.group_id')
      .select(['c.id', 'c.enrolled_in', 'c.group_id', 'g.category'])
      .where('c.iin', '=', input.childIin)
      .executeTakeFirst();
    if (!child) throw new QueueError('CHILD_NOT_FOUND', 'No child with this IIN');
    if (child.enrolled_in !== input.kindergartenId)
      throw new QueueError('CHILD_NOT_ENROLLED_HERE', 'The child is not enrolled in this kindergarten');
    const application = await trx
      .selectFrom('applications as a')
      .leftJoin('referrals as r', (join) =>
        join.onRef('r.application_id', '=', 'a.id').on('r.state', '=', 'confirmed').on('r.kindergarten_id', '=', input.kindergartenId),
      )
      .leftJoin('vacancies as v', 'v.id', 'r.vacancy_id')
      .select(['a.id as application_id', 'a.applicant_id', 'v.category'])
      .where('a.child_id', '=', child.id)
      .where('a.status', '=', 'enrolled')
      .executeTakeFirst();
    const category = child.category ?? application?.category ?? null;
    if (category !== null && to.category !== category)
      throw new QueueError('GROUP_OTHER_CATEGORY', `The group is for ${to.category}, the child's place is ${category}`);
    if (child.group_id === to.id) return;
    if ((await childrenIn(trx, to)) >= to.capacity)
      throw new QueueError('GROUP_FULL', 'The group has no free place');
    await trx.updateTable('children').set({ group_id: to.id }).where('id', '=', child.id).execute();
    if (application)
      await recordGroupEvent(ctx, trx, application, to, {
        event: 'group_moved',
        at,
        actor: kindergartenActor(input.bin),
        details: { fromGroupId: child.group_id, toGroupId: to.id },
      });
  });
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
