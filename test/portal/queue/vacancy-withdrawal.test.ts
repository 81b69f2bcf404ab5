/**
 * A kindergarten withdraws a place it published: open and free-choice places simply close; an
 * offered place cancels the personal offer (the applicant is told and keeps the queue place); a
 * taken place is refused; racing a referral for the same place, exactly one wins.
 */
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../../portal/db/schema.ts';
import { isWithdrawable } from '../../../portal/queue/engine.ts';
import { isQueueError } from '../../../portal/queue/errors.ts';
import { listVacanciesForApplication } from '../../../portal/repositories/vacancies.ts';
import { publishedVacancies } from '../../../portal/repositories/staff.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication, addKindergarten, engineOnManualClock, expectQueueError, statusOf } from './fixtures.ts';

// Friday 20 March 2026, 10:00 in Almaty; Nauryz days off follow (21–25 March).
const START = '2026-03-20T05:00:00.000Z';
const REASON = 'Топ жөндеуге жабылды';

const setup = (db: Kysely<DB>) => engineOnManualClock(db, START);

const vacancyState = async (db: Kysely<DB>, id: number) =>
  (await db.selectFrom('vacancies').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
const offerStates = async (db: Kysely<DB>, vacancyId: number) =>
  (
    await db
      .selectFrom('offers')
      .select(['kind', 'state'])
      .where('vacancy_id', '=', vacancyId)
      .orderBy('id')
      .execute()
  ).map((o) => `${o.kind}:${o.state}`);

describe('vacancy withdrawal', () => {
  it('allows withdrawing exactly the places no referral holds', () => {
    expect(
      (['open', 'offered', 'free_choice', 'taken', 'withdrawn'] as const).filter((s) => isWithdrawable(s)),
    ).toEqual(['open', 'offered', 'free_choice']);
  });

  withTestDatabases((_kind, freshDb) => {
    it('withdraws an offered place: offer cancelled, applicant told, back in the queue at the same place', async () => {
      const { db } = await freshDb();
      const { engine, sent, clock } = setup(db);
      const kg = await addKindergarten(db);
      const first = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const second = await addApplication(db, { registeredAt: '2024-02-01T00:00:00.000Z' });
      const published = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      expect(published.offeredTo).toBe(first.applicationId);

      clock.set('2026-03-20T07:00:00.000Z');
      expect(
        await engine.withdrawVacancy({ bin: kg.bin, vacancyId: published.vacancyId, reason: REASON }),
      ).toEqual({
        vacancyId: published.vacancyId,
        previousState: 'offered',
        returnedApplicationId: first.applicationId,
      });

      expect(await vacancyState(db, published.vacancyId)).toBe('withdrawn');
      expect(await offerStates(db, published.vacancyId)).toEqual(['personal:cancelled']);
      expect(await statusOf(db, first.applicationId)).toBe('in_queue');
      expect(await statusOf(db, second.applicationId)).toBe('in_queue'); // the withdrawn place goes to nobody
      const history = await db
        .selectFrom('application_history')
        .select(['event', 'status', 'actor', 'details', 'at'])
        .where('application_id', '=', first.applicationId)
        .orderBy('id')
        .execute();
      expect(history.map((h) => [h.event, h.status, h.actor])).toEqual([
        ['offer_made', 'notification_sent', 'system'],
        ['offer_cancelled', 'in_queue', `kindergarten:${kg.bin}`],
      ]);
      expect(JSON.parse(history[1]?.details ?? '{}')).toEqual({
        offerId: published.offerId,
        vacancyId: published.vacancyId,
        reason: 'vacancy withdrawn by the kindergarten',
        note: REASON,
      });
      expect(sent.map((n) => [n.kind, n.applicationId, n.kindergartenId])).toEqual([
        ['offer_made', first.applicationId, kg.id],
        ['offer_withdrawn', first.applicationId, kg.id],
      ]);
      // The offer's deadline was retired: nothing lapses into free choice later.
      clock.set('2026-04-10T00:00:00.000Z');
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });
      expect(await vacancyState(db, published.vacancyId)).toBe('withdrawn');
      expect(await engine.reofferOpenVacancies()).toBe(0);
      // The applicant kept the place in the queue: the next place is offered to them again.
      expect(
        (await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' })).offeredTo,
      ).toBe(first.applicationId);
      // The cancelled offer cannot be taken any more.
      await expectQueueError(
        engine.createReferral({
          applicationId: first.applicationId,
          offerId: published.offerId as number,
          kindergartenId: kg.id,
        }),
        'OFFER_NOT_ACTIVE',
      );
    });

    it('withdraws an open place and a free-choice place; neither is offered again', async () => {
      const { db } = await freshDb();
      const { engine, sent, clock } = setup(db);
      const kg = await addKindergarten(db);
      const open = await engine.publishVacancy({ bin: kg.bin, groupYear: 2019, category: 'speech' });
      expect(open.offeredTo).toBeNull();
      expect(
        await engine.withdrawVacancy({ bin: kg.bin, vacancyId: open.vacancyId, reason: REASON }),
      ).toEqual({
        vacancyId: open.vacancyId,
        previousState: 'open',
        returnedApplicationId: null,
      });
      await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z', groupYear: 2019 });
      expect(await engine.reofferOpenVacancies()).toBe(0);

      const lapsing = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const other = await addApplication(db, { registeredAt: '2024-03-01T00:00:00.000Z' });
      const free = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      clock.set('2026-04-01T00:00:00.000Z');
      expect(await engine.runDueJobs()).toEqual({ ran: 1, failed: 0 }); // offer lapsed: free choice
      expect(await vacancyState(db, free.vacancyId)).toBe('free_choice');
      expect(
        (await listVacanciesForApplication(db, other.applicationId, clock.now())).map((v) => v.vacancyId),
      ).toEqual([free.vacancyId]);
      sent.length = 0;
      expect(
        await engine.withdrawVacancy({ bin: kg.bin, vacancyId: free.vacancyId, reason: REASON }),
      ).toEqual({
        vacancyId: free.vacancyId,
        previousState: 'free_choice',
        returnedApplicationId: null,
      });
      expect(await offerStates(db, free.vacancyId)).toEqual(['personal:lapsed', 'free_choice:cancelled']);
      expect(await listVacanciesForApplication(db, other.applicationId, clock.now())).toEqual([]);
      expect(await statusOf(db, lapsing.applicationId)).toBe('in_queue');
      expect(sent).toEqual([]); // free-choice places notify nobody, withdrawn or not

      const listed = await publishedVacancies(db, kg.id, { limit: 10 });
      expect(listed.map((v) => [v.vacancyId, v.state, v.withdrawable])).toEqual([
        [String(free.vacancyId), 'withdrawn', false],
        [String(open.vacancyId), 'withdrawn', false],
      ]);
    });

    it("refuses a taken place, a second withdrawal, another kindergarten's place and a missing reason", async () => {
      const { db } = await freshDb();
      const { engine } = setup(db);
      const kg = await addKindergarten(db);
      const other = await addKindergarten(db);
      const app = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const taken = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      await engine.createReferral({
        applicationId: app.applicationId,
        offerId: taken.offerId as number,
        kindergartenId: kg.id,
      });
      await expectQueueError(
        engine.withdrawVacancy({ bin: kg.bin, vacancyId: taken.vacancyId, reason: REASON }),
        'VACANCY_TAKEN',
      );
      expect(await vacancyState(db, taken.vacancyId)).toBe('taken');
      expect(await statusOf(db, app.applicationId)).toBe('referral_issued');

      const open = await engine.publishVacancy({ bin: kg.bin, groupYear: 2019, category: 'speech' });
      await expectQueueError(
        engine.withdrawVacancy({ bin: other.bin, vacancyId: open.vacancyId, reason: REASON }),
        'VACANCY_NOT_FOUND',
      );
      await expectQueueError(
        engine.withdrawVacancy({ bin: kg.bin, vacancyId: 999_999, reason: REASON }),
        'VACANCY_NOT_FOUND',
      );
      await expectQueueError(
        engine.withdrawVacancy({ bin: kg.bin, vacancyId: open.vacancyId, reason: ' ' }),
        'INVALID_INPUT',
      );
      await expectQueueError(
        engine.withdrawVacancy({ bin: '150400000000', vacancyId: open.vacancyId, reason: REASON }),
        'KINDERGARTEN_NOT_FOUND',
      );
      await engine.withdrawVacancy({ bin: kg.bin, vacancyId: open.vacancyId, reason: REASON });
      await expectQueueError(
        engine.withdrawVacancy({ bin: kg.bin, vacancyId: open.vacancyId, reason: REASON }),
        'VACANCY_ALREADY_WITHDRAWN',
      );

      const listed = await publishedVacancies(db, kg.id, { limit: 10 });
      expect(listed).toEqual([
        expect.objectContaining({
          vacancyId: String(open.vacancyId),
          state: 'withdrawn',
          withdrawable: false,
        }),
        expect.objectContaining({
          vacancyId: String(taken.vacancyId),
          state: 'taken',
          offeredTo: null,
          takenBy: {
            applicationId: String(app.applicationId),
            applicationNumber: expect.stringMatching(/^KDDO\./),
          },
          withdrawable: false,
        }),
      ]);
      expect(await publishedVacancies(db, kg.id, { state: 'taken', limit: 10 })).toHaveLength(1);
      expect(await publishedVacancies(db, other.id, { limit: 10 })).toEqual([]);
    });

    it('lets exactly one of a withdrawal and a referral racing for the same offered place win', async () => {
      const { db } = await freshDb();
      const { engine } = setup(db);
      for (let round = 0; round < 6; round++) {
        const kg = await addKindergarten(db);
        const app = await addApplication(db, { registeredAt: `2024-01-0${round + 1}T00:00:00.000Z` });
        const published = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
        expect(published.offeredTo).toBe(app.applicationId);
        // Started together, the withdrawal reaches its guarded UPDATE first; held back a few
        // milliseconds, it meets the referral's transaction mid-way (PostgreSQL: waits on its row lock).
        const withdrawNow = () =>
          engine.withdrawVacancy({ bin: kg.bin, vacancyId: published.vacancyId, reason: REASON });
        const [withdrawal, referral] = await Promise.allSettled([
          round % 2 === 0
            ? withdrawNow()
            : new Promise((resolve) => setTimeout(resolve, round)).then(withdrawNow),
          engine.createReferral({
            applicationId: app.applicationId,
            offerId: published.offerId as number,
            kindergartenId: kg.id,
          }),
        ]);
        const state = await vacancyState(db, published.vacancyId);
        if (withdrawal.status === 'fulfilled') {
          expect(referral.status).toBe('rejected');
          expect(
            referral.status === 'rejected' &&
              (isQueueError(referral.reason, 'PLACE_TAKEN') ||
                isQueueError(referral.reason, 'OFFER_NOT_ACTIVE')),
          ).toBe(true);
          expect(state).toBe('withdrawn');
          expect(await statusOf(db, app.applicationId)).toBe('in_queue');
          expect(
            await db
              .selectFrom('referrals')
              .selectAll()
              .where('vacancy_id', '=', published.vacancyId)
              .execute(),
          ).toEqual([]);
        } else {
          expect(isQueueError(withdrawal.reason, 'VACANCY_TAKEN')).toBe(true);
          expect(referral.status).toBe('fulfilled');
          expect(state).toBe('taken');
          expect(await statusOf(db, app.applicationId)).toBe('referral_issued');
        }
        // Settle this round's child so the next round's place goes to the next child.
        await db
          .updateTable('applications')
          .set({ status: 'dequeued' })
          .where('id', '=', app.applicationId)
          .execute();
      }
    });
  });
});
