/**
 * The queue in order, read lazily: the same order as `orderQueue` (ordering.ts), but each benefit
 * type is read page by page along the (group_year, category, benefit_type, registered_at, id)
 * index, so offering a few places costs a few small queries whatever the queue's length.
 */
import type { Kysely } from 'kysely';
import type { ApplicationStatus, BenefitType, DB } from '../db/schema.ts';
import { QUEUED_STATUSES } from './eligibility.ts';

export interface StreamEntry {
  id: number;
  status: ApplicationStatus;
}

/** One benefit type of one queue, in (registered_at, id) order, fetched in pages. */
class TypeCursor {
  private buffer: Array<StreamEntry & { registered_at: string }> = [];
  private last: { registered_at: string; id: number } | null = null;
  private exhausted = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly groupYear: number,
    private readonly category: string,
    private readonly benefitType: BenefitType,
    private readonly pageSize: number,
  ) {}

  async peek(): Promise<StreamEntry | undefined> {
    if (this.buffer.length === 0 && !this.exhausted) await this.fetch();
    return this.buffer[0];
  }

  take(): StreamEntry {
    const entry = this.buffer.shift();
    if (!entry) throw new Error('take() without a successful peek()');
    return entry;
  }

  private async fetch(): Promise<void> {
    let q = this.db
      .selectFrom('applications')
      .select(['id', 'status', 'registered_at'])
      .where('group_year', '=', this.groupYear)
      .where('category', '=', this.category)
      .where('benefit_type', '=', this.benefitType)
      .where('status', 'in', QUEUED_STATUSES);
    const last = this.last;
    if (last) {
      q = q.where((eb) =>
        eb.or([
          eb('registered_at', '>', last.registered_at),
          eb.and([eb('registered_at', '=', last.registered_at), eb('id', '>', last.id)]),
        ]),
      );
    }
    const rows = await q.orderBy('registered_at').orderBy('id').limit(this.pageSize).execute();
    if (rows.length < this.pageSize) this.exhausted = true;
    const tail = rows[rows.length - 1];
    if (tail) this.last = { registered_at: tail.registered_at, id: tail.id };
    this.buffer.push(...rows);
  }
}

/** Queue entries in queue order (out-of-turn, then general with priority interleaved). */
export async function* queueInOrder(
  db: Kysely<DB>,
  groupYear: number,
  category: string,
  priorityEvery: number,
  pageSize = 128,
): AsyncGenerator<StreamEntry> {
  const outOfTurn = new TypeCursor(db, groupYear, category, 'out_of_turn', pageSize);
  while (await outOfTurn.peek()) yield outOfTurn.take();
  const general = new TypeCursor(db, groupYear, category, 'none', pageSize);
  const priority = new TypeCursor(db, groupYear, category, 'priority', pageSize);
  for (let slot = 0; ; slot++) {
    const priorityTurn = slot % priorityEvery === 0;
    if (priorityTurn && (await priority.peek())) yield priority.take();
    else if (await general.peek()) yield general.take();
    else if (await priority.peek()) yield priority.take();
    else return;
  }
}
