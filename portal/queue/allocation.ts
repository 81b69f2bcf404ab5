/**
 * The allocator: which queued child each published place is offered to, and the personal offers
 * that follow (offer row, vacancy 'offered', history, expiry deadline, notification).
 */
import type { Transaction } from 'kysely';
import { addWorkingDays, type WorkingCalendar } from '../calendar/working-days.ts';
import type { DB } from '../db/schema.ts';
import { scheduleJobs } from '../scheduler/jobs.ts';
import type { QueueContext } from './context.ts';
import { childrenPlacedElsewhere, loadCandidates, lockChildren, type Candidate } from './eligibility.ts';
import { SYSTEM_ACTOR } from './history.ts';
import { JOB_OFFER_EXPIRY } from './job-kinds.ts';
import { queueInOrder, type StreamEntry } from './queue-stream.ts';

/** How many applications ahead eligibility is checked in one query while offering places. */
const ELIGIBILITY_WINDOW = 64;

/** A place to offer: the vacancy and the queue (group year, category) it is for. */
export interface VacancyToOffer {
  id: number;
  kindergarten_id: number;
  group_year: number;
  category: string;
}

/**
 * Offers each vacancy to the next eligible queued child of its queue, in bulk: each queue is
 * read lazily in order (queue-stream.ts), eligibility (three EXISTS checks) is computed for the
 * next applications in line only, and the chosen applications are claimed with one guarded
 * UPDATE ... RETURNING; one that another transaction took meanwhile is simply not returned,
 * and its vacancy goes to the next child in line. Before the claim the chosen children are
 * locked and looked at again, so a child another transaction just placed through another queue
 * is passed over too.
 */
export async function offerPlaces(
  ctx: QueueContext,
  trx: Transaction<DB>,
  vacancies: readonly VacancyToOffer[],
  now: Date,
  calendar: WorkingCalendar,
): Promise<Map<number, { applicationId: number; offerId: number } | null>> {
  const at = now.toISOString();
  const expiresAt = addWorkingDays(now, ctx.config.offerWorkingDays, calendar).toISOString();
  const queues = new Map<
    string,
    { order: AsyncGenerator<StreamEntry>; window: number[]; checked: Map<number, Candidate> }
  >();
  const placedChildren = new Set<number>(); // a child gets one offer at a time, across queues
  const chosen = new Map<number, Candidate>(); // vacancy id → claimed candidate

  async function nextCandidate(vacancy: VacancyToOffer): Promise<Candidate | null> {
    const key = `${vacancy.group_year}\u0000${vacancy.category}`;
    let queue = queues.get(key);
    if (!queue) {
      const order = queueInOrder(trx, vacancy.group_year, vacancy.category, ctx.config.priorityEvery);
      queue = { order, window: [], checked: new Map() };
      queues.set(key, queue);
    }
    for (;;) {
      if (queue.window.length === 0) {
        // Next applications waiting in line, then their eligibility in one query.
        for (let n = 0; n < ELIGIBILITY_WINDOW;) {
          const next = await queue.order.next();
          if (next.done) break;
          if (next.value.status !== 'in_queue') continue;
          queue.window.push(next.value.id);
          n++;
        }
        if (queue.window.length === 0) return null;
        const checked = await loadCandidates(
          trx,
          { applicationIds: queue.window, placeCategory: vacancy.category },
          now,
        );
        for (const c of checked) queue.checked.set(c.id, c);
      }
      const c = queue.checked.get(queue.window.shift() as number);
      if (!c || c.blocked !== null || c.status !== 'in_queue' || placedChildren.has(c.child_id)) continue;
      placedChildren.add(c.child_id);
      return c;
    }
  }

  let pending = [...vacancies];
  while (pending.length > 0) {
    const picks: Array<{ vacancy: VacancyToOffer; candidate: Candidate }> = [];
    for (const vacancy of pending) {
      const candidate = await nextCandidate(vacancy);
      if (candidate) picks.push({ vacancy, candidate });
    }
    const claimed = new Set<number>();
    for (const part of chunks(picks, 500)) {
      // A child queued in another category may have been placed by a concurrent transaction
      // since its eligibility was read: lock the children, look again, skip those now placed.
      await lockChildren(
        trx,
        part.map((p) => p.candidate.child_id),
      );
      const elsewhere = await childrenPlacedElsewhere(
        trx,
        part.map((p) => p.candidate),
      );
      const claimable = part.filter((p) => !elsewhere.has(p.candidate.child_id));
      if (claimable.length === 0) continue;
      const rows = await trx
        .updateTable('applications')
        .set({ status: 'notification_sent', status_changed_at: at })
        .where(
          'id',
          'in',
          claimable.map((p) => p.candidate.id),
        )
        .where('status', '=', 'in_queue')
        .returning('id')
        .execute();
      for (const r of rows) claimed.add(r.id);
    }
    pending = [];
    for (const p of picks) {
      if (claimed.has(p.candidate.id)) chosen.set(p.vacancy.id, p.candidate);
      // Taken by a concurrent transaction, or its child placed elsewhere: next child in line.
      else pending.push(p.vacancy);
    }
  }

  const result = new Map<number, { applicationId: number; offerId: number } | null>();
  for (const v of vacancies) result.set(v.id, null);
  const offered = vacancies.filter((v) => chosen.has(v.id));
  for (const part of chunks(offered, 500)) {
    const rows = await trx
      .insertInto('offers')
      .values(
        part.map((v) => ({
          vacancy_id: v.id,
          application_id: (chosen.get(v.id) as Candidate).id,
          kind: 'personal' as const,
          created_at: at,
          expires_at: expiresAt,
          state: 'active' as const,
        })),
      )
      .returning(['id', 'vacancy_id'])
      .execute();
    for (const r of rows)
      result.set(r.vacancy_id, {
        applicationId: (chosen.get(r.vacancy_id) as Candidate).id,
        offerId: r.id,
      });
    await trx
      .updateTable('vacancies')
      .set({ state: 'offered' })
      .where(
        'id',
        'in',
        part.map((v) => v.id),
      )
      .execute();
    await trx
      .insertInto('application_history')
      .values(
        part.map((v) => {
          const o = result.get(v.id) as { applicationId: number; offerId: number };
          return {
            application_id: o.applicationId,
            at,
            event: 'offer_made',
            status: 'notification_sent' as const,
            actor: SYSTEM_ACTOR,
            details: JSON.stringify({
              offerId: o.offerId,
              vacancyId: v.id,
              kindergartenId: v.kindergarten_id,
              expiresAt,
            }),
          };
        }),
      )
      .execute();
    await scheduleJobs(
      trx,
      part.map((v) => ({
        kind: JOB_OFFER_EXPIRY,
        refId: (result.get(v.id) as { offerId: number }).offerId,
        runAt: new Date(expiresAt),
      })),
      now,
    );
  }
  for (const v of offered) {
    const o = result.get(v.id) as { applicationId: number; offerId: number };
    await ctx.notifications.notify(trx, {
      kind: 'offer_made',
      applicationId: o.applicationId,
      applicantId: (chosen.get(v.id) as Candidate).applicant_id,
      at,
      offerId: o.offerId,
      kindergartenId: v.kindergarten_id,
      deadline: expiresAt,
    });
  }
  return result;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
