/**
 * Queue and benefit-category numbers of queued applications, in the order of
 * portal/queue/ordering.ts (docs/domain.md "Queue order"): those holding an offer first, then the
 * waiting ones in the order the allocator will give them places, from the queue's turn counter
 * (queue_turns). Instead of reading and sorting the whole queue per request, a few statements per
 * queue the asked rows stand in count its lines and rank the asked rows within their line;
 * `placeInQueue` turns those counts into the place orderQueue would give (the property test in
 * test/portal/repositories/queue-numbers.test.ts checks they agree).
 * The cost is linear in the rows asked about plus the queues they stand in, never rows × queue:
 * counting "the applications ahead of me" once per row made a journal of n rows in one queue cost
 * n² (docs/architecture.md, portal/db).
 * Nothing is cached, so a number is always the queue's current state.
 */
import { sql, type Kysely } from 'kysely';
import type { BenefitType, DB } from '../db/schema.ts';
import { QUEUED_STATUSES } from '../queue/eligibility.ts';

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

/** A row's numbers from its queue's counts (queueCounts below), or null when it is not queued. */
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

/** An application as queueNumbersOfRows needs it: its queue, line and place in the line's order. */
export interface QueuedRow {
  id: number;
  status: string;
  group_year: number;
  category: string;
  queue_benefit: BenefitType;
  registered_at: string;
}

type Line = 'in_queue' | 'notification_sent';
const isQueued = (status: string): status is Line => (QUEUED_STATUSES as readonly string[]).includes(status);
const before = (a: QueuedRow, b: QueuedRow) => a.registered_at < b.registered_at || (a.registered_at === b.registered_at && a.id < b.id);
const byBenefit = (): Record<BenefitType, number> => ({ none: 0, priority: 0, out_of_turn: 0 });

/**
 * The numbers of those of `rows` that are queued, with the portal's ratio (config.priorityEvery).
 * Per queue (group year, category) among them: one grouped count of its lines, its turn counter,
 * and per status the rows stand in, the applications before the first of them (grouped count)
 * and a ranking of the span from the first to the last of them (window functions), of which only
 * the rows asked about come back. Each of those reads one range of applications_queue_turn_idx.
 */
export async function queueNumbersOfRows(
  db: Kysely<DB>,
  rows: readonly QueuedRow[],
  priorityEvery: number,
): Promise<Map<number, QueueNumbers>> {
  const result = new Map<number, QueueNumbers>();
  const queues = new Map<string, QueuedRow[]>();
  for (const row of rows) {
    if (!isQueued(row.status)) continue;
    const key = JSON.stringify([row.group_year, row.category]);
    const members = queues.get(key);
    if (members) members.push(row);
    else queues.set(key, [row]);
  }
  for (const members of queues.values()) {
    const { group_year, category } = members[0]!;
    const queue = () => db.selectFrom('applications').where('group_year', '=', group_year).where('category', '=', category);
    const [lines, turns] = await Promise.all([
      queue()
        .where('status', 'in', QUEUED_STATUSES)
        .select(['status', 'queue_benefit', sql<number>`count(*)`.as('n')])
        .groupBy(['status', 'queue_benefit'])
        .execute(),
      db.selectFrom('queue_turns').select('places_given').where('group_year', '=', group_year).where('category', '=', category).executeTakeFirst(),
    ]);
    const total = { in_queue: byBenefit(), notification_sent: byBenefit() };
    for (const l of lines) total[l.status as Line][l.queue_benefit] = Number(l.n);
    const holders = Object.values(total.notification_sent).reduce((a, b) => a + b, 0);

    for (const status of ['in_queue', 'notification_sent'] as const) {
      const asked = members.filter((m) => m.status === status);
      if (asked.length === 0) continue;
      const first = asked.reduce((a, b) => (before(b, a) ? b : a));
      const last = asked.reduce((a, b) => (before(a, b) ? b : a));
      const line = () => queue().where('status', '=', status);
      const [prefixRows, ranked] = await Promise.all([
        line()
          .where((eb) => eb.or([eb('registered_at', '<', first.registered_at), eb.and([eb('registered_at', '=', first.registered_at), eb('id', '<', first.id)])]))
          .select(['queue_benefit', sql<number>`count(*)`.as('n')])
          .groupBy('queue_benefit')
          .execute(),
        db
          .selectFrom(
            line()
              .where((eb) => eb.or([eb('registered_at', '>', first.registered_at), eb.and([eb('registered_at', '=', first.registered_at), eb('id', '>=', first.id)])]))
              .where((eb) => eb.or([eb('registered_at', '<', last.registered_at), eb.and([eb('registered_at', '=', last.registered_at), eb('id', '<=', last.id)])]))
              .select([
                'id',
                sql<number>`row_number() over (order by registered_at, id) - 1`.as('in_status'),
                sql<number>`row_number() over (partition by queue_benefit order by registered_at, id) - 1`.as('in_line'),
              ])
              .as('span'),
          )
          .selectAll()
          .where('id', 'in', asked.map((m) => m.id))
          .execute(),
      ]);
      const prefix = byBenefit();
      for (const p of prefixRows) prefix[p.queue_benefit] = Number(p.n);
      const prefixAll = Object.values(prefix).reduce((a, b) => a + b, 0);
      const rank = new Map(ranked.map((r) => [r.id, r]));
      for (const m of asked) {
        const r = rank.get(m.id);
        if (!r) continue; // gone from the line since it was read
        const numbers = queueNumbersOf(
          {
            q_status: status,
            q_benefit: m.queue_benefit,
            q_holding: status === 'in_queue' ? holders : prefixAll + Number(r.in_status),
            q_holding_line: total.notification_sent[m.queue_benefit],
            q_out_of_turn: total.in_queue.out_of_turn,
            q_general: total.in_queue.none,
            q_priority: total.in_queue.priority,
            q_given: turns?.places_given ?? 0,
            q_ahead: prefix[m.queue_benefit] + Number(r.in_line),
          },
          priorityEvery,
        );
        if (numbers) result.set(m.id, numbers);
      }
    }
  }
  return result;
}

/** The numbers of those of `apps` that are queued, with the portal's ratio (config.priorityEvery). */
export async function queueNumbersFor(
  db: Kysely<DB>,
  apps: ReadonlyArray<{ id: number; status: string }>,
  priorityEvery: number,
): Promise<Map<number, QueueNumbers>> {
  const ids = apps.filter((a) => isQueued(a.status)).map((a) => a.id);
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('applications')
    .select(['id', 'status', 'group_year', 'category', 'queue_benefit', 'registered_at'])
    .where('id', 'in', ids)
    .execute();
  return queueNumbersOfRows(db, rows, priorityEvery);
}
