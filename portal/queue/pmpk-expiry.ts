/**
 * Reminders before and at a PMPK conclusion's expiry (docs/pmpk.md "When a conclusion expires").
 *
 * A conclusion counts through its last valid day (Almaty date, queue/eligibility.ts); from the next
 * day the child is passed over for places of that category (NO_VALID_PMPK) but keeps its place in
 * the queue. So the family is told `pmpkReminderDays` calendar days before the conclusion stops
 * counting (time to book a new examination) and again when it has stopped.
 *
 * Two scheduler jobs per conclusion (ref_id = the conclusion's id), each run once across processes.
 * A later conclusion for the same child and category supersedes the earlier one: its reminders say
 * nothing; nor does a reminder that runs only after the expiry (the expiry's own message follows). Only applications that still need the conclusion are concerned: waiting, offered,
 * holding a referral or enrolled, in the conclusion's category.
 */
import { sql, type Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.ts';
import { addCalendarDays, almatyDate, almatyMidnight } from '../calendar/working-days.ts';
import type { ApplicationStatus, DB } from '../db/schema.ts';
import { scheduleJobs, type JobHandler } from '../scheduler/jobs.ts';
import type { QueueContext } from './context.ts';
import { recordHistory, SYSTEM_ACTOR } from './history.ts';
import { JOB_PMPK_EXPIRED, JOB_PMPK_EXPIRY_REMINDER } from './job-kinds.ts';

const CONCERNED: readonly ApplicationStatus[] = [
  'in_queue',
  'notification_sent',
  'referral_issued',
  'enrolled',
];

/** The instant a conclusion stops counting: Almaty midnight after its last valid day. */
export function pmpkExpiresAt(validUntil: string): Date {
  return almatyMidnight(addCalendarDays(validUntil, 1));
}

/** When the family is reminded: `days` calendar days before the conclusion stops counting. */
export function pmpkReminderAt(validUntil: string, days: number): Date {
  return almatyMidnight(addCalendarDays(validUntil, 1 - days));
}

/**
 * Schedules both jobs for every conclusion still valid yesterday or later that has none yet (so a
 * conclusion that lapsed long ago is not announced late). Idempotent; linear in the conclusions.
 */
export async function schedulePmpkReminders(db: Kysely<DB>, now: Date, days: number): Promise<number> {
  const rows = await db
    .selectFrom('pmpk_conclusions as p')
    .select(['p.id', 'p.valid_until'])
    .where('p.valid_until', '>=', addCalendarDays(almatyDate(now), -1))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('scheduler_jobs as j')
            .select(sql.lit(1).as('one'))
            .where('j.kind', '=', JOB_PMPK_EXPIRED)
            .whereRef('j.ref_id', '=', 'p.id'),
        ),
      ),
    )
    .execute();
  await scheduleJobs(
    db,
    rows.flatMap((c) => [
      { kind: JOB_PMPK_EXPIRY_REMINDER, refId: c.id, runAt: pmpkReminderAt(c.valid_until, days) },
      { kind: JOB_PMPK_EXPIRED, refId: c.id, runAt: pmpkExpiresAt(c.valid_until) },
    ]),
    now,
  );
  return rows.length;
}

export const onPmpkExpiryReminder = (ctx: QueueContext): JobHandler => tellFamilies(ctx, 'pmpk_expiring');
export const onPmpkExpired = (ctx: QueueContext): JobHandler => tellFamilies(ctx, 'pmpk_expired');

function tellFamilies(ctx: QueueContext, kind: 'pmpk_expiring' | 'pmpk_expired'): JobHandler {
  return async (trx, job, now) => {
    const at = now.toISOString();
    const conclusion = await trx
      .selectFrom('pmpk_conclusions')
      .select(['id', 'child_id', 'category', 'valid_until'])
      .where('id', '=', job.ref_id)
      .executeTakeFirst();
    if (!conclusion) return;
    const later = await trx
      .selectFrom('pmpk_conclusions')
      .select('id')
      .where('child_id', '=', conclusion.child_id)
      .where('category', '=', conclusion.category)
      .where('valid_until', '>', conclusion.valid_until)
      .executeTakeFirst();
    // A reminder run after the expiry (scheduled late) would announce a day gone by: the expiry job speaks.
    const stale = kind === 'pmpk_expiring' && now >= pmpkExpiresAt(conclusion.valid_until);
    const applications =
      later || stale
        ? []
        : await trx
            .selectFrom('applications')
            .select(['id', 'applicant_id', 'status'])
            .where('child_id', '=', conclusion.child_id)
            .where('category', '=', conclusion.category)
            .where('status', 'in', CONCERNED)
            .orderBy('id')
            .execute();
    const told = new Set<number>();
    for (const app of applications) {
      await recordHistory(trx, {
        applicationId: app.id,
        at,
        event: kind,
        status: null,
        actor: SYSTEM_ACTOR,
        details: { conclusionId: conclusion.id, validUntil: conclusion.valid_until },
      });
      if (told.has(app.applicant_id)) continue; // one message per family, however many applications
      told.add(app.applicant_id);
      await ctx.notifications.notify(trx, {
        kind,
        applicationId: app.id,
        applicantId: app.applicant_id,
        at,
        validUntil: conclusion.valid_until,
      });
    }
    await appendAudit(trx, {
      at: now,
      actorIin: null,
      action: kind === 'pmpk_expiring' ? 'pmpk.expiry_reminder' : 'pmpk.expired',
      subject: String(conclusion.id),
      details: {
        childId: conclusion.child_id,
        category: conclusion.category,
        validUntil: conclusion.valid_until,
        supersededBy: later?.id ?? null,
        stale,
        applications: applications.map((a) => a.id),
      },
    });
  };
}
