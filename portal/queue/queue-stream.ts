/**
 * One line of one queue read lazily: the waiting (in_queue) applications of one counted benefit,
 * in (registered_at, id) order, page by page along applications_queue_turn_idx, so offering a few
 * places costs a few small queries whatever the queue's length.
 */
import type { Kysely } from 'kysely';
import type { BenefitType, DB } from '../db/schema.ts';

export class QueueCursor {
  private last: { registered_at: string; id: number } | null = null;
  private exhausted = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly groupYear: number,
    private readonly category: string,
    private readonly benefit: BenefitType,
  ) {}

  /** The next `count` waiting application ids (fewer at the end of the line). */
  async next(count: number): Promise<number[]> {
    if (this.exhausted) return [];
    let q = this.db
      .selectFrom('applications')
      .select(['id', 'registered_at'])
      .where('group_year', '=', this.groupYear)
      .where('category', '=', this.category)
      .where('status', '=', 'in_queue')
      .where('queue_benefit', '=', this.benefit);
    const last = this.last;
    if (last) {
      q = q.where((eb) =>
        eb.or([
          eb('registered_at', '>', last.registered_at),
          eb.and([eb('registered_at', '=', last.registered_at), eb('id', '>', last.id)]),
        ]),
      );
    }
    const rows = await q.orderBy('registered_at').orderBy('id').limit(count).execute();
    if (rows.length < count) this.exhausted = true;
    const tail = rows[rows.length - 1];
    if (tail) this.last = { registered_at: tail.registered_at, id: tail.id };
    return rows.map((r) => r.id);
  }
}
