/** Places a kindergarten publishes and withdraws, and the re-offer of places nobody could take yet. */
import { z } from 'zod';
import { WITHDRAWABLE_VACANCY_STATES, type WithdrawableVacancyState } from '../../protocol/staff-api.ts';
import { loadCalendar } from '../calendar/working-days.ts';
import { inTransaction } from '../db/transactions.ts';
import type { VacancyState } from '../db/schema.ts';
import { offerPlaces, type VacancyToOffer } from './allocation.ts';
import type { QueueContext } from './context.ts';
import { QueueError } from './errors.ts';
import { kindergartenActor } from './history.ts';
import { binSchema, idSchema, parse } from './input.ts';
import { kindergartenByBin } from './kindergartens.ts';
import { cancelOffer } from './offers.ts';
import { changed, setStatus } from './transitions.ts';

/** Whether a place in `state` may be withdrawn (the rule: WITHDRAWABLE_VACANCY_STATES, in protocol/). */
export function isWithdrawable(state: VacancyState): state is WithdrawableVacancyState {
  return (WITHDRAWABLE_VACANCY_STATES as readonly VacancyState[]).includes(state);
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

const publishSchema = z.object({
  bin: binSchema,
  groupYear: z.number().int().min(2000).max(2100),
  category: z.string().min(1).max(64),
  placeType: z.string().min(1).max(64).optional(),
});
const withdrawSchema = z.object({
  bin: binSchema,
  vacancyId: idSchema,
  reason: z.string().trim().min(3, 'a reason is required').max(500),
});

export async function publishVacancies(
  ctx: QueueContext,
  inputs: readonly PublishVacancyInput[],
): Promise<PublishResult[]> {
  const parsed = inputs.map((i) => parse(publishSchema, i));
  const now = ctx.clock.now();
  const at = now.toISOString();
  return inTransaction(ctx.db, async (trx) => {
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
    const offers = await offerPlaces(ctx, trx, created, now, calendar);
    return created.map((v) => {
      const o = offers.get(v.id) ?? null;
      return { vacancyId: v.id, offeredTo: o?.applicationId ?? null, offerId: o?.offerId ?? null };
    });
  });
}

export async function publishVacancy(ctx: QueueContext, input: PublishVacancyInput): Promise<PublishResult> {
  const [result] = await publishVacancies(ctx, [input]);
  return result as PublishResult;
}

/**
 * The kindergarten withdraws a place it published (rule: WITHDRAWABLE_VACANCY_STATES). The
 * guarded UPDATE decides a race with a referral for the same place: one of them wins, the other
 * gets VACANCY_TAKEN or PLACE_TAKEN. An offer cancelled here notifies its applicant.
 */
export async function withdrawVacancy(
  ctx: QueueContext,
  input: WithdrawVacancyInput,
): Promise<WithdrawVacancyResult> {
  const p = parse(withdrawSchema, input);
  const now = ctx.clock.now();
  const at = now.toISOString();
  return inTransaction(ctx.db, async (trx) => {
    const kg = await kindergartenByBin(trx, p.bin);
    const notFound = () =>
      new QueueError('VACANCY_NOT_FOUND', `No vacancy ${p.vacancyId} of kindergarten ${kg.bin}`);
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
      throw new QueueError(
        'VACANCY_TAKEN',
        `Vacancy ${p.vacancyId} is taken by a referral; it cannot be withdrawn`,
      );
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
      if (!(await cancelOffer(trx, { offerId: o.id, applicationId: o.application_id }, now, history)))
        continue;
      await setStatus(trx, o.application_id, ['notification_sent'], 'in_queue', at);
      returnedApplicationId = o.application_id;
      await ctx.notifications.notify(trx, {
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

/** Offers 'open' vacancies (nobody was eligible when published) to whoever is eligible now. */
export async function reofferOpenVacancies(ctx: QueueContext): Promise<number> {
  const now = ctx.clock.now();
  return inTransaction(ctx.db, async (trx) => {
    const open = await trx
      .selectFrom('vacancies')
      .select(['id', 'kindergarten_id', 'group_year', 'category'])
      .where('state', '=', 'open')
      .execute();
    if (open.length === 0) return 0;
    const offered = await offerPlaces(ctx, trx, open, now, await loadCalendar(trx));
    return [...offered.values()].filter((o) => o !== null).length;
  });
}
