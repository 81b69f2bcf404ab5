/**
 * The queue's deadlines, run by the durable scheduler (scheduler/jobs.ts) once due, however late:
 * an unanswered offer lapses, an unconfirmed referral is cancelled, an unconfirmed benefit is
 * dropped. Each handler re-checks its row with a guarded UPDATE, so an action taken in time wins.
 */
import { loadCalendar } from '../calendar/working-days.ts';
import type { JobHandler } from '../scheduler/jobs.ts';
import { offerPlaces } from './allocation.ts';
import type { QueueContext } from './context.ts';
import { recordHistory, SYSTEM_ACTOR } from './history.ts';
import { JOB_BENEFIT_CONFIRMATION, JOB_OFFER_EXPIRY, JOB_REFERRAL_CONFIRM } from './job-kinds.ts';
import { changed, setStatus } from './transitions.ts';

/** The handlers to register with the scheduler, by job kind. */
export function deadlineHandlers(ctx: QueueContext): Readonly<Record<string, JobHandler>> {
  return {
    [JOB_OFFER_EXPIRY]: onOfferExpiry(ctx),
    [JOB_REFERRAL_CONFIRM]: onReferralDeadline(ctx),
    [JOB_BENEFIT_CONFIRMATION]: onBenefitDeadline(ctx),
  };
}

/** Offer lapsed unanswered: the applicant keeps their place; the place opens for free choice. */
function onOfferExpiry(ctx: QueueContext): JobHandler {
  return async (trx, job, now) => {
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
    await ctx.notifications.notify(trx, {
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
}

/** Referral not confirmed in time: cancelled, 10-day stop list, back in the queue; the place goes to the next child. */
function onReferralDeadline(ctx: QueueContext): JobHandler {
  return async (trx, job, now) => {
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
    const until = new Date(Date.parse(referral.confirm_by) + ctx.config.stopListDays * 86_400_000);
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
    await ctx.notifications.notify(trx, {
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
        ctx,
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
}

/**
 * Benefit not confirmed in time: the application returns to the general queue, keeping its
 * registration date (so it lands where a general application of that date stands).
 * An offer or referral it already holds stays. The applicant is told (SMS / e-mail, feed).
 */
function onBenefitDeadline(ctx: QueueContext): JobHandler {
  return async (trx, job, now) => {
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
        reason: `benefit not confirmed within ${ctx.config.benefitConfirmWorkingDays} working days: back in the general queue with the original registration date`,
        benefitType: app.benefit_type,
        benefitKind: app.benefit_kind,
        confirmBy: job.run_at,
        registeredAt: app.registered_at,
      },
    });
    await ctx.notifications.notify(trx, {
      kind: 'benefit_lapsed',
      applicationId: app.id,
      applicantId: app.applicant_id,
      at,
      deadline: job.run_at,
    });
  };
}
