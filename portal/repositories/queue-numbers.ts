/**
 * Queue and benefit-category numbers of queued applications, in the order of
 * portal/queue/ordering.ts (docs/domain.md "Queue order"): those holding an offer first, then the
 * waiting ones in the order the allocator will give them places, from the queue's turn counter
 * (queue_turns). Instead of reading and sorting the whole queue per request, one query for all
 * the applications asked about counts, per application, its queue's lines and the applications of
 * its own line ahead of it; `placeInQueue` turns those counts into the place orderQueue would give
 * (the property test in test/portal/repositories/queue-numbers.test.ts checks they agree).
 * The journal takes the same counts as columns of its page's own statement (queueCountColumns).
 * Nothing is cached, so a number is always the queue's current state.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { BenefitType, DB } from '../db/schema.ts';
import { QUEUED_STATUSES } from '../queue/eligibility.ts';
import { preparedQuery } from '../db/prepared-query.ts';

export interface QueueNumbers {
  queueNumber: number;
  /** Place among applications of the same counted benefit; 0 without a benefit. */
  benefitQueueNumber: number;
}

/** How many waiting (in_queue) applications one queue holds, by counted benefit. */
export interface QueueCounts {
  outOfTurn: number;
  general: number;
  priority: number;
}

/**
 * The place among the waiting applications of the one that has `ahead` waiting applications of
 * its own line before it: out of turn first; then the k-th place given out (k from `placesGiven`)
 * goes to the priority line when k % priorityEvery === 0, else to the general line, each line
 * taking the other's turns once the other runs out.
 */
export function placeInQueue(
  benefit: BenefitType,
  ahead: number,
  counts: QueueCounts,
  priorityEvery: number,
  placesGiven = 0,
): QueueNumbers {
  const benefitQueueNumber = benefit === 'none' ? 0 : ahead + 1;
  if (benefit === 'out_of_turn') return { queueNumber: ahead + 1, benefitQueueNumber };
  // General turns before the first priority turn from here.
  const generalFirst = (priorityEvery - (placesGiven % priorityEvery)) % priorityEvery;
  let othersAhead: number;
  if (benefit === 'priority') {
    othersAhead = Math.min(generalFirst + ahead * (priorityEvery - 1), counts.general);
  } else {
    const priorityTurns =
      ahead < generalFirst ? 0 : Math.floor((ahead - generalFirst) / (priorityEvery - 1)) + 1;
    othersAhead = Math.min(priorityTurns, counts.priority);
  }
  return { queueNumber: counts.outOfTurn + ahead + othersAhead + 1, benefitQueueNumber };
}

type QueueRowDb = DB & { me: DB['applications'] };

/**
 * The counts queueNumbersOf needs, as columns of the applications row `me` (q_ahead null where
 * `me` is not queued), for a query that reads the rows anyway: the journal page takes them in its
 * own statement, queueNumbersFor in one statement for the rows it is given.
 * Each count is a range of applications_queue_turn_idx (index entries only), and only the counts
 * the row's status and line need are taken (CASE evaluates its subquery only when the branch is
 * taken).
 */
export function queueCountColumns(eb: ExpressionBuilder<QueueRowDb, 'me'>) {
  const queue = () =>
    eb
      .selectFrom('applications as q')
      .whereRef('q.group_year', '=', 'me.group_year')
      .whereRef('q.category', '=', 'me.category');
  const count = () => sql<number>`count(*)`.as('n');
  const queued = eb('me.status', 'in', QUEUED_STATUSES);
  const waiting = eb('me.status', '=', 'in_queue');
  const aheadOfMe = (q: ExpressionBuilder<QueueRowDb & { q: DB['applications'] }, 'me' | 'q'>) =>
    q.or([
      q('q.registered_at', '<', q.ref('me.registered_at')),
      q.and([q('q.registered_at', '=', q.ref('me.registered_at')), q('q.id', '<', q.ref('me.id'))]),
    ]);
  // The waiting applications of line `benefit`, when `me` is waiting and its line is (not) `mine`.
  const waitingIn = (benefit: BenefitType, op: '=' | '<>', mine: BenefitType) =>
    eb
      .case()
      .when(eb.and([waiting, eb('me.queue_benefit', op, mine)]))
      .then(queue().where('q.status', '=', 'in_queue').where('q.queue_benefit', '=', benefit).select(count()))
      .else(0)
      .end();
  return [
    eb.ref('me.status').as('q_status'),
    eb.ref('me.queue_benefit').as('q_benefit'),
    // Applications holding an offer: all of them for a waiting row, those before it for a holder.
    eb
      .case()
      .when(queued)
      .then(
        queue()
          .where('q.status', '=', 'notification_sent')
          .where((q) => q.or([q(q.ref('me.status'), '=', 'in_queue'), aheadOfMe(q)]))
          .select(count()),
      )
      .else(0)
      .end()
      .as('q_holding'),
    eb
      .case()
      .when(eb.and([waiting, eb('me.queue_benefit', '<>', 'none')]))
      .then(
        queue()
          .where('q.status', '=', 'notification_sent')
          .whereRef('q.queue_benefit', '=', 'me.queue_benefit')
          .select(count()),
      )
      .else(0)
      .end()
      .as('q_holding_line'),
    waitingIn('out_of_turn', '<>', 'out_of_turn').as('q_out_of_turn'),
    waitingIn('none', '=', 'priority').as('q_general'),
    waitingIn('priority', '=', 'none').as('q_priority'),
    eb
      .case()
      .when(eb.and([waiting, eb('me.queue_benefit', '<>', 'out_of_turn')]))
      .then(
        eb
          .selectFrom('queue_turns as t')
          .whereRef('t.group_year', '=', 'me.group_year')
          .whereRef('t.category', '=', 'me.category')
          .select('t.places_given'),
      )
      .else(0)
      .end()
      .as('q_given'),
    // The row's own line (same status, same counted benefit) ahead of it.
    eb
      .case()
      .when(queued)
      .then(
        queue()
          .whereRef('q.status', '=', 'me.status')
          .whereRef('q.queue_benefit', '=', 'me.queue_benefit')
          .where(aheadOfMe)
          .select(count()),
      )
      .else(null)
      .end()
      .as('q_ahead'),
  ];
}

/** A row's numbers from queueCountColumns' columns, or null when it is not queued. */
export function queueNumbersOf(
  row: {
    q_status: string;
    q_benefit: BenefitType;
    q_holding: unknown;
    q_holding_line: unknown;
    q_out_of_turn: unknown;
    q_general: unknown;
    q_priority: unknown;
    q_given: unknown;
    q_ahead: unknown;
  },
  priorityEvery: number,
): QueueNumbers | null {
  if (row.q_ahead === null) return null;
  // PostgreSQL returns counts as bigint strings; a queue that never gave a place has no turns row.
  const holding = Number(row.q_holding);
  const ahead = Number(row.q_ahead);
  if (row.q_status !== 'in_queue') {
    return { queueNumber: holding + 1, benefitQueueNumber: row.q_benefit === 'none' ? 0 : ahead + 1 };
  }
  const counts = {
    outOfTurn: Number(row.q_out_of_turn),
    general: Number(row.q_general),
    priority: Number(row.q_priority),
  };
  const place = placeInQueue(row.q_benefit, ahead, counts, priorityEvery, Number(row.q_given ?? 0));
  return {
    queueNumber: holding + place.queueNumber,
    benefitQueueNumber: row.q_benefit === 'none' ? 0 : Number(row.q_holding_line) + place.benefitQueueNumber,
  };
}

const queueNumbersQuery = preparedQuery((db, v: { ids: number[] }) =>
  db
    .selectFrom('applications as me')
    .where('me.id', 'in', v.ids)
    .select((eb) => ['me.id as id', ...queueCountColumns(eb)]),
);

/** The numbers of those of `apps` that are queued, with the portal's ratio (config.priorityEvery). */
export async function queueNumbersFor(
  db: Kysely<DB>,
  apps: ReadonlyArray<{ id: number; status: string }>,
  priorityEvery: number,
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
