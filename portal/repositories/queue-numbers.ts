/**
 * Queue and benefit-category numbers of queued applications, as the queue orders them
 * (portal/queue/ordering.ts). Instead of reading and sorting the whole queue per request, one
 * query for all the applications asked about counts each one's queue by benefit type and the
 * applications of the same type ahead of it; `placeInQueue` turns those counts into the place
 * orderQueue would give (the property test in test/portal/repositories/queue-numbers.test.ts checks they agree).
 * The journal takes the same counts as columns of its page's own statement (queueCountColumns).
 * Nothing is cached, so a number is always the queue's current state.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { BenefitType, DB } from '../db/schema.ts';
import { queueConfig } from '../queue/config.ts';
import { QUEUED_STATUSES } from '../queue/eligibility.ts';
import { preparedQuery } from '../db/prepared-query.ts';

export interface QueueNumbers {
  queueNumber: number;
  benefitQueueNumber: number;
}

/** How many queued applications one queue holds, by benefit type. */
export interface QueueCounts {
  outOfTurn: number;
  general: number;
  priority: number;
}

/**
 * The place of the application that has `ahead` applications of its own benefit type before it:
 * out-of-turn first; then slot 0 of every block of `priorityEvery` goes to the priority queue
 * and the rest to the general queue, each taking the other's slots once the other runs out.
 */
export function placeInQueue(
  benefit: BenefitType,
  ahead: number,
  counts: QueueCounts,
  priorityEvery: number,
): QueueNumbers {
  const benefitQueueNumber = ahead + 1;
  if (benefit === 'out_of_turn') return { queueNumber: benefitQueueNumber, benefitQueueNumber };
  let othersAhead: number;
  if (benefit === 'priority') {
    othersAhead = Math.min(ahead * (priorityEvery - 1), counts.general);
  } else {
    const blocks = priorityEvery > 1 ? Math.floor(ahead / (priorityEvery - 1)) + 1 : Infinity;
    othersAhead = Math.min(blocks, counts.priority);
  }
  return { queueNumber: counts.outOfTurn + ahead + othersAhead + 1, benefitQueueNumber };
}

type QueueRowDb = DB & { me: DB['applications'] };

/**
 * The counts placeInQueue needs, as columns of the applications row `me` (null where `me` is not
 * queued), for a query that reads the rows anyway: the journal page takes them in its own
 * statement, queueNumbersFor in one statement for the rows it is given.
 * Each count is a range of applications_queue_count_idx (index entries only), and only the counts
 * placeInQueue reads for the row's benefit type are taken (CASE evaluates its subquery only when
 * the branch is taken): out of turn needs none, a general application the out-of-turn and
 * priority counts, a priority one out-of-turn and general.
 */
export function queueCountColumns(eb: ExpressionBuilder<QueueRowDb, 'me'>) {
  const queued = () =>
    eb
      .selectFrom('applications as q')
      .whereRef('q.group_year', '=', 'me.group_year')
      .whereRef('q.category', '=', 'me.category')
      .where('q.status', 'in', QUEUED_STATUSES);
  const isQueued = eb('me.status', 'in', QUEUED_STATUSES);
  // The count of `benefit` in the row's queue when the row's benefit type is (or is not) `mine`.
  const countOf = (benefit: BenefitType, op: '=' | '<>', mine: BenefitType) =>
    eb
      .case()
      .when(eb.and([isQueued, eb('me.benefit_type', op, mine)]))
      .then(
        queued()
          .where('q.benefit_type', '=', benefit)
          .select((q) => q.fn.countAll<number>().as('n')),
      )
      .else(0)
      .end();
  return [
    countOf('out_of_turn', '<>', 'out_of_turn').as('q_out_of_turn'),
    countOf('none', '=', 'priority').as('q_general'),
    countOf('priority', '=', 'none').as('q_priority'),
    eb
      .case()
      .when(isQueued)
      .then(
        queued()
          .whereRef('q.benefit_type', '=', 'me.benefit_type')
          .where((q) =>
            q.or([
              q('q.registered_at', '<', q.ref('me.registered_at')),
              q.and([q('q.registered_at', '=', q.ref('me.registered_at')), q('q.id', '<', q.ref('me.id'))]),
            ]),
          )
          .select((q) => q.fn.countAll<number>().as('n')),
      )
      .else(null)
      .end()
      .as('q_ahead'),
  ];
}

/** A row's numbers from queueCountColumns' columns, or null when it is not queued. */
export function queueNumbersOf(
  row: {
    benefit_type: BenefitType;
    q_out_of_turn: unknown;
    q_general: unknown;
    q_priority: unknown;
    q_ahead: unknown;
  },
  priorityEvery: number,
): QueueNumbers | null {
  if (row.q_ahead === null) return null;
  // PostgreSQL returns counts as bigint strings.
  const counts = {
    outOfTurn: Number(row.q_out_of_turn),
    general: Number(row.q_general),
    priority: Number(row.q_priority),
  };
  return placeInQueue(row.benefit_type, Number(row.q_ahead), counts, priorityEvery);
}

const queueNumbersQuery = preparedQuery((db, v: { ids: number[] }) =>
  db
    .selectFrom('applications as me')
    .where('me.id', 'in', v.ids)
    .select((eb) => ['me.id as id', 'me.benefit_type as benefit_type', ...queueCountColumns(eb)]),
);

export async function queueNumbersFor(
  db: Kysely<DB>,
  apps: ReadonlyArray<{ id: number; group_year: number; category: string; status: string }>,
  priorityEvery: number = queueConfig().priorityEvery,
): Promise<Map<number, QueueNumbers>> {
  const result = new Map<number, QueueNumbers>();
  const ids = apps.filter((a) => (QUEUED_STATUSES as readonly string[]).includes(a.status)).map((a) => a.id);
  if (ids.length === 0) return result;
  const rows = await queueNumbersQuery.execute(db, { ids });
  for (const row of rows) {
    const numbers = queueNumbersOf(row, priorityEvery);
    if (numbers) result.set(row.id, numbers);
  }
  return result;
}
