/** Queue and benefit-category numbers of queued applications, computed as the queue orders them. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { queueConfig } from '../queue/config.ts';
import { QUEUED_STATUSES } from '../queue/eligibility.ts';
import { orderQueue } from '../queue/ordering.ts';

export interface QueueNumbers {
  queueNumber: number;
  benefitQueueNumber: number;
}

export async function queueNumbersFor(
  db: Kysely<DB>,
  apps: ReadonlyArray<{ id: number; group_year: number; category: string; status: string }>,
  priorityEvery: number = queueConfig().priorityEvery,
): Promise<Map<number, QueueNumbers>> {
  const result = new Map<number, QueueNumbers>();
  const queued = apps.filter((a) => (QUEUED_STATUSES as readonly string[]).includes(a.status));
  const queues = new Map(queued.map((a) => [`${a.group_year}\u0000${a.category}`, a]));
  for (const { group_year, category } of queues.values()) {
    const entries = await db
      .selectFrom('applications')
      .select(['id', 'benefit_type', 'registered_at'])
      .where('group_year', '=', group_year)
      .where('category', '=', category)
      .where('status', 'in', QUEUED_STATUSES)
      .execute();
    for (const p of orderQueue(entries, priorityEvery)) {
      result.set(p.entry.id, { queueNumber: p.queueNumber, benefitQueueNumber: p.benefitQueueNumber });
    }
  }
  return result;
}
