/**
 * The yearly queue update (docs/domain.md "The yearly queue update"): a scheduler job per year
 * (JOB_YEARLY_UPDATE, ref_id = the year) due on 1 June at 00:00 in Almaty, so it is done by
 * 30 June, and run however late after downtime. It takes out of the queue every application still
 * waiting (in_queue) for a child who reaches school age (config.schoolAge) by 1 September of that
 * year: status dequeued, a history entry, a notification to the family, and one audit entry for
 * the run. Applications holding an offer or a referral are left alone.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.ts';
import { schoolAgeCutoff } from '../../protocol/child-age.ts';
import { ALMATY_OFFSET_MINUTES, almatyDate } from '../calendar/working-days.ts';
import type { DB } from '../db/schema.ts';
import { scheduleJob, type JobHandler } from '../scheduler/jobs.ts';
import type { QueueContext } from './context.ts';
import { recordHistory, SYSTEM_ACTOR } from './history.ts';
import { JOB_YEARLY_UPDATE } from './job-kinds.ts';
import { setStatus } from './transitions.ts';

/** 1 June of `year`, 00:00 in Almaty: when the year's update is due. */
export function yearlyUpdateDueAt(year: number): Date {
  return new Date(Date.UTC(year, 5, 1) - ALMATY_OFFSET_MINUTES * 60_000);
}

/**
 * Schedules the update that is due next: this year's until 30 June is over (so a portal started
 * in June still does it), then next year's. Idempotent (one job per year).
 */
export function scheduleYearlyUpdate(db: Kysely<DB>, now: Date): Promise<number> {
  return scheduleNextYearlyJob(db, now, JOB_YEARLY_UPDATE, '06-30', yearlyUpdateDueAt);
}

/**
 * Schedules the yearly job `kind` due next: this year's until `lastDay` (MM-DD, Almaty) is over,
 * then next year's, due at `dueAt(year)`; the year is the job's ref. Idempotent. Returns the year.
 */
export async function scheduleNextYearlyJob(
  db: Kysely<DB>,
  now: Date,
  kind: string,
  lastDay: string,
  dueAt: (year: number) => Date,
): Promise<number> {
  const today = almatyDate(now);
  const thisYear = Number(today.slice(0, 4));
  const year = today <= `${thisYear}-${lastDay}` ? thisYear : thisYear + 1;
  await scheduleJob(db, { kind, refId: year, runAt: dueAt(year) }, now);
  return year;
}

/** The job: the waiting applications of children of school age leave the queue. */
export function onYearlyUpdate(ctx: QueueContext): JobHandler {
  return async (trx, job, now) => {
    const year = job.ref_id;
    const at = now.toISOString();
    const cutoff = schoolAgeCutoff(year, ctx.config.schoolAge);
    const waiting = await trx
      .selectFrom('applications as a')
      .innerJoin('children as c', 'c.id', 'a.child_id')
      .select(['a.id', 'a.applicant_id'])
      .where('a.status', '=', 'in_queue')
      .where('c.birth_date', '<=', cutoff)
      .orderBy('a.id')
      .execute();
    const agedOut: number[] = [];
    for (const app of waiting) {
      if (!(await setStatus(trx, app.id, ['in_queue'], 'dequeued', at))) continue;
      agedOut.push(app.id);
      await recordHistory(trx, {
        applicationId: app.id,
        at,
        event: 'aged_out',
        status: 'dequeued',
        actor: SYSTEM_ACTOR,
        details: { year, schoolAge: ctx.config.schoolAge, bornBy: cutoff },
      });
      await ctx.notifications.notify(trx, {
        kind: 'aged_out',
        applicationId: app.id,
        applicantId: app.applicant_id,
        at,
      });
    }
    await appendAudit(trx, {
      at: now,
      actorIin: null,
      action: 'queue.yearly_update',
      subject: String(year),
      details: { schoolAge: ctx.config.schoolAge, bornBy: cutoff, agedOut, dueAt: job.run_at },
    });
  };
}
