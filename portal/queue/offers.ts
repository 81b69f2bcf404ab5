/** Ending personal offers before their deadline: cancelled by the kindergarten or released when the child is placed or dequeued. */
import type { Transaction } from 'kysely';
import type { WorkingCalendar } from '../calendar/working-days.ts';
import type { ApplicationStatus, DB } from '../db/schema.ts';
import { cancelJob } from '../scheduler/jobs.ts';
import { offerPlaces, type VacancyToOffer } from './allocation.ts';
import type { QueueContext } from './context.ts';
import { recordHistory, SYSTEM_ACTOR } from './history.ts';
import { JOB_OFFER_EXPIRY } from './job-kinds.ts';
import { changed } from './transitions.ts';

/**
 * Cancels an active offer (guarded: false when it was accepted, lapsed or cancelled meanwhile)
 * and retires its expiry deadline; a personal offer's cancellation goes in its application's history.
 */
export async function cancelOffer(
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
export async function releaseOffersOf(
  ctx: QueueContext,
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
  if (released.length > 0) await offerPlaces(ctx, trx, released, now, calendar);
}
