/**
 * The queue engine: vacancies → personal offers → referrals, and the deadlines around them.
 * Every operation is one transaction; every contested transition is a guarded UPDATE
 * (`... WHERE state = <expected>`), so of two racing requests exactly one changes the row and
 * the other sees zero rows and gets a typed QueueError (e.g. PLACE_TAKEN). On PostgreSQL the
 * loser blocks on the row lock, then re-checks the condition after the winner commits.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { addWorkingDays, loadCalendar, type WorkingCalendar } from '../calendar/working-days.ts';
import type { ApplicationStatus, BenefitType, DB, VacancyState } from '../db/schema.ts';
import type { Clock } from '../scheduler/clock.ts';
import {
  cancelJob,
  runDueJobs,
  scheduleJob,
  scheduleJobs,
  type JobHandler,
  type RunOptions,
  type RunResult,
} from '../scheduler/jobs.ts';
import { queueConfig, type QueueConfig } from './config.ts';
import { childrenPlacedElsewhere, loadCandidates, lockChildren, type Candidate } from './eligibility.ts';
import { QueueError, type CreateReferralRefusal, type EligibilityBlock } from './errors.ts';
import { applicantActor, kindergartenActor, recordHistory, SYSTEM_ACTOR } from './history.ts';
import { noNotifications, type NotificationSink } from './notifications.ts';
import { queueInOrder, type StreamEntry } from './queue-stream.ts';
import { inTransaction } from '../db/transactions.ts';
import { WITHDRAWABLE_VACANCY_STATES, type WithdrawableVacancyState } from '../../protocol/staff-api.ts';

export const JOB_OFFER_EXPIRY = 'offer_expiry';
export const JOB_REFERRAL_CONFIRM = 'referral_confirm_deadline';
export const JOB_BENEFIT_CONFIRMATION = 'benefit_confirmation';
export { WITHDRAWABLE_VACANCY_STATES, type WithdrawableVacancyState };

export function isWithdrawable(state: VacancyState): state is WithdrawableVacancyState {
  return (WITHDRAWABLE_VACANCY_STATES as readonly VacancyState[]).includes(state);
}

/** How many applications ahead eligibility is checked in one query while offering places. */
const ELIGIBILITY_WINDOW = 64;

export interface QueueEngineOptions {
  db: Kysely<DB>;
  clock: Clock;
  config?: Partial<QueueConfig>;
  notifications?: NotificationSink;
}

export interface PublishVacancyInput {
  /** BIN of the kindergarten publishing the place (from its legal-entity key). */
  bin: string;
  groupYear: number;
  category: string;
  placeType?: string;
}

export interface PublishResult {
  vacancyId: number;
  /** Application that got the personal offer, or null when nobody in the queue is eligible now. */
  offeredTo: number | null;
  offerId: number | null;
}

export interface ReferralResult {
  referralId: number;
  applicationId: number;
  kindergartenId: number;
  vacancyId: number;
  offerId: number;
  issuedAt: string;
  confirmBy: string;
}

export interface WithdrawVacancyInput {
  /** BIN of the kindergarten withdrawing the place (from its legal-entity key); only its own places. */
  bin: string;
  vacancyId: number;
  /** Why, kept in the history of an application whose offer it cancels. */
  reason: string;
}

export interface WithdrawVacancyResult {
  vacancyId: number;
  previousState: WithdrawableVacancyState;
  /** The application whose personal offer was cancelled (back in its queue place), or null. */
  returnedApplicationId: number | null;
}

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
}

export interface RegisteredApplication {
  applicationId: number;
  registeredAt: string;
  /** Deadline to confirm the benefit, or null without a benefit. */
  benefitConfirmBy: string | null;
}

const bin = z.string().regex(/^\d{12}$/, 'a BIN is 12 digits');
const id = z.number().int().positive();
const actor = z.string().trim().min(1).max(64);
const registerSchema = z
  .object({
    number: z.string().trim().min(1).max(64),
    applicantId: id,
    childId: id,
    category: z.string().min(1).max(64),
    groupYear: z.number().int().min(2000).max(2100),
    region: z.string().trim().min(1).max(200),
    benefitType: z.enum(['none', 'out_of_turn', 'priority']),
    benefitKind: z.string().trim().min(1).max(64).nullish(),
    guardianName: z.string().trim().min(1).max(200).nullish(),
  })
  .refine((a) => (a.benefitType === 'none') === (a.benefitKind == null), {
    message: 'a benefit kind goes with a benefit, and only with one',
  });
const publishSchema = z.object({
  bin,
  groupYear: z.number().int().min(2000).max(2100),
  category: z.string().min(1).max(64),
  placeType: z.string().min(1).max(64).optional(),
});
const referralSchema = z.object({
  applicationId: id,
  offerId: id,
  kindergartenId: id,
  actor: z.string().max(64).optional(),
});
const withdrawSchema = z.object({
  bin,
  vacancyId: id,
  reason: z.string().trim().min(3, 'a reason is required').max(500),
});
const dequeueSchema = z.object({
  applicationId: id,
  applicantIin: z.string().regex(/^\d{12}$/),
  reason: z.string().trim().min(1, 'a reason is required').max(500),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new QueueError('INVALID_INPUT', r.error.issues.map((i) => i.message).join('; '));
  return r.data;
}

function changed(result: { numUpdatedRows: bigint } | undefined): boolean {
  return (result?.numUpdatedRows ?? 0n) > 0n;
}

interface VacancyToOffer {
  id: number;
  kindergarten_id: number;
  group_year: number;
  category: string;
}

export type QueueEngine = ReturnType<typeof createQueueEngine>;

export function createQueueEngine(options: QueueEngineOptions) {
  const { db, clock } = options;
  const config = queueConfig(options.config);
  const notifications = options.notifications ?? noNotifications;

  async function setStatus(
    trx: Transaction<DB>,
    applicationId: number,
    from: readonly ApplicationStatus[],
    to: ApplicationStatus,
    at: string,
  ): Promise<boolean> {
    return changed(
      await trx
        .updateTable('applications')
        .set({ status: to, status_changed_at: at })
        .where('id', '=', applicationId)
        .where('status', 'in', from)
        .executeTakeFirst(),
    );
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
  async function offerPlaces(
    trx: Transaction<DB>,
    vacancies: readonly VacancyToOffer[],
    now: Date,
    calendar: WorkingCalendar,
  ): Promise<Map<number, { applicationId: number; offerId: number } | null>> {
    const at = now.toISOString();
    const expiresAt = addWorkingDays(now, config.offerWorkingDays, calendar).toISOString();
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
        const order = queueInOrder(trx, vacancy.group_year, vacancy.category, config.priorityEvery);
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
        await lockChildren(trx, part.map((p) => p.candidate.child_id));
        const elsewhere = await childrenPlacedElsewhere(trx, part.map((p) => p.candidate));
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
      await notifications.notify(trx, {
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

  async function kindergartenByBin(trx: Kysely<DB>, value: string): Promise<{ id: number; bin: string }> {
    const kg = await trx
      .selectFrom('kindergartens')
      .select(['id', 'bin'])
      .where('bin', '=', value)
      .executeTakeFirst();
    if (!kg) throw new QueueError('KINDERGARTEN_NOT_FOUND', `No kindergarten with BIN ${value}`);
    return kg;
  }

  /**
   * Cancels an active offer (guarded: false when it was accepted, lapsed or cancelled meanwhile)
   * and retires its expiry deadline; a personal offer's cancellation goes in its application's history.
   */
  async function cancelOffer(
    trx: Transaction<DB>,
    offer: { offerId: number; applicationId: number | null },
    now: Date,
    history: { status: ApplicationStatus | null; actor: string; details: Record<string, unknown> },
  ): Promise<boolean> {
    const cancelled = await trx
      .updateTable('offers')
      .set({ state: 'cancelled' })
      .where('id', '=', offer.offerId)
      .where('state', '=', 'active')
      .executeTakeFirst();
    if (!changed(cancelled)) return false;
    await cancelJob(trx, { kind: JOB_OFFER_EXPIRY, refId: offer.offerId }, now);
    if (offer.applicationId !== null) {
      await recordHistory(trx, {
        applicationId: offer.applicationId,
        at: now.toISOString(),
        event: 'offer_cancelled',
        status: history.status,
        actor: history.actor,
        details: { offerId: offer.offerId, ...history.details },
      });
    }
    return true;
  }

  /** Cancels the application's other active personal offers and offers those places onward. */
  async function releaseOffersOf(
    trx: Transaction<DB>,
    applicationId: number,
    exceptOfferId: number | null,
    now: Date,
    calendar: WorkingCalendar,
    reason: string,
  ): Promise<void> {
    const open = await trx
      .selectFrom('offers as o')
      .innerJoin('vacancies as v', 'v.id', 'o.vacancy_id')
      .select(['o.id as offerId', 'v.id', 'v.kindergarten_id', 'v.group_year', 'v.category'])
      .where('o.application_id', '=', applicationId)
      .where('o.kind', '=', 'personal')
      .where('o.state', '=', 'active')
      .execute();
    const released: VacancyToOffer[] = [];
    for (const o of open) {
      if (o.offerId === exceptOfferId) continue;
      const history = { status: null, actor: SYSTEM_ACTOR, details: { reason } };
      if (!(await cancelOffer(trx, { offerId: o.offerId, applicationId }, now, history))) continue;
      await trx
        .updateTable('vacancies')
        .set({ state: 'open' })
        .where('id', '=', o.id)
        .where('state', '=', 'offered')
        .execute();
      released.push({
        id: o.id,
        kindergarten_id: o.kindergarten_id,
        group_year: o.group_year,
        category: o.category,
      });
    }
    if (released.length > 0) await offerPlaces(trx, released, now, calendar);
  }

  async function publishVacancies(inputs: readonly PublishVacancyInput[]): Promise<PublishResult[]> {
    const parsed = inputs.map((i) => parse(publishSchema, i));
    const now = clock.now();
    const at = now.toISOString();
    return inTransaction(db, async (trx) => {
      const calendar = await loadCalendar(trx);
      const kgs = new Map<string, { id: number; categories: Set<string> }>();
      for (const bin of new Set(parsed.map((p) => p.bin))) {
        const kg = await kindergartenByBin(trx, bin);
        const cats = await trx
          .selectFrom('kindergarten_categories')
          .select('category')
          .where('kindergarten_id', '=', kg.id)
          .execute();
        kgs.set(bin, { id: kg.id, categories: new Set(cats.map((c) => c.category)) });
      }
      const created: VacancyToOffer[] = [];
      for (const p of parsed) {
        const kg = kgs.get(p.bin) as { id: number; categories: Set<string> };
        if (!kg.categories.has(p.category)) {
          throw new QueueError('CATEGORY_NOT_SERVED', `Kindergarten ${p.bin} has no ${p.category} groups`);
        }
        const row = await trx
          .insertInto('vacancies')
          .values({
            kindergarten_id: kg.id,
            group_year: p.groupYear,
            category: p.category,
            place_type: p.placeType ?? 'general',
            published_at: at,
            state: 'open',
            taken_by_application_id: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        created.push({ id: row.id, kindergarten_id: kg.id, group_year: p.groupYear, category: p.category });
      }
      const offers = await offerPlaces(trx, created, now, calendar);
      return created.map((v) => {
        const o = offers.get(v.id) ?? null;
        return { vacancyId: v.id, offeredTo: o?.applicationId ?? null, offerId: o?.offerId ?? null };
      });
    });
  }

  async function publishVacancy(input: PublishVacancyInput): Promise<PublishResult> {
    const [result] = await publishVacancies([input]);
    return result as PublishResult;
  }

  /**
   * The kindergarten withdraws a place it published (rule: WITHDRAWABLE_VACANCY_STATES). The
   * guarded UPDATE decides a race with a referral for the same place: one of them wins, the other
   * gets VACANCY_TAKEN or PLACE_TAKEN. An offer cancelled here notifies its applicant.
   */
  async function withdrawVacancy(input: WithdrawVacancyInput): Promise<WithdrawVacancyResult> {
    const p = parse(withdrawSchema, input);
    const now = clock.now();
    const at = now.toISOString();
    return inTransaction(db, async (trx) => {
      const kg = await kindergartenByBin(trx, p.bin);
      const notFound = () => new QueueError('VACANCY_NOT_FOUND', `No vacancy ${p.vacancyId} of kindergarten ${kg.bin}`);
      const withdrawn = await trx
        .updateTable('vacancies')
        .set({ state: 'withdrawn' })
        .where('id', '=', p.vacancyId)
        .where('kindergarten_id', '=', kg.id)
        .where('state', 'in', WITHDRAWABLE_VACANCY_STATES)
        .executeTakeFirst();
      if (!changed(withdrawn)) {
        const v = await trx
          .selectFrom('vacancies')
          .select('state')
          .where('id', '=', p.vacancyId)
          .where('kindergarten_id', '=', kg.id)
          .executeTakeFirst();
        if (!v) throw notFound();
        if (v.state === 'withdrawn')
          throw new QueueError('VACANCY_ALREADY_WITHDRAWN', `Vacancy ${p.vacancyId} is already withdrawn`);
        throw new QueueError('VACANCY_TAKEN', `Vacancy ${p.vacancyId} is taken by a referral; it cannot be withdrawn`);
      }
      // What the place was is what its active offer says: a personal offer, free choice, or none.
      const offers = await trx
        .selectFrom('offers as o')
        .leftJoin('applications as a', 'a.id', 'o.application_id')
        .select(['o.id', 'o.kind', 'o.application_id', 'a.applicant_id'])
        .where('o.vacancy_id', '=', p.vacancyId)
        .where('o.state', '=', 'active')
        .execute();
      let previousState: WithdrawableVacancyState = 'open';
      let returnedApplicationId: number | null = null;
      for (const o of offers) {
        if (o.kind === 'free_choice') {
          previousState = 'free_choice';
          await cancelOffer(trx, { offerId: o.id, applicationId: null }, now, {
            status: null,
            actor: kindergartenActor(kg.bin),
            details: {},
          });
          continue;
        }
        previousState = 'offered';
        if (o.application_id === null || o.applicant_id === null) continue;
        const history = {
          status: 'in_queue' as const,
          actor: kindergartenActor(kg.bin),
          details: { vacancyId: p.vacancyId, reason: 'vacancy withdrawn by the kindergarten', note: p.reason },
        };
        if (!(await cancelOffer(trx, { offerId: o.id, applicationId: o.application_id }, now, history))) continue;
        await setStatus(trx, o.application_id, ['notification_sent'], 'in_queue', at);
        returnedApplicationId = o.application_id;
        await notifications.notify(trx, {
          kind: 'offer_withdrawn',
          applicationId: o.application_id,
          applicantId: o.applicant_id,
          at,
          offerId: o.id,
          kindergartenId: kg.id,
        });
      }
      return { vacancyId: p.vacancyId, previousState, returnedApplicationId };
    });
  }

  /** Takes the place of `offerId` for `applicationId`: personal offers by their addressee, free choice by any eligible child of the group year. */
  async function createReferral(input: {
    applicationId: number;
    offerId: number;
    kindergartenId: number;
    actor?: string;
  }): Promise<ReferralResult> {
    const p = parse(referralSchema, input);
    const now = clock.now();
    const at = now.toISOString();
    return inTransaction(db, async (trx) => {
      const calendar = await loadCalendar(trx);
      const offer = await trx
        .selectFrom('offers as o')
        .innerJoin('vacancies as v', 'v.id', 'o.vacancy_id')
        .select([
          'o.id',
          'o.kind',
          'o.state',
          'o.application_id',
          'v.id as vacancy_id',
          'v.kindergarten_id',
          'v.group_year',
          'v.category',
        ])
        .where('o.id', '=', p.offerId)
        .executeTakeFirst();
      if (!offer) throw referralRefused('OFFER_NOT_FOUND', `No offer ${p.offerId}`);
      if (offer.kindergarten_id !== p.kindergartenId) {
        throw referralRefused('WRONG_KINDERGARTEN', `Offer ${p.offerId} is for another kindergarten`);
      }
      if (offer.kind === 'personal' && offer.application_id !== p.applicationId) {
        throw referralRefused(
          'OFFER_NOT_FOR_APPLICATION',
          `Offer ${p.offerId} was made to another application`,
        );
      }
      if (offer.state !== 'active') {
        if (offer.kind === 'free_choice' && offer.state === 'accepted') {
          throw referralRefused('PLACE_TAKEN', 'This place has just been taken by another applicant');
        }
        throw referralRefused('OFFER_NOT_ACTIVE', `Offer ${p.offerId} is ${offer.state}`);
      }
      const app = await trx
        .selectFrom('applications')
        .select(['id', 'applicant_id', 'child_id', 'group_year', 'status'])
        .where('id', '=', p.applicationId)
        .executeTakeFirst();
      if (!app) throw referralRefused('APPLICATION_NOT_FOUND', `No application ${p.applicationId}`);
      if (offer.kind === 'free_choice' && app.group_year !== offer.group_year) {
        throw referralRefused('WRONG_GROUP_YEAR', `The place is for group year ${offer.group_year}`);
      }
      // Re-checked at referral time too: e.g. a child enrolled elsewhere since the offer gets no referral.
      // The child's row is locked first, so a concurrent placement of the same child is seen.
      await lockChildren(trx, [app.child_id]);
      const [candidate] = await loadCandidates(
        trx,
        { applicationId: app.id, placeCategory: offer.category },
        now,
      );
      if (!candidate)
        throw referralRefused('APPLICATION_NOT_IN_QUEUE', `Application ${app.id} is ${app.status}`);
      if (candidate.blocked) throw referralRefused(candidate.blocked, blockedMessage(candidate.blocked));
      const taken = await trx
        .updateTable('vacancies')
        .set({ state: 'taken', taken_by_application_id: app.id })
        .where('id', '=', offer.vacancy_id)
        .where('state', '=', offer.kind === 'personal' ? 'offered' : 'free_choice')
        .executeTakeFirst();
      if (!changed(taken))
        throw referralRefused('PLACE_TAKEN', 'This place has just been taken by another applicant');
      const allowed: ApplicationStatus[] =
        offer.kind === 'personal' ? ['notification_sent'] : ['in_queue', 'notification_sent'];
      if (!(await setStatus(trx, app.id, allowed, 'referral_issued', at))) {
        throw referralRefused('APPLICATION_NOT_IN_QUEUE', `Application ${app.id} can no longer take a place`);
      }
      const accepted = await trx
        .updateTable('offers')
        .set({ state: 'accepted' })
        .where('id', '=', offer.id)
        .where('state', '=', 'active')
        .executeTakeFirst();
      if (!changed(accepted))
        throw referralRefused('PLACE_TAKEN', 'This place has just been taken by another applicant');
      if (offer.kind === 'personal') await cancelJob(trx, { kind: JOB_OFFER_EXPIRY, refId: offer.id }, now);
      const confirmBy = addWorkingDays(now, config.referralConfirmWorkingDays, calendar);
      const referral = await trx
        .insertInto('referrals')
        .values({
          application_id: app.id,
          kindergarten_id: offer.kindergarten_id,
          vacancy_id: offer.vacancy_id,
          offer_id: offer.id,
          issued_at: at,
          confirm_by: confirmBy.toISOString(),
          state: 'issued',
          state_changed_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await scheduleJob(trx, { kind: JOB_REFERRAL_CONFIRM, refId: referral.id, runAt: confirmBy }, now);
      await recordHistory(trx, {
        applicationId: app.id,
        at,
        event: 'referral_issued',
        status: 'referral_issued',
        actor: p.actor ?? SYSTEM_ACTOR,
        details: {
          referralId: referral.id,
          offerId: offer.id,
          kindergartenId: offer.kindergarten_id,
          confirmBy: confirmBy.toISOString(),
        },
      });
      await notifications.notify(trx, {
        kind: 'referral_issued',
        applicationId: app.id,
        applicantId: app.applicant_id,
        at,
        offerId: offer.id,
        referralId: referral.id,
        kindergartenId: offer.kindergarten_id,
        deadline: confirmBy.toISOString(),
      });
      await releaseOffersOf(trx, app.id, offer.id, now, calendar, 'took another place');
      return {
        referralId: referral.id,
        applicationId: app.id,
        kindergartenId: offer.kindergarten_id,
        vacancyId: offer.vacancy_id,
        offerId: offer.id,
        issuedAt: at,
        confirmBy: confirmBy.toISOString(),
      };
    });
  }

  /** The kindergarten (by its BIN) confirms the child arrived: enrolled there. */
  async function confirmArrival(input: { bin: string; referralId: number }): Promise<void> {
    const p = parse(z.object({ bin, referralId: id }), input);
    const now = clock.now();
    const at = now.toISOString();
    await inTransaction(db, async (trx) => {
      const kg = await kindergartenByBin(trx, p.bin);
      const referral = await trx
        .selectFrom('referrals as r')
        .innerJoin('applications as a', 'a.id', 'r.application_id')
        .select(['r.id', 'r.kindergarten_id', 'r.application_id', 'a.child_id', 'a.applicant_id'])
        .where('r.id', '=', p.referralId)
        .executeTakeFirst();
      if (!referral) throw new QueueError('REFERRAL_NOT_FOUND', `No referral ${p.referralId}`);
      if (referral.kindergarten_id !== kg.id)
        throw new QueueError('WRONG_KINDERGARTEN', 'The referral is to another kindergarten');
      const confirmed = await trx
        .updateTable('referrals')
        .set({ state: 'confirmed', state_changed_at: at })
        .where('id', '=', referral.id)
        .where('state', '=', 'issued')
        .executeTakeFirst();
      if (!changed(confirmed))
        throw new QueueError('REFERRAL_NOT_ISSUED', 'The referral is no longer waiting for confirmation');
      await cancelJob(trx, { kind: JOB_REFERRAL_CONFIRM, refId: referral.id }, now);
      await setStatus(trx, referral.application_id, ['referral_issued'], 'enrolled', at);
      await trx
        .updateTable('children')
        .set({ enrolled_in: kg.id })
        .where('id', '=', referral.child_id)
        .execute();
      await recordHistory(trx, {
        applicationId: referral.application_id,
        at,
        event: 'referral_confirmed',
        status: 'enrolled',
        actor: kindergartenActor(kg.bin),
        details: { referralId: referral.id },
      });
      await notifications.notify(trx, {
        kind: 'referral_confirmed',
        applicationId: referral.application_id,
        applicantId: referral.applicant_id,
        at,
        referralId: referral.id,
        kindergartenId: kg.id,
      });
    });
  }

  /** The kindergarten (by its BIN) marks a child as left; the child may then get a referral elsewhere. */
  async function markChildLeft(input: { bin: string; childIin: string }): Promise<void> {
    const p = parse(z.object({ bin, childIin: z.string().regex(/^\d{12}$/) }), input);
    const at = clock.now().toISOString();
    await inTransaction(db, async (trx) => {
      const kg = await kindergartenByBin(trx, p.bin);
      const child = await trx
        .selectFrom('children')
        .select(['id', 'enrolled_in'])
        .where('iin', '=', p.childIin)
        .executeTakeFirst();
      if (!child) throw new QueueError('CHILD_NOT_FOUND', 'No child with this IIN');
      const left = await trx
        .updateTable('children')
        .set({ enrolled_in: null })
        .where('id', '=', child.id)
        .where('enrolled_in', '=', kg.id)
        .executeTakeFirst();
      if (!changed(left))
        throw new QueueError('CHILD_NOT_ENROLLED_HERE', 'The child is not enrolled in this kindergarten');
      const referrals = await trx
        .selectFrom('referrals as r')
        .innerJoin('applications as a', 'a.id', 'r.application_id')
        .select(['r.id', 'r.application_id'])
        .where('a.child_id', '=', child.id)
        .where('r.kindergarten_id', '=', kg.id)
        .where('r.state', '=', 'confirmed')
        .execute();
      for (const r of referrals) {
        await trx
          .updateTable('referrals')
          .set({ state: 'left', state_changed_at: at })
          .where('id', '=', r.id)
          .execute();
        await setStatus(trx, r.application_id, ['enrolled'], 'left', at);
        await recordHistory(trx, {
          applicationId: r.application_id,
          at,
          event: 'child_left',
          status: 'left',
          actor: kindergartenActor(kg.bin),
          details: { referralId: r.id },
        });
      }
    });
  }

  /**
   * Puts an application in the queue, registered now. A benefit starts unconfirmed: unless
   * confirmed within `benefitConfirmWorkingDays` it is dropped (onBenefitDeadline).
   */
  async function registerApplication(input: RegisterApplicationInput): Promise<RegisteredApplication> {
    const p = parse(registerSchema, input);
    const now = clock.now();
    const at = now.toISOString();
    return inTransaction(db, async (trx) => {
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
          extra_email: null,
          extra_phone: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      let confirmBy: Date | null = null;
      if (p.benefitType !== 'none') {
        confirmBy = addWorkingDays(now, config.benefitConfirmWorkingDays, await loadCalendar(trx));
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
    });
  }

  /** The benefit's documents were checked (by `actor`, e.g. an operator): the benefit stays. */
  async function confirmBenefit(input: { applicationId: number; actor: string }): Promise<void> {
    const p = parse(z.object({ applicationId: id, actor }), input);
    const now = clock.now();
    const at = now.toISOString();
    await inTransaction(db, async (trx) => {
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
  async function dequeue(input: {
    applicationId: number;
    applicantIin: string;
    reason: string;
  }): Promise<void> {
    const p = parse(dequeueSchema, input);
    const now = clock.now();
    const at = now.toISOString();
    await inTransaction(db, async (trx) => {
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
      await notifications.notify(trx, {
        kind: 'dequeued',
        applicationId: app.id,
        applicantId: app.applicant_id,
        at,
      });
      await releaseOffersOf(trx, app.id, null, now, await loadCalendar(trx), 'dequeued');
    });
  }

  /** Offer lapsed unanswered: the applicant keeps their place; the place opens for free choice. */
  const onOfferExpiry: JobHandler = async (trx, job, now) => {
    const at = now.toISOString();
    const offer = await trx
      .selectFrom('offers as o')
      .innerJoin('applications as a', 'a.id', 'o.application_id')
      .select(['o.id', 'o.vacancy_id', 'o.application_id', 'a.applicant_id'])
      .where('o.id', '=', job.ref_id)
      .executeTakeFirst();
    if (!offer || offer.application_id === null) return;
    const lapsed = await trx
      .updateTable('offers')
      .set({ state: 'lapsed' })
      .where('id', '=', offer.id)
      .where('state', '=', 'active')
      .executeTakeFirst();
    if (!changed(lapsed)) return; // accepted or cancelled in time
    await setStatus(trx, offer.application_id, ['notification_sent'], 'in_queue', at);
    await recordHistory(trx, {
      applicationId: offer.application_id,
      at,
      event: 'offer_lapsed',
      status: 'in_queue',
      actor: SYSTEM_ACTOR,
      details: { offerId: offer.id, deadline: job.run_at },
    });
    await notifications.notify(trx, {
      kind: 'offer_lapsed',
      applicationId: offer.application_id,
      applicantId: offer.applicant_id,
      at,
      offerId: offer.id,
    });
    const opened = await trx
      .updateTable('vacancies')
      .set({ state: 'free_choice' })
      .where('id', '=', offer.vacancy_id)
      .where('state', '=', 'offered')
      .executeTakeFirst();
    if (changed(opened)) {
      await trx
        .insertInto('offers')
        .values({
          vacancy_id: offer.vacancy_id,
          application_id: null,
          kind: 'free_choice',
          created_at: at,
          expires_at: null,
          state: 'active',
        })
        .execute();
    }
  };

  /** Referral not confirmed in time: cancelled, 10-day stop list, back in the queue; the place goes to the next child. */
  const onReferralDeadline: JobHandler = async (trx, job, now) => {
    const at = now.toISOString();
    const referral = await trx
      .selectFrom('referrals as r')
      .innerJoin('applications as a', 'a.id', 'r.application_id')
      .innerJoin('vacancies as v', 'v.id', 'r.vacancy_id')
      .select([
        'r.id',
        'r.application_id',
        'r.confirm_by',
        'a.child_id',
        'a.applicant_id',
        'v.id as vacancy_id',
        'v.kindergarten_id',
        'v.group_year',
        'v.category',
      ])
      .where('r.id', '=', job.ref_id)
      .executeTakeFirst();
    if (!referral) return;
    const cancelled = await trx
      .updateTable('referrals')
      .set({ state: 'cancelled', state_changed_at: at })
      .where('id', '=', referral.id)
      .where('state', '=', 'issued')
      .executeTakeFirst();
    if (!changed(cancelled)) return; // confirmed in time
    // The stop list runs from the missed deadline, even when the portal was down at that moment.
    const until = new Date(Date.parse(referral.confirm_by) + config.stopListDays * 86_400_000);
    await trx
      .insertInto('stop_list')
      .values({
        child_id: referral.child_id,
        application_id: referral.application_id,
        reason: 'referral_not_confirmed',
        created_at: at,
        until: until.toISOString(),
      })
      .execute();
    await setStatus(trx, referral.application_id, ['referral_issued'], 'in_queue', at);
    await recordHistory(trx, {
      applicationId: referral.application_id,
      at,
      event: 'referral_cancelled',
      status: 'in_queue',
      actor: SYSTEM_ACTOR,
      details: {
        referralId: referral.id,
        confirmBy: referral.confirm_by,
        stopListUntil: until.toISOString(),
      },
    });
    await notifications.notify(trx, {
      kind: 'referral_cancelled',
      applicationId: referral.application_id,
      applicantId: referral.applicant_id,
      at,
      referralId: referral.id,
      kindergartenId: referral.kindergarten_id,
      deadline: until.toISOString(),
    });
    const reopened = await trx
      .updateTable('vacancies')
      .set({ state: 'open', taken_by_application_id: null })
      .where('id', '=', referral.vacancy_id)
      .where('state', '=', 'taken')
      .executeTakeFirst();
    if (changed(reopened)) {
      await offerPlaces(
        trx,
        [
          {
            id: referral.vacancy_id,
            kindergarten_id: referral.kindergarten_id,
            group_year: referral.group_year,
            category: referral.category,
          },
        ],
        now,
        await loadCalendar(trx),
      );
    }
  };

  /**
   * Benefit not confirmed in time: the application returns to the general queue, keeping its
   * registration date (so it lands where a general application of that date stands).
   * An offer or referral it already holds stays. The applicant is told (SMS / e-mail, feed).
   */
  const onBenefitDeadline: JobHandler = async (trx, job, now) => {
    const at = now.toISOString();
    const app = await trx
      .selectFrom('applications')
      .select(['id', 'applicant_id', 'benefit_type', 'benefit_kind', 'registered_at'])
      .where('id', '=', job.ref_id)
      .executeTakeFirst();
    if (!app) return;
    const dropped = await trx
      .updateTable('applications')
      .set({ benefit_type: 'none', benefit_kind: null })
      .where('id', '=', app.id)
      .where('benefit_type', '!=', 'none')
      .where('benefit_confirmed_at', 'is', null)
      .executeTakeFirst();
    if (!changed(dropped)) return; // confirmed in time
    await recordHistory(trx, {
      applicationId: app.id,
      at,
      event: 'benefit_lapsed',
      status: null,
      actor: SYSTEM_ACTOR,
      details: {
        reason: `benefit not confirmed within ${config.benefitConfirmWorkingDays} working days: back in the general queue with the original registration date`,
        benefitType: app.benefit_type,
        benefitKind: app.benefit_kind,
        confirmBy: job.run_at,
        registeredAt: app.registered_at,
      },
    });
    await notifications.notify(trx, {
      kind: 'benefit_lapsed',
      applicationId: app.id,
      applicantId: app.applicant_id,
      at,
      deadline: job.run_at,
    });
  };

  const jobHandlers: Readonly<Record<string, JobHandler>> = {
    [JOB_OFFER_EXPIRY]: onOfferExpiry,
    [JOB_REFERRAL_CONFIRM]: onReferralDeadline,
    [JOB_BENEFIT_CONFIRMATION]: onBenefitDeadline,
  };

  /** Offers 'open' vacancies (nobody was eligible when published) to whoever is eligible now. */
  async function reofferOpenVacancies(): Promise<number> {
    const now = clock.now();
    return inTransaction(db, async (trx) => {
      const open = await trx
        .selectFrom('vacancies')
        .select(['id', 'kindergarten_id', 'group_year', 'category'])
        .where('state', '=', 'open')
        .execute();
      if (open.length === 0) return 0;
      const offered = await offerPlaces(trx, open, now, await loadCalendar(trx));
      return [...offered.values()].filter((o) => o !== null).length;
    });
  }

  return {
    config,
    jobHandlers,
    publishVacancy,
    publishVacancies,
    withdrawVacancy,
    createReferral,
    confirmArrival,
    markChildLeft,
    dequeue,
    registerApplication,
    confirmBenefit,
    reofferOpenVacancies,
    /** Runs every deadline due by the engine's clock (catching up after downtime). */
    runDueJobs: (opts?: RunOptions): Promise<RunResult> => runDueJobs(db, clock.now(), jobHandlers, opts),
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * createReferral's refusals: typed with CREATE_REFERRAL_REFUSALS, the list the applicant's app
 * translates, so a new refusal there is a compile error until it joins that list.
 */
function referralRefused(code: CreateReferralRefusal, message: string): QueueError {
  return new QueueError(code, message);
}

function blockedMessage(code: EligibilityBlock): string {
  switch (code) {
    case 'CHILD_ENROLLED':
      return 'The child is enrolled in another preschool; it must first mark the child as left';
    case 'STOP_LISTED':
      return 'The child is on the stop list after an unconfirmed referral';
    case 'CHILD_ALREADY_PLACED':
      return 'The child already holds an offer or a referral';
    case 'NO_VALID_PMPK':
      return 'The child has no valid PMPK conclusion for this category';
    default:
      return code;
  }
}
