/**
 * Two portal instances over one PostgreSQL database (separate connection pools, as two processes
 * would have) racing on the same queue, deadlines and free-choice places.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../portal/db/database.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { isQueueError } from '../../../portal/queue/errors.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';
import { createTestDatabase } from '../../helpers/portal-db.ts';
import { addApplication, addKindergarten, addSiblingApplication, type AppFixture } from './fixtures.ts';

describe('two portal instances over one PostgreSQL', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  /** A fresh PostgreSQL database and two queue engines over it, each with its own connection pool. */
  async function twoInstances() {
    const first = await createTestDatabase('postgres');
    cleanup.push(async () => {
      await first.close();
      await first.drop();
    });
    const second: Database = openDatabase(first.url);
    cleanup.push(() => second.close());
    const clock = manualClock('2026-03-20T05:00:00.000Z');
    return {
      first,
      clock,
      a: createQueueEngine({ db: first.db, clock }),
      b: createQueueEngine({ db: second.db, clock }),
    };
  }

  // 40 racing publications and 60 applications on PostgreSQL: ~4 s idle, over 30 s on a busy
  // 2-core machine (lock waits), hence the longer timeout; nothing here is timed.
  it('never gives a place twice and runs each deadline once', { timeout: 120_000 }, async () => {
    const { first, clock, a, b } = await twoInstances();

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

  it('gives a child queued in two categories one offer, however the two instances interleave', async () => {
    const { first, a, b } = await twoInstances();
    const kg = await addKindergarten(first.db, { categories: ['speech', 'hearing'] });
    // Each child is first in line in both queues: speech through one instance, hearing through the other.
    const children = 12;
    for (let i = 0; i < children; i++) {
      const registeredAt = new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString();
      const speech = await addApplication(first.db, { registeredAt, category: 'speech' });
      await addSiblingApplication(first.db, speech, { category: 'hearing', registeredAt });
    }
    const publish = (engine: typeof a, category: string) =>
      engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category });
    await Promise.all(
      Array.from({ length: children }, () => [publish(a, 'speech'), publish(b, 'hearing')]).flat(),
    );
    const held = await first.db
      .selectFrom('applications')
      .select(['child_id'])
      .where('status', '=', 'notification_sent')
      .execute();
    // Each of the 24 places went to a different child, or waits open: never two offers for one child.
    expect(new Set(held.map((h) => h.child_id)).size).toBe(held.length);
    expect(held.length).toBe(children);
  });

  it('never lets a free-choice referral and a personal offer place one child at the same time', async () => {
    const { first, a, b } = await twoInstances();
    const kg = await addKindergarten(first.db, { categories: ['speech', 'hearing'] });
    const children = 12;
    const attempts: Array<Promise<unknown>> = [];
    const pairs: Array<{ speech: number; hearing: number; offerId: number }> = [];
    for (let i = 0; i < children; i++) {
      const registeredAt = new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString();
      const speech = await addApplication(first.db, { registeredAt, category: 'speech' });
      const hearing = await addSiblingApplication(first.db, speech, { category: 'hearing', registeredAt });
      // A hearing place open for free choice (its personal offer lapsed earlier).
      const vacancy = await first.db
        .insertInto('vacancies')
        .values({
          kindergarten_id: kg.id,
          group_year: 2021,
          category: 'hearing',
          place_type: 'general',
          published_at: registeredAt,
          state: 'free_choice',
          taken_by_application_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const offer = await first.db
        .insertInto('offers')
        .values({
          vacancy_id: vacancy.id,
          application_id: null,
          kind: 'free_choice',
          created_at: registeredAt,
          expires_at: null,
          state: 'active',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      pairs.push({ speech: speech.applicationId, hearing, offerId: offer.id });
    }
    for (const pair of pairs) {
      attempts.push(a.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' }));
      attempts.push(
        b.createReferral({ applicationId: pair.hearing, offerId: pair.offerId, kindergartenId: kg.id }),
      );
    }
    const results = await Promise.allSettled(attempts);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.every((r) => isQueueError(r.reason, 'CHILD_ALREADY_PLACED'))).toBe(true);
    const held = await first.db
      .selectFrom('applications')
      .select(['child_id'])
      .where('status', 'in', ['notification_sent', 'referral_issued'])
      .execute();
    expect(new Set(held.map((h) => h.child_id)).size).toBe(held.length);
    expect(held.length).toBe(children);
  });

  // Four tsx process start-ups: slow on a busy machine, hence the longer timeout.
  it(
    'two OS processes publishing and running deadlines over one database stay consistent',
    { timeout: 120_000 },
    async () => {
      const d = await createTestDatabase('postgres');
      cleanup.push(async () => {
        await d.close();
        await d.drop();
      });
      const kg = await addKindergarten(d.db);
      for (let i = 0; i < 50; i++) {
        await addApplication(d.db, { registeredAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString() });
      }
      const script = fileURLToPath(new URL('./engine-process.ts', import.meta.url));
      const run = <T>(...args: string[]): Promise<T> =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', script, d.url, ...args], {
          timeout: 60_000,
        }).then((r) => JSON.parse(r.stdout) as T);
      type Published = { offeredTo: Array<number | null> };
      const publishAt = '2026-03-20T05:00:00.000Z';
      const [p1, p2] = await Promise.all([
        run<Published>('publish', kg.bin, '15', publishAt),
        run<Published>('publish', kg.bin, '15', publishAt),
      ]);
      const offered = [...(p1?.offeredTo ?? []), ...(p2?.offeredTo ?? [])];
      expect(offered.every((x) => x !== null)).toBe(true);
      expect(new Set(offered).size).toBe(30);

      type Ran = { ran: number; failed: number };
      const [j1, j2] = await Promise.all([
        run<Ran>('jobs', '2026-04-02T00:00:00.000Z'),
        run<Ran>('jobs', '2026-04-02T00:00:00.000Z'),
      ]);
      expect((j1?.ran ?? 0) + (j2?.ran ?? 0)).toBe(30);
      expect((j1?.failed ?? 0) + (j2?.failed ?? 0)).toBe(0);
      const offers = await d.db.selectFrom('offers').select(['kind', 'state', 'vacancy_id']).execute();
      expect(offers.filter((o) => o.kind === 'personal' && o.state === 'lapsed')).toHaveLength(30);
      expect(new Set(offers.filter((o) => o.kind === 'free_choice').map((o) => o.vacancy_id)).size).toBe(30);
      expect(offers.filter((o) => o.kind === 'free_choice')).toHaveLength(30);
      const lapsed = await d.db
        .selectFrom('application_history')
        .select('id')
        .where('event', '=', 'offer_lapsed')
        .execute();
      expect(lapsed).toHaveLength(30);
    },
  );
});
