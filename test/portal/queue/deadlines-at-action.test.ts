/**
 * Every action checks its own deadline against the clock; the scheduler only tidies up. Without
 * it, an offer could be accepted and an arrival confirmed long after their deadlines, as long as
 * the scheduler's job had not run yet (its tick, or downtime).
 */
import { describe, expect, it } from 'vitest';
import { card, liveOffers, vacancies } from '../../../portal/repositories/applicant-views.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import {
  addApplication,
  addKindergarten,
  engineOnManualClock,
  expectQueueError,
  statusOf,
} from './fixtures.ts';

// Friday 20 March 2026, 10:00 Almaty; Nauryz and its transfers make 21–25 March days off.
const START = '2026-03-20T05:00:00.000Z';
// 3 working days to choose: 26, 27 and 30 March.
const OFFER_DEADLINE = '2026-03-30T19:00:00.000Z';
const place = (bin: string) => ({ bin, groupYear: 2021, category: 'speech' });

describe('deadlines at the moment of the action', () => {
  withTestDatabases((_kind, freshDb) => {
    it('refuses an offer accepted after its deadline though its expiry job has not run; a moment before, it is accepted', async () => {
      const { db } = await freshDb();
      const { clock, engine } = engineOnManualClock(db, START);
      const kg = await addKindergarten(db);
      const late = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      await addApplication(db, { registeredAt: '2024-01-02T00:00:00.000Z' });
      const offer = await engine.publishVacancy(place(kg.bin));
      expect(offer.offeredTo).toBe(late.applicationId);
      const accept = () =>
        engine.createReferral({
          applicationId: late.applicationId,
          offerId: offer.offerId as number,
          kindergartenId: kg.id,
        });

      clock.set(new Date(Date.parse(OFFER_DEADLINE) + 26 * 3_600_000)); // 26 hours late, nothing run yet
      await expectQueueError(accept(), 'OFFER_NOT_ACTIVE');
      clock.set(OFFER_DEADLINE);
      await expectQueueError(accept(), 'OFFER_NOT_ACTIVE');
      expect(await statusOf(db, late.applicationId)).toBe('notification_sent');
      // The scheduler tidies up: the offer lapses, the family keeps its place in the queue.
      expect(await engine.runDueJobs()).toEqual({ ran: 1, failed: 0 });
      expect(await statusOf(db, late.applicationId)).toBe('in_queue');

      // A second place, accepted one millisecond before its deadline.
      const second = await engine.publishVacancy(place(kg.bin));
      const expiresAt = (
        await db
          .selectFrom('offers')
          .select('expires_at')
          .where('id', '=', second.offerId as number)
          .executeTakeFirstOrThrow()
      ).expires_at as string;
      clock.set(new Date(Date.parse(expiresAt) - 1));
      const taken = await engine.createReferral({
        applicationId: second.offeredTo as number,
        offerId: second.offerId as number,
        kindergartenId: kg.id,
      });
      expect(taken.applicationId).toBe(second.offeredTo);
      expect(second.offeredTo).toBe(late.applicationId); // still first in line
    });

    it('shows an offer past its deadline nowhere though its expiry job has not run; a moment before, it is shown', async () => {
      const { db } = await freshDb();
      const { clock, engine } = engineOnManualClock(db, START);
      const kg = await addKindergarten(db);
      const mine = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const offer = await engine.publishVacancy(place(kg.bin));
      expect(offer.offeredTo).toBe(mine.applicationId);
      const shown = async () => ({
        live: (await liveOffers(db, mine.applicantIin, clock.now())).map((o) => o.offerId),
        card: (await card(db, mine.applicantIin, String(mine.applicationId), clock.now(), 4)).offer?.offerId ?? null,
        places: (await vacancies(db, mine.applicantIin, String(mine.applicationId), clock.now())).map((v) => v.offerId),
      });
      const id = String(offer.offerId);
      clock.set(new Date(Date.parse(OFFER_DEADLINE) - 1));
      expect(await shown()).toEqual({ live: [id], card: id, places: [id] });
      clock.set(OFFER_DEADLINE);
      expect(await shown()).toEqual({ live: [], card: null, places: [] });
    });

    it('refuses an arrival confirmed after the referral deadline though its job has not run; the place goes to the next child', async () => {
      const { db } = await freshDb();
      const { clock, engine } = engineOnManualClock(db, START);
      const kg = await addKindergarten(db);
      const late = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const next = await addApplication(db, { registeredAt: '2024-01-02T00:00:00.000Z' });
      const offer = await engine.publishVacancy(place(kg.bin));
      const referral = await engine.createReferral({
        applicationId: late.applicationId,
        offerId: offer.offerId as number,
        kindergartenId: kg.id,
      });
      const confirm = () => engine.confirmArrival({ bin: kg.bin, referralId: referral.referralId });

      clock.set(new Date(Date.parse(referral.confirmBy) + 3 * 86_400_000)); // 3 days late, nothing run yet
      await expectQueueError(confirm(), 'REFERRAL_CONFIRMATION_OVERDUE');
      clock.set(referral.confirmBy);
      await expectQueueError(confirm(), 'REFERRAL_CONFIRMATION_OVERDUE');
      expect(await statusOf(db, late.applicationId)).toBe('referral_issued');
      // The scheduler tidies up: cancelled, stop list, the place offered to the next child.
      expect(await engine.runDueJobs()).toEqual({ ran: 1, failed: 0 });
      expect(await statusOf(db, late.applicationId)).toBe('in_queue');
      expect(await statusOf(db, next.applicationId)).toBe('notification_sent');
      await expectQueueError(confirm(), 'REFERRAL_NOT_ISSUED');
    });

    it('confirms an arrival one millisecond before the deadline', async () => {
      const { db } = await freshDb();
      const { clock, engine } = engineOnManualClock(db, START);
      const kg = await addKindergarten(db);
      const app = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const offer = await engine.publishVacancy(place(kg.bin));
      const referral = await engine.createReferral({
        applicationId: app.applicationId,
        offerId: offer.offerId as number,
        kindergartenId: kg.id,
      });
      clock.set(new Date(Date.parse(referral.confirmBy) - 1));
      await engine.confirmArrival({ bin: kg.bin, referralId: referral.referralId });
      expect(await statusOf(db, app.applicationId)).toBe('enrolled');
    });
  });
});
