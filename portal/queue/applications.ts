/** Applications in the queue: registration (with a benefit to confirm), the benefit's confirmation, and the applicant's withdrawal. */
import { z } from 'zod';
import { addWorkingDays, loadCalendar } from '../calendar/working-days.ts';
import type { Kysely } from 'kysely';
import type { BenefitType, DB } from '../db/schema.ts';
import { inTransaction } from '../db/transactions.ts';
import { cancelJob, scheduleJob } from '../scheduler/jobs.ts';
import type { QueueContext } from './context.ts';
import { QueueError } from './errors.ts';
import { applicantActor, recordHistory, SYSTEM_ACTOR } from './history.ts';
import { actorSchema, idSchema, iinSchema, parse } from './input.ts';
import { JOB_BENEFIT_CONFIRMATION } from './job-kinds.ts';
import { releaseOffersOf } from './offers.ts';
import { changed, setStatus } from './transitions.ts';

export interface RegisterApplicationInput {
  number: string;
  applicantId: number;
  childId: number;
  category: string;
  groupYear: number;
  region: string;
  benefitType: BenefitType;
  /** e.g. 'large_family'; required with a benefit, absent without one. */
  benefitKind?: string | null;
  guardianName?: string | null;
  /** The wizard's: the organisation's kind, the organisation, a second phone and an e-mail. */
  queueType?: string;
  kindergartenId?: number | null;
  extraPhone?: string | null;
  extraEmail?: string | null;
}

export interface RegisteredApplication {
  applicationId: number;
  registeredAt: string;
  /** Deadline to confirm the benefit, or null without a benefit. */
  benefitConfirmBy: string | null;
}

const registerSchema = z
  .object({
    number: z.string().trim().min(1).max(64),
    applicantId: idSchema,
    childId: idSchema,
    category: z.string().min(1).max(64),
    groupYear: z.number().int().min(2000).max(2100),
    region: z.string().trim().min(1).max(200),
    benefitType: z.enum(['none', 'out_of_turn', 'priority']),
    benefitKind: z.string().trim().min(1).max(64).nullish(),
    guardianName: z.string().trim().min(1).max(200).nullish(),
    queueType: z.string().min(1).max(64).optional(),
    kindergartenId: idSchema.nullish(),
    extraPhone: z.string().max(32).nullish(),
    extraEmail: z.string().max(254).nullish(),
  })
  .refine((a) => (a.benefitType === 'none') === (a.benefitKind == null), {
    message: 'a benefit kind goes with a benefit, and only with one',
  });
const dequeueSchema = z.object({
  applicationId: idSchema,
  applicantIin: iinSchema,
  reason: z.string().trim().min(1, 'a reason is required').max(500),
});
const confirmBenefitSchema = z.object({ applicationId: idSchema, actor: actorSchema });

export type DequeueInput = z.infer<typeof dequeueSchema>;
export type ConfirmBenefitInput = z.infer<typeof confirmBenefitSchema>;

/**
 * Puts an application in the queue, registered now. A benefit starts unconfirmed: unless
 * confirmed within `benefitConfirmWorkingDays` it is dropped (onBenefitDeadline).
 */
export async function registerApplication(
  ctx: QueueContext,
  input: RegisterApplicationInput,
): Promise<RegisteredApplication> {
  return inTransaction(ctx.db, (trx) => registerApplicationIn(ctx, trx, input));
}

/**
 * registerApplication inside the caller's transaction `trx`, for a caller whose own writes must
 * stand or fall with the registration (the signed application: its claim, its documents).
 */
export async function registerApplicationIn(
  ctx: QueueContext,
  trx: Kysely<DB>,
  input: RegisterApplicationInput,
): Promise<RegisteredApplication> {
  const p = parse(registerSchema, input);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const row = await trx
    .insertInto('applications')
    .values({
      number: p.number,
      applicant_id: p.applicantId,
      child_id: p.childId,
      guardian_name: p.guardianName ?? null,
      category: p.category,
      benefit_type: p.benefitType,
      benefit_kind: p.benefitKind ?? null,
      benefit_confirmed_at: null,
      group_year: p.groupYear,
      registered_at: at,
      status: 'in_queue',
      status_changed_at: at,
      region: p.region,
      zup_number: null,
      tson_number: null,
      extra_email: p.extraEmail ?? null,
      extra_phone: p.extraPhone ?? null,
      kindergarten_id: p.kindergartenId ?? null,
      ...(p.queueType ? { queue_type: p.queueType } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let confirmBy: Date | null = null;
  if (p.benefitType !== 'none') {
    confirmBy = addWorkingDays(now, ctx.config.benefitConfirmWorkingDays, await loadCalendar(trx));
    await scheduleJob(trx, { kind: JOB_BENEFIT_CONFIRMATION, refId: row.id, runAt: confirmBy }, now);
  }
  await recordHistory(trx, {
    applicationId: row.id,
    at,
    event: 'registered',
    status: 'in_queue',
    actor: SYSTEM_ACTOR,
    details: {
      benefitType: p.benefitType,
      benefitKind: p.benefitKind ?? null,
      ...(confirmBy ? { benefitConfirmBy: confirmBy.toISOString() } : {}),
    },
  });
  return { applicationId: row.id, registeredAt: at, benefitConfirmBy: confirmBy?.toISOString() ?? null };
}

/** The benefit's documents were checked (by `actor`, e.g. an operator): the benefit stays. */
export async function confirmBenefit(ctx: QueueContext, input: ConfirmBenefitInput): Promise<void> {
  const p = parse(confirmBenefitSchema, input);
  const now = ctx.clock.now();
  const at = now.toISOString();
  await inTransaction(ctx.db, async (trx) => {
    const app = await trx
      .selectFrom('applications')
      .select(['id', 'benefit_type', 'benefit_kind'])
      .where('id', '=', p.applicationId)
      .executeTakeFirst();
    if (!app) throw new QueueError('APPLICATION_NOT_FOUND', `No application ${p.applicationId}`);
    // The deadline is the pending job's; once passed, the benefit is gone even if the job
    // has not run yet (the portal was down), so a late confirmation cannot race it.
    const job = await trx
      .selectFrom('scheduler_jobs')
      .select('run_at')
      .where('kind', '=', JOB_BENEFIT_CONFIRMATION)
      .where('ref_id', '=', app.id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (job && job.run_at <= at) {
      throw new QueueError(
        'BENEFIT_CONFIRMATION_OVERDUE',
        `The benefit had to be confirmed by ${job.run_at}; the application returns to the general queue`,
      );
    }
    const confirmed = await trx
      .updateTable('applications')
      .set({ benefit_confirmed_at: at })
      .where('id', '=', app.id)
      .where('benefit_type', '!=', 'none')
      .where('benefit_confirmed_at', 'is', null)
      .executeTakeFirst();
    if (!changed(confirmed)) {
      throw new QueueError(
        'BENEFIT_NOT_AWAITING_CONFIRMATION',
        `Application ${app.id} has no benefit awaiting confirmation`,
      );
    }
    await cancelJob(trx, { kind: JOB_BENEFIT_CONFIRMATION, refId: app.id }, now);
    await recordHistory(trx, {
      applicationId: app.id,
      at,
      event: 'benefit_confirmed',
      status: null,
      actor: p.actor,
      details: { benefitType: app.benefit_type, benefitKind: app.benefit_kind },
    });
  });
}

/** The applicant withdraws the application from the queue, with a reason kept in the history. */
export async function dequeue(ctx: QueueContext, input: DequeueInput): Promise<void> {
  const p = parse(dequeueSchema, input);
  const now = ctx.clock.now();
  const at = now.toISOString();
  await inTransaction(ctx.db, async (trx) => {
    const app = await trx
      .selectFrom('applications as a')
      .innerJoin('applicants as p', 'p.id', 'a.applicant_id')
      .select(['a.id', 'a.status', 'a.applicant_id', 'p.iin'])
      .where('a.id', '=', p.applicationId)
      .executeTakeFirst();
    if (!app) throw new QueueError('APPLICATION_NOT_FOUND', `No application ${p.applicationId}`);
    if (app.iin !== p.applicantIin)
      throw new QueueError('NOT_YOUR_APPLICATION', 'The application belongs to another applicant');
    if (!(await setStatus(trx, app.id, ['in_queue', 'notification_sent'], 'dequeued', at))) {
      throw new QueueError('APPLICATION_NOT_IN_QUEUE', `Application ${app.id} is ${app.status}`);
    }
    await recordHistory(trx, {
      applicationId: app.id,
      at,
      event: 'dequeued',
      status: 'dequeued',
      actor: applicantActor(app.iin),
      details: { reason: p.reason },
    });
    await ctx.notifications.notify(trx, {
      kind: 'dequeued',
      applicationId: app.id,
      applicantId: app.applicant_id,
      at,
    });
    await releaseOffersOf(ctx, trx, app.id, null, now, await loadCalendar(trx), 'dequeued');
  });
}
