/**
 * Two portal instances over one PostgreSQL database (separate connection pools, as two processes
 * would have) racing on the same queue, deadlines and free-choice places.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../portal/db/database.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { isQueueError } from '../../../portal/queue/errors.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';
import { createTestDatabase } from '../../helpers/portal-db.ts';
import { addApplication, addKindergarten, type AppFixture } from './fixtures.ts';

describe('two portal instances over one PostgreSQL', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('never gives a place twice and runs each deadline once', async () => {
    const first = await createTestDatabase('postgres');
    cleanup.push(async () => {
      await first.close();
      await first.drop();
    });
    const second: Database = openDatabase(first.url);
    cleanup.push(() => second.close());
    const clock = manualClock('2026-03-20T05:00:00.000Z');
    const a = createQueueEngine({ db: first.db, clock });
    const b = createQueueEngine({ db: second.db, clock });

    const kg = await addKindergarten(first.db);
    const apps: AppFixture[] = [];
    for (let i = 0; i < 60; i++) {
      apps.push(
        await addApplication(first.db, {
          registeredAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
          benefit: i % 5 === 0 ? 'priority' : 'none',
        }),
      );
    }
    const publish = (engine: typeof a) =>
      engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
    const published = await Promise.all(Array.from({ length: 40 }, (_, i) => publish(i % 2 === 0 ? a : b)));
    const offeredTo = published.map((p) => p.offeredTo);
    expect(offeredTo.every((x) => x !== null)).toBe(true);
    expect(new Set(offeredTo).size).toBe(40);
    const active = await first.db
      .selectFrom('offers')
      .select('application_id')
      .where('state', '=', 'active')
      .execute();
    expect(active).toHaveLength(40);

    // Every offer lapses; both instances run the deadlines at the same time.
    clock.set('2026-04-02T00:00:00.000Z');
    const [ra, rb] = await Promise.all([
      a.runDueJobs({ workerId: 'a', batchSize: 7 }),
      b.runDueJobs({ workerId: 'b', batchSize: 7 }),
    ]);
    expect((ra?.ran ?? 0) + (rb?.ran ?? 0)).toBe(40);
    expect(ra?.failed ?? 0).toBe(0);
    expect(rb?.failed ?? 0).toBe(0);
    const lapsedEvents = await first.db
      .selectFrom('application_history')
      .select('id')
      .where('event', '=', 'offer_lapsed')
      .execute();
    expect(lapsedEvents).toHaveLength(40);
    const free = await first.db
      .selectFrom('offers')
      .select(['id'])
      .where('kind', '=', 'free_choice')
      .where('state', '=', 'active')
      .orderBy('id')
      .execute();
    expect(free).toHaveLength(40);

    // Two applicants per free-choice place, one on each instance.
    const attempts = free.slice(0, 15).flatMap((offer, i) => {
      const x = apps[2 * i] as AppFixture;
      const y = apps[2 * i + 1] as AppFixture;
      return [
        a.createReferral({ applicationId: x.applicationId, offerId: offer.id, kindergartenId: kg.id }),
        b.createReferral({ applicationId: y.applicationId, offerId: offer.id, kindergartenId: kg.id }),
      ];
    });
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(15);
    expect(lost.every((r) => isQueueError(r.reason, 'PLACE_TAKEN'))).toBe(true);
    const referrals = await first.db
      .selectFrom('referrals')
      .select(['vacancy_id', 'application_id'])
      .execute();
    expect(referrals).toHaveLength(15);
    expect(new Set(referrals.map((r) => r.vacancy_id)).size).toBe(15);
    expect(new Set(referrals.map((r) => r.application_id)).size).toBe(15);
    const doneTwice = await first.db
      .selectFrom('scheduler_jobs')
      .select('id')
      .where('state', '<>', 'done')
      .where('kind', '=', 'offer_expiry')
      .execute();
    expect(doneTwice).toHaveLength(0);
  });
});
