/**
 * The queue engine: vacancies → personal offers → referrals, and the deadlines around them. This
 * is its face: every command of the modules below bound to one QueueContext (db, clock, config,
 * notifications). Every command is one transaction; every contested transition is a guarded
 * UPDATE (transitions.ts), so of two racing requests exactly one wins and the other gets a typed
 * QueueError (e.g. PLACE_TAKEN).
 *
 * - applications.ts  registerApplication, confirmBenefit, dequeue
 * - vacancies.ts     publishVacancy(ies), withdrawVacancy, reofferOpenVacancies
 * - referrals.ts     createReferral, confirmArrival, markChildLeft
 * - allocation.ts    who each place is offered to (used by the commands above)
 * - offers.ts        cancelling and releasing personal offers
 * - deadlines.ts     the scheduler's job handlers (offer expiry, referral and benefit deadlines)
 * - yearly-update.ts the yearly queue update (a scheduler job per year)
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { runDueJobs, type RunOptions, type RunResult } from '../scheduler/jobs.ts';
import {
  confirmBenefit,
  dequeue,
  registerApplication,
  registerApplicationIn,
  type ConfirmBenefitInput,
  type DequeueInput,
  type RegisterApplicationInput,
} from './applications.ts';
import { queueContext, type QueueContextOptions } from './context.ts';
import { deadlineHandlers } from './deadlines.ts';
import { JOB_GROUP_MOVES, JOB_GROUP_MOVES_RETRY, JOB_PMPK_EXPIRED, JOB_PMPK_EXPIRY_REMINDER, JOB_YEARLY_UPDATE } from './job-kinds.ts';
import { moveToGroup, onGroupMoves, onGroupMovesRetry } from './age-groups.ts';
import { onPmpkExpired, onPmpkExpiryReminder } from './pmpk-expiry.ts';
import { onYearlyUpdate } from './yearly-update.ts';
import {
  confirmArrival,
  createReferral,
  markChildLeft,
  type ChildLeftInput,
  type ConfirmArrivalInput,
  type CreateReferralInput,
} from './referrals.ts';
import {
  publishVacancies,
  publishVacancy,
  reofferOpenVacancies,
  withdrawVacancy,
  type PublishVacancyInput,
  type WithdrawVacancyInput,
} from './vacancies.ts';

export type {
  ConfirmBenefitInput,
  DequeueInput,
  RegisterApplicationInput,
  RegisteredApplication,
} from './applications.ts';
export type {
  ChildLeftInput,
  ConfirmArrivalInput,
  CreateReferralInput,
  ReferralResult,
} from './referrals.ts';
export {
  isWithdrawable,
  type PublishResult,
  type PublishVacancyInput,
  type WithdrawVacancyInput,
  type WithdrawVacancyResult,
} from './vacancies.ts';

export type QueueEngineOptions = QueueContextOptions;
export type QueueEngine = ReturnType<typeof createQueueEngine>;

export function createQueueEngine(options: QueueEngineOptions) {
  const ctx = queueContext(options);
  const jobHandlers = {
    ...deadlineHandlers(ctx),
    [JOB_YEARLY_UPDATE]: onYearlyUpdate(ctx),
    [JOB_GROUP_MOVES]: onGroupMoves(ctx),
    [JOB_GROUP_MOVES_RETRY]: onGroupMovesRetry(ctx),
    [JOB_PMPK_EXPIRY_REMINDER]: onPmpkExpiryReminder(ctx),
    [JOB_PMPK_EXPIRED]: onPmpkExpired(ctx),
  };
  return {
    config: ctx.config,
    /** The job handlers by kind (deadlines, the yearly update), for the scheduler to run (startScheduler's `handlers`). */
    jobHandlers,
    publishVacancy: (input: PublishVacancyInput) => publishVacancy(ctx, input),
    publishVacancies: (inputs: readonly PublishVacancyInput[]) => publishVacancies(ctx, inputs),
    withdrawVacancy: (input: WithdrawVacancyInput) => withdrawVacancy(ctx, input),
    createReferral: (input: CreateReferralInput) => createReferral(ctx, input),
    confirmArrival: (input: ConfirmArrivalInput) => confirmArrival(ctx, input),
    markChildLeft: (input: ChildLeftInput) => markChildLeft(ctx, input),
    /** Staff move an enrolled child into one of the kindergarten's groups with a free place. */
    moveToGroup: (input: Parameters<typeof moveToGroup>[1]) => moveToGroup(ctx, input),
    dequeue: (input: DequeueInput) => dequeue(ctx, input),
    registerApplication: (input: RegisterApplicationInput) => registerApplication(ctx, input),
    /** registerApplication in the caller's transaction. */
    registerApplicationIn: (trx: Kysely<DB>, input: RegisterApplicationInput) => registerApplicationIn(ctx, trx, input),
    confirmBenefit: (input: ConfirmBenefitInput) => confirmBenefit(ctx, input),
    reofferOpenVacancies: () => reofferOpenVacancies(ctx),
    /** Runs every deadline due by the engine's clock (catching up after downtime). */
    runDueJobs: (opts?: RunOptions): Promise<RunResult> =>
      runDueJobs(ctx.db, ctx.clock.now(), jobHandlers, opts),
  };
}
