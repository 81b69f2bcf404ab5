/**
 * The allocator: which queued child each published place is offered to, and the personal offers
 * that follow (offer row, vacancy 'offered', history, expiry deadline, notification).
 */
import type { Transaction } from 'kysely';
import { addWorkingDays, type WorkingCalendar } from '../calendar/working-days.ts';
import type { DB } from '../db/schema.ts';
import { scheduleJobs } from '../scheduler/jobs.ts';
import type { QueueContext } from './context.ts';
import { childrenPlacedElsewhere, lockChildren, type Candidate } from './eligibility.ts';
import { SYSTEM_ACTOR } from './history.ts';
import { JOB_OFFER_EXPIRY } from './job-kinds.ts';
import { lockQueueTurns, queueKey, QueueTurns, type Pick } from './turns.ts';

/** A place to offer: the vacancy and the queue (group year, category) it is for. */
export interface VacancyToOffer {
  id: number;
  kindergarten_id: number;
  group_year: number;
  category: string;
}

/**
 * Offers each vacancy to the child whose turn it is in its queue (turns.ts), in bulk: the queues'
 * turn counters are locked first, each line is read lazily in order with its eligibility (three
 * EXISTS checks) computed for the next applications only, and the chosen applications are claimed
 * with one guarded UPDATE ... RETURNING. One that another transaction took meanwhile is simply
 * not returned: its turn goes to the next child of the same line. Before the claim the chosen
 * children are locked and looked at again, so a child another transaction just placed through
 * another queue is passed over too. The vacancies are places given out in their order.
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
  const placedChildren = new Set<number>(); // a child gets one offer at a time, across queues
  const chosen = new Map<number, Candidate>(); // vacancy id → claimed candidate
  const given = await lockQueueTurns(trx, vacancies);
  const queues = new Map<string, QueueTurns>();
  const turnsOf = (v: VacancyToOffer): QueueTurns => {
    const key = queueKey(v);
    let q = queues.get(key);
    if (!q) {
      const unavailable = (c: Candidate) => placedChildren.has(c.child_id);
      q = new QueueTurns(trx, v, given.get(key) ?? 0, ctx.config.priorityEvery, now, unavailable);
      queues.set(key, q);
    }
    return q;
  };

  let pending = [...vacancies];
  while (pending.length > 0) {
    const picks: Array<{ vacancy: VacancyToOffer; pick: Pick }> = [];
    for (const vacancy of pending) {
      const pick = await turnsOf(vacancy).pick();
      if (!pick) continue;
      placedChildren.add(pick.candidate.child_id);
      picks.push({ vacancy, pick });
    }
    const claimed = new Set<number>();
    for (const part of chunks(picks, 500)) {
      // A child queued in another category may have been placed by a concurrent transaction
      // since its eligibility was read: lock the children, look again, skip those now placed.
      await lockChildren(
        trx,
        part.map((p) => p.pick.candidate.child_id),
      );
      const elsewhere = await childrenPlacedElsewhere(
        trx,
        part.map((p) => p.pick.candidate),
      );
      const claimable = part.filter((p) => !elsewhere.has(p.pick.candidate.child_id));
      if (claimable.length === 0) continue;
      const rows = await trx
        .updateTable('applications')
        .set({ status: 'notification_sent', status_changed_at: at })
        .where(
          'id',
          'in',
          claimable.map((p) => p.pick.candidate.id),
        )
        .where('status', '=', 'in_queue')
        .returning('id')
        .execute();
      for (const r of rows) claimed.add(r.id);
    }
    pending = [];
    for (const p of picks) {
      const turns = turnsOf(p.vacancy);
      if (claimed.has(p.pick.candidate.id)) {
        chosen.set(p.vacancy.id, p.pick.candidate);
        turns.claimed(p.pick);
      } else {
        // Taken by a concurrent transaction, or its child placed elsewhere: the same turn, next child.
        turns.giveBack(p.pick);
        pending.push(p.vacancy);
      }
    }
  }
  for (const turns of queues.values()) await turns.save(trx);

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
