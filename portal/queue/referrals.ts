/** Referrals: a place taken on an offer, its confirmation by the kindergarten, and the child leaving. */
import { z } from 'zod';
import { addWorkingDays, loadCalendar } from '../calendar/working-days.ts';
import type { ApplicationStatus } from '../db/schema.ts';
import { inTransaction } from '../db/transactions.ts';
import { cancelJob, scheduleJob } from '../scheduler/jobs.ts';
import { placeInAgeGroup } from './age-groups.ts';
import type { QueueContext } from './context.ts';
import { loadCandidates, lockChildren } from './eligibility.ts';
import { QueueError, type CreateReferralRefusal, type EligibilityBlock } from './errors.ts';
import { kindergartenActor, recordHistory, SYSTEM_ACTOR } from './history.ts';
import { binSchema, iinSchema, idSchema, parse } from './input.ts';
import { JOB_OFFER_EXPIRY, JOB_REFERRAL_CONFIRM } from './job-kinds.ts';
import { kindergartenByBin } from './kindergartens.ts';
import { releaseOffersOf } from './offers.ts';
import { changed, setStatus } from './transitions.ts';

export interface ReferralResult {
  referralId: number;
  applicationId: number;
  kindergartenId: number;
  vacancyId: number;
  offerId: number;
  issuedAt: string;
  confirmBy: string;
}

const referralSchema = z.object({
  applicationId: idSchema,
  offerId: idSchema,
  kindergartenId: idSchema,
  actor: z.string().max(64).optional(),
});
const confirmArrivalSchema = z.object({ bin: binSchema, referralId: idSchema });
const childLeftSchema = z.object({ bin: binSchema, childIin: iinSchema });

export type CreateReferralInput = z.infer<typeof referralSchema>;
export type ConfirmArrivalInput = z.infer<typeof confirmArrivalSchema>;
export type ChildLeftInput = z.infer<typeof childLeftSchema>;

/** Takes the place of `offerId` for `applicationId`: personal offers by their addressee, free choice by any eligible child of the group year. */
export async function createReferral(ctx: QueueContext, input: CreateReferralInput): Promise<ReferralResult> {
  const p = parse(referralSchema, input);
  const now = ctx.clock.now();
  const at = now.toISOString();
  return inTransaction(ctx.db, async (trx) => {
    const calendar = await loadCalendar(trx);
    const offer = await trx
      .selectFrom('offers as o')
      .innerJoin('vacancies as v', 'v.id', 'o.vacancy_id')
      .select([
        'o.id',
        'o.kind',
        'o.state',
        'o.expires_at',
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
    // The offer's own deadline, against the clock: lapsed is lapsed, whether or not the
    // scheduler has tidied it up yet (it may be minutes or, after downtime, days behind).
    if (offer.expires_at !== null && offer.expires_at <= at) {
      throw referralRefused('OFFER_NOT_ACTIVE', `Offer ${p.offerId} expired at ${offer.expires_at}`);
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
    const confirmBy = addWorkingDays(now, ctx.config.referralConfirmWorkingDays, calendar);
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
    await ctx.notifications.notify(trx, {
      kind: 'referral_issued',
      applicationId: app.id,
      applicantId: app.applicant_id,
      at,
      offerId: offer.id,
      referralId: referral.id,
      kindergartenId: offer.kindergarten_id,
      deadline: confirmBy.toISOString(),
    });
    await releaseOffersOf(ctx, trx, app.id, offer.id, now, calendar, 'took another place');
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
export async function confirmArrival(ctx: QueueContext, input: ConfirmArrivalInput): Promise<void> {
  const p = parse(confirmArrivalSchema, input);
  const now = ctx.clock.now();
  const at = now.toISOString();
  await inTransaction(ctx.db, async (trx) => {
    const kg = await kindergartenByBin(trx, p.bin);
    const referral = await trx
      .selectFrom('referrals as r')
      .innerJoin('applications as a', 'a.id', 'r.application_id')
      .innerJoin('children as c', 'c.id', 'a.child_id')
      .innerJoin('vacancies as v', 'v.id', 'r.vacancy_id')
      .select([
        'r.id',
        'r.kindergarten_id',
        'r.application_id',
        'r.state',
        'r.confirm_by',
        'a.child_id',
        'a.applicant_id',
        'c.birth_date',
        'v.category',
      ])
      .where('r.id', '=', p.referralId)
      .executeTakeFirst();
    if (!referral) throw new QueueError('REFERRAL_NOT_FOUND', `No referral ${p.referralId}`);
    if (referral.kindergarten_id !== kg.id)
      throw new QueueError('WRONG_KINDERGARTEN', 'The referral is to another kindergarten');
    // The referral's own deadline, against the clock, whether or not the scheduler has run yet.
    const confirmed = await trx
      .updateTable('referrals')
      .set({ state: 'confirmed', state_changed_at: at })
      .where('id', '=', referral.id)
      .where('state', '=', 'issued')
      .where('confirm_by', '>', at)
      .executeTakeFirst();
    if (!changed(confirmed)) {
      if (referral.state === 'issued' && referral.confirm_by <= at) {
        throw new QueueError(
          'REFERRAL_CONFIRMATION_OVERDUE',
          `The arrival had to be confirmed by ${referral.confirm_by}; the referral lapses`,
        );
      }
      throw new QueueError('REFERRAL_NOT_ISSUED', 'The referral is no longer waiting for confirmation');
    }
    await cancelJob(trx, { kind: JOB_REFERRAL_CONFIRM, refId: referral.id }, now);
    await setStatus(trx, referral.application_id, ['referral_issued'], 'enrolled', at);
    await trx
      .updateTable('children')
      .set({ enrolled_in: kg.id })
      .where('id', '=', referral.child_id)
      .execute();
    await placeInAgeGroup(trx, { id: referral.child_id, birthDate: referral.birth_date }, kg.id, referral.category, now);
    await recordHistory(trx, {
      applicationId: referral.application_id,
      at,
      event: 'referral_confirmed',
      status: 'enrolled',
      actor: kindergartenActor(kg.bin),
      details: { referralId: referral.id },
    });
    await ctx.notifications.notify(trx, {
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
export async function markChildLeft(ctx: QueueContext, input: ChildLeftInput): Promise<void> {
  const p = parse(childLeftSchema, input);
  const at = ctx.clock.now().toISOString();
  await inTransaction(ctx.db, async (trx) => {
    const kg = await kindergartenByBin(trx, p.bin);
    const child = await trx
      .selectFrom('children')
      .select(['id', 'enrolled_in'])
      .where('iin', '=', p.childIin)
      .executeTakeFirst();
    if (!child) throw new QueueError('CHILD_NOT_FOUND', 'No child with this IIN');
    const left = await trx
      .updateTable('children')
      .set({ enrolled_in: null, group_id: null })
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
