/**
 * Queue order within one queue (group year + category), the rule of docs/domain.md "Queue order",
 * written out whole: the reference that the allocator (allocation.ts) and the journal's numbers
 * (repositories/queue-numbers.ts) are tested against.
 *
 * - Applications holding an offer (notification_sent) come first: their turn has come.
 * - Then the waiting applications (in_queue): out of turn first; then the general and priority
 *   lines interleaved over the places the queue gives out: the k-th place given out (k counted
 *   from 0 over the queue's life, `placesGiven` so far) goes to the priority line when
 *   k % priorityEvery === 0, else to the general line; a line that has run out yields its turn.
 * - Inside each line: registration time, then id. The line of an application is its counted
 *   benefit (queue_benefit): a benefit counts only once confirmed.
 */
import type { BenefitType } from '../db/schema.ts';

export interface QueueEntry {
  id: number;
  /** The counted benefit (applications.queue_benefit). */
  benefit_type: BenefitType;
  registered_at: string;
  /** Default in_queue. */
  status?: 'in_queue' | 'notification_sent';
}

export interface QueuePosition<T extends QueueEntry> {
  entry: T;
  /** 1-based place in the whole queue. */
  queueNumber: number;
  /** 1-based place among applications of the same benefit; 0 without a benefit. */
  benefitQueueNumber: number;
}

/** Whether the k-th place the interleave gives out (from 0) is the priority line's turn. */
export function isPriorityTurn(k: number, priorityEvery: number): boolean {
  return k % priorityEvery === 0;
}

function byTime(a: QueueEntry, b: QueueEntry): number {
  return a.registered_at < b.registered_at ? -1 : a.registered_at > b.registered_at ? 1 : a.id - b.id;
}

export function orderQueue<T extends QueueEntry>(
  entries: readonly T[],
  priorityEvery: number,
  placesGiven = 0,
): QueuePosition<T>[] {
  const holding = entries.filter((e) => e.status === 'notification_sent').sort(byTime);
  const waiting = entries.filter((e) => e.status !== 'notification_sent');
  const line = (benefit: BenefitType) => waiting.filter((e) => e.benefit_type === benefit).sort(byTime);
  const outOfTurn = line('out_of_turn');
  const general = line('none');
  const priority = line('priority');
  const order: T[] = [...holding, ...outOfTurn];
  for (let k = placesGiven, g = 0, p = 0; g < general.length || p < priority.length; k++) {
    const priorityTurn = isPriorityTurn(k, priorityEvery);
    if ((priorityTurn && p < priority.length) || g >= general.length) order.push(priority[p++] as T);
    else order.push(general[g++] as T);
  }
  const seen = new Map<BenefitType, number>();
  return order.map((entry, i) => {
    const n = (seen.get(entry.benefit_type) ?? 0) + 1;
    seen.set(entry.benefit_type, n);
    return { entry, queueNumber: i + 1, benefitQueueNumber: entry.benefit_type === 'none' ? 0 : n };
  });
}
