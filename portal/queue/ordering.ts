/**
 * Queue order within one queue (group year + category): out-of-turn applications first, then the
 * general queue with the priority categories interleaved, one place in `priorityEvery` (the first
 * place of each block); inside each benefit type by registration time, then id.
 */
import type { BenefitType } from '../db/schema.ts';

export interface QueueEntry {
  id: number;
  benefit_type: BenefitType;
  registered_at: string;
}

export interface QueuePosition<T extends QueueEntry> {
  entry: T;
  /** 1-based place in the whole queue. */
  queueNumber: number;
  /** 1-based place among applications of the same benefit type. */
  benefitQueueNumber: number;
}

function byTime(a: QueueEntry, b: QueueEntry): number {
  return a.registered_at < b.registered_at ? -1 : a.registered_at > b.registered_at ? 1 : a.id - b.id;
}

export function orderQueue<T extends QueueEntry>(
  entries: readonly T[],
  priorityEvery: number,
): QueuePosition<T>[] {
  const outOfTurn = entries.filter((e) => e.benefit_type === 'out_of_turn').sort(byTime);
  const general = entries.filter((e) => e.benefit_type === 'none').sort(byTime);
  const priority = entries.filter((e) => e.benefit_type === 'priority').sort(byTime);
  const ordered: QueuePosition<T>[] = [];
  outOfTurn.forEach((entry, i) =>
    ordered.push({ entry, queueNumber: ordered.length + 1, benefitQueueNumber: i + 1 }),
  );
  let g = 0;
  let p = 0;
  for (let slot = 0; g < general.length || p < priority.length; slot++) {
    const priorityTurn = slot % priorityEvery === 0;
    if ((priorityTurn && p < priority.length) || g >= general.length) {
      const entry = priority[p++] as T;
      ordered.push({ entry, queueNumber: ordered.length + 1, benefitQueueNumber: p });
    } else {
      const entry = general[g++] as T;
      ordered.push({ entry, queueNumber: ordered.length + 1, benefitQueueNumber: g });
    }
  }
  return ordered;
}
