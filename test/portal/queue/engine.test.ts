import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../../portal/db/schema.ts';
import { isQueueError } from '../../../portal/queue/errors.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication, addKindergarten, engineOnManualClock, expectQueueError, statusOf } from './fixtures.ts';

// Friday 20 March 2026, 10:00 in Almaty; Nauryz days off follow (21–25 March).
const START = '2026-03-20T05:00:00.000Z';

const setup = (db: Kysely<DB>) => engineOnManualClock(db, START);

describe('queue engine', () => {
  withTestDatabases((_kind, freshDb) => {
    it('offers a vacancy to the next eligible child, skipping the ineligible', async () => {
      const { db } = await freshDb();
      const { engine, sent } = setup(db);
      const kg = await addKindergarten(db);
      const other = await addKindergarten(db);
      const enrolled = await addApplication(db, {
        registeredAt: '2024-01-01T00:00:00.000Z',
        enrolledIn: other.id,
      });
      const expired = await addApplication(db, {
        registeredAt: '2024-01-02T00:00:00.000Z',
        pmpkUntil: '2026-03-19',
      });
      const wrongPmpk = await addApplication(db, {
        registeredAt: '2024-01-03T00:00:00.000Z',
        pmpkCategory: 'hearing',
      });
      const stopped = await addApplication(db, { registeredAt: '2024-01-04T00:00:00.000Z' });
      await db
        .insertInto('stop_list')
        .values({
          child_id: stopped.childId,
          application_id: stopped.applicationId,
          reason: 'test',
          created_at: START,
          until: '2026-03-25T00:00:00.000Z',
        })
        .execute();
      const otherYear = await addApplication(db, {
        registeredAt: '2023-01-01T00:00:00.000Z',
        groupYear: 2020,
      });
      const next = await addApplication(db, { registeredAt: '2024-01-05T00:00:00.000Z' });
      const later = await addApplication(db, { registeredAt: '2024-01-06T00:00:00.000Z' });

      const result = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      expect(result.offeredTo).toBe(next.applicationId);
      expect(await statusOf(db, next.applicationId)).toBe('notification_sent');
      for (const a of [enrolled, expired, wrongPmpk, stopped, otherYear, later])
        expect(await statusOf(db, a.applicationId)).toBe('in_queue');

      const offer = await db
        .selectFrom('offers')
        .selectAll()
        .where('id', '=', result.offerId)
        .executeTakeFirstOrThrow();
      expect(offer).toMatchObject({
        kind: 'personal',
        state: 'active',
        expires_at: '2026-03-30T19:00:00.000Z',
      });
      const job = await db.selectFrom('scheduler_jobs').selectAll().executeTakeFirstOrThrow();
      expect(job).toMatchObject({
        kind: 'offer_expiry',
        ref_id: offer.id,
        run_at: '2026-03-30T19:00:00.000Z',
        state: 'pending',
      });
      expect(sent).toEqual([
        expect.objectContaining({
          kind: 'offer_made',
          applicationId: next.applicationId,
          deadline: '2026-03-30T19:00:00.000Z',
        }),
      ]);
      const history = await db
        .selectFrom('application_history')
        .selectAll()
        .where('application_id', '=', next.applicationId)
        .execute();
      expect(history.map((h) => [h.event, h.status])).toEqual([['offer_made', 'notification_sent']]);
    });

    it('refuses vacancies from unknown BINs and for categories the kindergarten lacks', async () => {
      const { db } = await freshDb();
      const { engine } = setup(db);
      const kg = await addKindergarten(db, { categories: ['speech'] });
      await expectQueueError(
        engine.publishVacancy({ bin: '999999999999', groupYear: 2021, category: 'speech' }),
        'KINDERGARTEN_NOT_FOUND',
      );
      await expectQueueError(
        engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'vision' }),
        'CATEGORY_NOT_SERVED',
      );
      await expectQueueError(
        engine.publishVacancy({ bin: 'x', groupYear: 2021, category: 'speech' }),
        'INVALID_INPUT',
      );
    });

    it('lapses an unanswered offer after 3 working days into a free-choice place; the applicant keeps the queue place', async () => {
      const { db } = await freshDb();
      const { engine, clock, sent } = setup(db);
      const kg = await addKindergarten(db);
      const first = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const second = await addApplication(db, { registeredAt: '2024-01-02T00:00:00.000Z' });
      const { vacancyId, offerId } = await engine.publishVacancy({
        bin: kg.bin,
        groupYear: 2021,
        category: 'speech',
      });

      clock.set('2026-03-30T18:59:59.000Z'); // last second of the third working day
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });
      // The portal was down for a week: the deadline is caught up on the first run.
      clock.set('2026-04-06T08:00:00.000Z');
      expect(await engine.runDueJobs()).toEqual({ ran: 1, failed: 0 });
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });

      expect(await statusOf(db, first.applicationId)).toBe('in_queue');
      const offers = await db
        .selectFrom('offers')
        .selectAll()
        .where('vacancy_id', '=', vacancyId)
        .orderBy('id')
        .execute();
      expect(offers.map((o) => [o.kind, o.state, o.application_id])).toEqual([
        ['personal', 'lapsed', first.applicationId],
        ['free_choice', 'active', null],
      ]);
      expect((await db.selectFrom('vacancies').select('state').executeTakeFirstOrThrow()).state).toBe(
        'free_choice',
      );
      expect(sent.map((s) => s.kind)).toEqual(['offer_made', 'offer_lapsed']);
      expect(offerId).toBe(offers[0]?.id);

      // Anyone queued in that group year may take it now, without a notification.
      const freeOfferId = offers[1]?.id as number;
      const referral = await engine.createReferral({
        applicationId: second.applicationId,
        offerId: freeOfferId,
        kindergartenId: kg.id,
      });
      expect(referral.confirmBy).toBe('2026-04-13T19:00:00.000Z'); // 5 working days after Monday 6 April
      expect(await statusOf(db, second.applicationId)).toBe('referral_issued');
    });

    it('lets exactly one of two applicants racing for the last free-choice place win', async () => {
      const { db } = await freshDb();
      const { engine, clock } = setup(db);
      const kg = await addKindergarten(db);
      await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const a = await addApplication(db, { registeredAt: '2024-01-02T00:00:00.000Z' });
      const b = await addApplication(db, { registeredAt: '2024-01-03T00:00:00.000Z' });
      const wrongYear = await addApplication(db, {
        registeredAt: '2024-01-03T00:00:00.000Z',
        groupYear: 2020,
      });
      const { vacancyId } = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      clock.set('2026-04-01T00:00:00.000Z');
      await engine.runDueJobs();
      const free = await db
        .selectFrom('offers')
        .selectAll()
        .where('vacancy_id', '=', vacancyId)
        .where('kind', '=', 'free_choice')
        .executeTakeFirstOrThrow();

      await expectQueueError(
        engine.createReferral({
          applicationId: wrongYear.applicationId,
          offerId: free.id,
          kindergartenId: kg.id,
        }),
        'WRONG_GROUP_YEAR',
      );
      const results = await Promise.allSettled([
        engine.createReferral({ applicationId: a.applicationId, offerId: free.id, kindergartenId: kg.id }),
        engine.createReferral({ applicationId: b.applicationId, offerId: free.id, kindergartenId: kg.id }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(isQueueError(lost[0]?.reason, 'PLACE_TAKEN')).toBe(true);
      const referrals = await db.selectFrom('referrals').selectAll().execute();
      expect(referrals).toHaveLength(1);
      const statuses = [await statusOf(db, a.applicationId), await statusOf(db, b.applicationId)].sort();
      expect(statuses).toEqual(['in_queue', 'referral_issued']);
    });

    it('cancels a referral the kindergarten did not confirm in 5 working days: 10-day stop list, place to the next child', async () => {
      const { db } = await freshDb();
      const { engine, clock, sent } = setup(db);
      const kg = await addKindergarten(db);
      const first = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const second = await addApplication(db, { registeredAt: '2024-01-02T00:00:00.000Z' });
      const { offerId } = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      const referral = await engine.createReferral({
        applicationId: first.applicationId,
        offerId: offerId as number,
        kindergartenId: kg.id,
      });
      // Friday 20 March + 5 working days over Nauryz: 26, 27, 30, 31 March, 1 April.
      expect(referral.confirmBy).toBe('2026-04-01T19:00:00.000Z');

      clock.set('2026-04-01T19:00:00.000Z');
      expect((await engine.runDueJobs()).ran).toBe(1);
      expect(await statusOf(db, first.applicationId)).toBe('in_queue');
      expect((await db.selectFrom('referrals').select('state').executeTakeFirstOrThrow()).state).toBe(
        'cancelled',
      );
      const stop = await db.selectFrom('stop_list').selectAll().executeTakeFirstOrThrow();
      expect(stop).toMatchObject({ child_id: first.childId, until: '2026-04-11T19:00:00.000Z' });
      // The freed place goes to the next eligible child, not the stop-listed one.
      expect(await statusOf(db, second.applicationId)).toBe('notification_sent');
      expect(sent.map((s) => [s.kind, s.applicationId])).toEqual([
        ['offer_made', first.applicationId],
        ['referral_issued', first.applicationId],
        ['referral_cancelled', first.applicationId],
        ['offer_made', second.applicationId],
      ]);
      await expectQueueError(
        engine.confirmArrival({ bin: kg.bin, referralId: referral.referralId }),
        'REFERRAL_NOT_ISSUED',
      );
    });

    it('confirms arrival (enrolled), blocks new referrals until the child is marked as left', async () => {
      const { db } = await freshDb();
      const { engine, clock } = setup(db);
      const kg = await addKindergarten(db, { categories: ['speech', 'hearing'] });
      const other = await addKindergarten(db);
      const app = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const { offerId } = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      const referral = await engine.createReferral({
        applicationId: app.applicationId,
        offerId: offerId as number,
        kindergartenId: kg.id,
      });
      await expectQueueError(
        engine.confirmArrival({ bin: other.bin, referralId: referral.referralId }),
        'WRONG_KINDERGARTEN',
      );
      await engine.confirmArrival({ bin: kg.bin, referralId: referral.referralId });
      expect(await statusOf(db, app.applicationId)).toBe('enrolled');
      clock.set('2026-05-01T00:00:00.000Z');
      expect((await engine.runDueJobs()).ran).toBe(0); // confirming retired the deadline
      expect((await db.selectFrom('referrals').select('state').executeTakeFirstOrThrow()).state).toBe(
        'confirmed',
      );

      // A second application (hearing) for the same enrolled child gets no offer.
      const hearing = await db
        .insertInto('applications')
        .values({
          number: 'KDDO.2021.H',
          applicant_id: app.applicantId,
          child_id: app.childId,
          guardian_name: null,
          category: 'hearing',
          benefit_type: 'none',
          benefit_kind: null,
          group_year: 2021,
          registered_at: '2024-02-01T00:00:00.000Z',
          status: 'in_queue',
          status_changed_at: '2024-02-01T00:00:00.000Z',
          region: 'Алматы',
          zup_number: null,
          tson_number: null,
          extra_email: null,
          extra_phone: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('pmpk_conclusions')
        .values({
          child_id: app.childId,
          category: 'hearing',
          issued_on: '2025-01-01',
          valid_until: '2027-01-01',
        })
        .execute();
      expect(
        (await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'hearing' })).offeredTo,
      ).toBeNull();

      await expectQueueError(
        engine.markChildLeft({ bin: other.bin, childIin: app.childIin }),
        'CHILD_NOT_ENROLLED_HERE',
      );
      await engine.markChildLeft({ bin: kg.bin, childIin: app.childIin });
      expect(await statusOf(db, app.applicationId)).toBe('left');
      // The open hearing place now reaches the child.
      expect(await engine.reofferOpenVacancies()).toBe(1);
      expect(await statusOf(db, hearing.id)).toBe('notification_sent');
    });

    it('refuses a referral on a personal offer once the child is enrolled elsewhere, or for someone else', async () => {
      const { db } = await freshDb();
      const { engine } = setup(db);
      const kg = await addKindergarten(db);
      const other = await addKindergarten(db);
      const app = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const second = await addApplication(db, { registeredAt: '2024-01-02T00:00:00.000Z' });
      const { offerId } = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      const input = { applicationId: app.applicationId, offerId: offerId as number, kindergartenId: kg.id };
      await expectQueueError(
        engine.createReferral({ ...input, applicationId: second.applicationId }),
        'OFFER_NOT_FOR_APPLICATION',
      );
      await expectQueueError(engine.createReferral({ ...input, kindergartenId: other.id }), 'WRONG_KINDERGARTEN');
      await db.updateTable('children').set({ enrolled_in: other.id }).where('id', '=', app.childId).execute();
      await expectQueueError(engine.createReferral(input), 'CHILD_ENROLLED');
      expect(await statusOf(db, app.applicationId)).toBe('notification_sent');
      expect(await db.selectFrom('referrals').select('id').execute()).toEqual([]);
    });

    it('dequeues with a reason; an active offer passes to the next child', async () => {
      const { db } = await freshDb();
      const { engine } = setup(db);
      const kg = await addKindergarten(db);
      const first = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const second = await addApplication(db, { registeredAt: '2024-01-02T00:00:00.000Z' });
      await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      await expectQueueError(
        engine.dequeue({
          applicationId: first.applicationId,
          applicantIin: second.applicantIin,
          reason: 'x',
        }),
        'NOT_YOUR_APPLICATION',
      );
      await expectQueueError(
        engine.dequeue({
          applicationId: first.applicationId,
          applicantIin: first.applicantIin,
          reason: '  ',
        }),
        'INVALID_INPUT',
      );
      await engine.dequeue({
        applicationId: first.applicationId,
        applicantIin: first.applicantIin,
        reason: 'Moved to Astana',
      });
      expect(await statusOf(db, first.applicationId)).toBe('dequeued');
      expect(await statusOf(db, second.applicationId)).toBe('notification_sent');
      const history = await db
        .selectFrom('application_history')
        .selectAll()
        .where('application_id', '=', first.applicationId)
        .orderBy('id')
        .execute();
      expect(history.map((h) => h.event)).toEqual(['offer_made', 'dequeued', 'offer_cancelled']);
      expect(JSON.parse(history[1]?.details ?? '{}')).toEqual({ reason: 'Moved to Astana' });
      await expectQueueError(
        engine.dequeue({
          applicationId: first.applicationId,
          applicantIin: first.applicantIin,
          reason: 'again',
        }),
        'APPLICATION_NOT_IN_QUEUE',
      );
    });

    it('serves out-of-turn and priority applications before later general ones', async () => {
      const { db } = await freshDb();
      const { engine } = setup(db);
      const kg = await addKindergarten(db);
      const general = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const priority = await addApplication(db, {
        registeredAt: '2024-06-01T00:00:00.000Z',
        benefit: 'priority',
      });
      const outOfTurn = await addApplication(db, {
        registeredAt: '2025-01-01T00:00:00.000Z',
        benefit: 'out_of_turn',
      });
      const results = await engine.publishVacancies(
        [1, 2, 3].map(() => ({ bin: kg.bin, groupYear: 2021, category: 'speech' })),
      );
      expect(results.map((r) => r.offeredTo)).toEqual([
        outOfTurn.applicationId,
        priority.applicationId,
        general.applicationId,
      ]);
    });
  });
});
