/**
 * Whose turn it is in one queue (docs/domain.md "Queue order"): out of turn first; otherwise the
 * k-th place the queue gives out (k over the queue's life, kept in queue_turns) goes to the
 * priority line when k % priorityEvery === 0, else to the general line, and a line with nobody
 * eligible yields its turn to the other. Placing places one at a time or in one batch therefore
 * picks the same children: each pick depends only on k and on who is still waiting.
 */
import { PostgresAdapter, type Transaction } from 'kysely';
import type { BenefitType, DB } from '../db/schema.ts';
import { loadCandidates, type Candidate } from './eligibility.ts';
import { isPriorityTurn } from './ordering.ts';
import { QueueCursor } from './queue-stream.ts';

/** How many applications ahead eligibility is checked in one query. */
const ELIGIBILITY_WINDOW = 64;

export interface QueueKey {
  group_year: number;
  category: string;
}

export const queueKey = (q: QueueKey): string => `${q.group_year}\u0000${q.category}`;

/** One line of a queue: its waiting applications that may take a place now, in order. */
class EligibleLine {
  private buffer: Candidate[] = [];
  private readonly cursor: QueueCursor;

  constructor(
    private readonly trx: Transaction<DB>,
    private readonly queue: QueueKey,
    benefit: BenefitType,
    private readonly now: Date,
    private readonly unavailable: (c: Candidate) => boolean,
  ) {
    this.cursor = new QueueCursor(trx, queue.group_year, queue.category, benefit);
  }

  async peek(): Promise<Candidate | null> {
    for (;;) {
      while (this.buffer.length > 0 && this.unavailable(this.buffer[0] as Candidate)) this.buffer.shift();
      if (this.buffer.length > 0) return this.buffer[0] as Candidate;
      const ids = await this.cursor.next(ELIGIBILITY_WINDOW);
      if (ids.length === 0) return null;
      const checked = new Map(
        (
          await loadCandidates(
            this.trx,
            { applicationIds: ids, placeCategory: this.queue.category },
            this.now,
          )
        ).map((c) => [c.id, c]),
      );
      for (const id of ids) {
        const c = checked.get(id);
        if (c && c.blocked === null && c.status === 'in_queue') this.buffer.push(c);
      }
    }
  }

  take(): Candidate {
    const c = this.buffer.shift();
    if (!c) throw new Error('take() without a successful peek()');
    return c;
  }
}

export interface Pick {
  candidate: Candidate;
  /** The place's k in the interleave, or null for an out-of-turn pick (outside it). */
  turn: number | null;
}

/**
 * The turns of one queue during one transaction, from `placesGiven` (read under lock). A pick
 * whose claim fails gives its turn back (`giveBack`), and the next pick takes it again, so a
 * place lost to a concurrent transaction goes to the next child of the same line.
 */
export class QueueTurns {
  private readonly lines: Record<BenefitType, EligibleLine>;
  private next: number;
  private readonly returned: number[] = [];
  private given = 0;

  constructor(
    trx: Transaction<DB>,
    readonly queue: QueueKey,
    private readonly placesGiven: number,
    private readonly priorityEvery: number,
    now: Date,
    unavailable: (c: Candidate) => boolean,
  ) {
    const line = (benefit: BenefitType) => new EligibleLine(trx, queue, benefit, now, unavailable);
    this.lines = { out_of_turn: line('out_of_turn'), priority: line('priority'), none: line('none') };
    this.next = placesGiven;
  }

  async pick(): Promise<Pick | null> {
    if (await this.lines.out_of_turn.peek()) return { candidate: this.lines.out_of_turn.take(), turn: null };
    this.returned.sort((a, b) => a - b);
    const turn = this.returned[0] ?? this.next;
    const [first, second] = isPriorityTurn(turn, this.priorityEvery)
      ? [this.lines.priority, this.lines.none]
      : [this.lines.none, this.lines.priority];
    const line = (await first.peek()) ? first : (await second.peek()) ? second : null;
    if (!line) return null;
    if (this.returned.length > 0) this.returned.shift();
    else this.next++;
    return { candidate: line.take(), turn };
  }

  giveBack(pick: Pick): void {
    if (pick.turn !== null) this.returned.push(pick.turn);
  }

  /** A pick's claim succeeded: one more place given out in the interleave (if it was in it). */
  claimed(pick: Pick): void {
    if (pick.turn !== null) this.given++;
  }

  /** Writes places_given if places were given out in the interleave. */
  async save(trx: Transaction<DB>): Promise<void> {
    if (this.given === 0) return;
    await trx
      .updateTable('queue_turns')
      .set({ places_given: this.placesGiven + this.given })
      .where('group_year', '=', this.queue.group_year)
      .where('category', '=', this.queue.category)
      .execute();
  }
}

/**
 * Locks the queues' turn counters until the transaction ends (PostgreSQL FOR UPDATE, in key
 * order against deadlocks; SQLite has one writer anyway), creating missing ones at 0, and
 * returns places_given by queueKey. Two processes offering places in one queue take turns.
 */
export async function lockQueueTurns(
  trx: Transaction<DB>,
  queues: readonly QueueKey[],
): Promise<Map<string, number>> {
  const distinct = [...new Map(queues.map((q) => [queueKey(q), q])).values()].sort((a, b) =>
    a.group_year !== b.group_year ? a.group_year - b.group_year : a.category < b.category ? -1 : 1,
  );
  const result = new Map<string, number>();
  if (distinct.length === 0) return result;
  await trx
    .insertInto('queue_turns')
    .values(distinct.map((q) => ({ group_year: q.group_year, category: q.category })))
    .onConflict((oc) => oc.columns(['group_year', 'category']).doNothing())
    .execute();
  const pg = trx.getExecutor().adapter instanceof PostgresAdapter;
  for (const q of distinct) {
    let select = trx
      .selectFrom('queue_turns')
      .select('places_given')
      .where('group_year', '=', q.group_year)
      .where('category', '=', q.category);
    if (pg) select = select.forUpdate();
    const row = await select.executeTakeFirstOrThrow();
    result.set(queueKey(q), row.places_given);
  }
  return result;
}
