/**
 * Queue and benefit-category numbers of queued applications, as the queue orders them
 * (portal/queue/ordering.ts). Instead of reading and sorting the whole queue per request, one
 * aggregate query per application counts the queue by benefit type and the applications of the
 * same type ahead of it; `placeInQueue` turns those counts into the place orderQueue would give
 * (the property test in test/portal/repositories/queue-numbers.test.ts checks they agree).
 * Nothing is cached, so a number is always the queue's current state.
 */
import { sql, type Kysely } from 'kysely';
import type { BenefitType, DB } from '../db/schema.ts';
import { queueConfig } from '../queue/config.ts';
import { QUEUED_STATUSES } from '../queue/eligibility.ts';

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

export async function queueNumbersFor(
  db: Kysely<DB>,
  apps: ReadonlyArray<{ id: number; group_year: number; category: string; status: string }>,
  priorityEvery: number = queueConfig().priorityEvery,
): Promise<Map<number, QueueNumbers>> {
  const result = new Map<number, QueueNumbers>();
  const queued = apps.filter((a) => (QUEUED_STATUSES as readonly string[]).includes(a.status));
  for (const app of queued) {
    const row = await db
      .selectFrom('applications as q')
      .innerJoin('applications as me', (j) =>
        j.onRef('me.group_year', '=', 'q.group_year').onRef('me.category', '=', 'q.category'),
      )
      .where('me.id', '=', app.id)
      .where('q.status', 'in', QUEUED_STATUSES)
      .select([
        'me.benefit_type as benefit',
        sql<number>`sum(case when q.benefit_type = 'out_of_turn' then 1 else 0 end)`.as('out_of_turn'),
        sql<number>`sum(case when q.benefit_type = 'none' then 1 else 0 end)`.as('general'),
        sql<number>`sum(case when q.benefit_type = 'priority' then 1 else 0 end)`.as('priority'),
        sql<number>`sum(case when q.benefit_type = me.benefit_type
          and (q.registered_at < me.registered_at or (q.registered_at = me.registered_at and q.id < me.id))
          then 1 else 0 end)`.as('ahead'),
      ])
      .groupBy('me.benefit_type')
      .executeTakeFirst();
    if (!row) continue;
    // PostgreSQL returns sums as bigint strings.
    const counts = { outOfTurn: Number(row.out_of_turn), general: Number(row.general), priority: Number(row.priority) };
    result.set(app.id, placeInQueue(row.benefit, Number(row.ahead), counts, priorityEvery));
  }
  return result;
}
