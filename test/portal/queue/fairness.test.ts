/**
 * "One priority place in four" over the places a queue actually gives out (docs/domain.md "Queue
 * order"): places published together or one at a time (taken or not before the next, by a new
 * engine each time as after a restart, or by two portal processes) go to the same children, and
 * the journal's numbers show the order the allocator follows.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseKind } from '../../../portal/db/database.ts';
import type { BenefitType, DB } from '../../../portal/db/schema.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { queueNumbersFor } from '../../../portal/repositories/queue-numbers.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';
import { createTestDatabase, withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication, addKindergarten, queueEntries } from './fixtures.ts';

const NOW = '2026-03-20T05:00:00.000Z';
const place = (bin: string) => ({ bin, groupYear: 2021, category: 'speech' });

interface Person {
  benefit: BenefitType;
  /** Day of January 2024 it registered (ties broken by id). */
  day: number;
  /** Without a valid PMPK conclusion the child cannot take a place now. */
  eligible: boolean;
  /** A benefit awaiting confirmation does not count yet. */
  confirmed: boolean;
}

/** The people's applications in one queue and a kindergarten; ids follow the people's order. */
async function build(db: Kysely<DB>, people: readonly Person[]) {
  const kg = await addKindergarten(db);
  const ids: number[] = [];
  for (const p of people) {
    const registeredAt = new Date(Date.UTC(2024, 0, 1 + p.day)).toISOString();
    const app = await addApplication(db, {
      registeredAt,
      benefit: p.benefit,
      ...(p.eligible ? {} : { pmpkUntil: null }),
    });
    if (!p.confirmed)
      await db
        .updateTable('applications')
        .set({ benefit_confirmed_at: null })
        .where('id', '=', app.applicationId)
        .execute();
    ids.push(app.applicationId);
  }
  return { kg, ids };
}

const engineAt = (db: Kysely<DB>) => createQueueEngine({ db, clock: manualClock(NOW) });

/** Places published in one call: who got each. */
async function inOneBatch(db: Kysely<DB>, bin: string, places: number): Promise<Array<number | null>> {
  const published = await engineAt(db).publishVacancies(Array.from({ length: places }, () => place(bin)));
  return published.map((p) => p.offeredTo);
}

/**
 * Places published one at a time by a new engine each (as after a restart), each taken (a
 * referral) or left offered before the next; before each, the waiting application the journal
 * numbers first must be the one that gets it when `checkNumbers`.
 */
async function oneByOne(
  db: Kysely<DB>,
  kgId: number,
  bin: string,
  take: readonly boolean[],
  checkNumbers: boolean,
): Promise<Array<number | null>> {
  const got: Array<number | null> = [];
  for (const takeIt of take) {
    const entries = await queueEntries(db);
    const numbers = await queueNumbersFor(
      db,
      entries.map((e) => ({ id: e.id, status: e.status ?? 'in_queue' })),
      4,
    );
    const first = entries
      .filter((e) => e.status === 'in_queue')
      .sort((a, b) => (numbers.get(a.id)?.queueNumber ?? 0) - (numbers.get(b.id)?.queueNumber ?? 0))[0];
    const engine = engineAt(db);
    const r = await engine.publishVacancy(place(bin));
    if (checkNumbers) expect(r.offeredTo).toBe(first?.id ?? null);
    got.push(r.offeredTo);
    if (takeIt && r.offeredTo !== null && r.offerId !== null)
      await engine.createReferral({ applicationId: r.offeredTo, offerId: r.offerId, kindergartenId: kgId });
  }
  return got;
}

const person = fc.record({
  benefit: fc.constantFrom<BenefitType>('none', 'none', 'none', 'priority', 'priority', 'out_of_turn'),
  day: fc.integer({ min: 0, max: 30 }),
  eligible: fc.constant(true),
  confirmed: fc.constant(true),
});
// Mostly eligible and confirmed; some without a PMPK conclusion or with a benefit not yet confirmed.
const mixedPerson = fc.record({
  benefit: fc.constantFrom<BenefitType>('none', 'none', 'none', 'priority', 'priority', 'out_of_turn'),
  day: fc.integer({ min: 0, max: 30 }),
  eligible: fc.integer({ min: 0, max: 9 }).map((x) => x > 1),
  confirmed: fc.integer({ min: 0, max: 9 }).map((x) => x > 1),
});

describe('the priority ratio over the places given out', () => {
  withTestDatabases((kind, freshDb) => {
    it('minimal case: G (2024), P1, P2 (2025); P1 takes place 1, place 2 goes to G, as when published together', async () => {
      const people: Person[] = [
        { benefit: 'none', day: 9, eligible: true, confirmed: true },
        { benefit: 'priority', day: 425, eligible: true, confirmed: true },
        { benefit: 'priority', day: 609, eligible: true, confirmed: true },
      ];
      const together = await freshDb();
      const a = await build(together.db, people);
      expect(await inOneBatch(together.db, a.kg.bin, 2)).toEqual([a.ids[1], a.ids[0]]);

      const apart = await freshDb();
      const b = await build(apart.db, people);
      const [g, p1, p2] = b.ids as [number, number, number];
      const numbers = async () =>
        queueNumbersFor(
          apart.db,
          (await queueEntries(apart.db)).map((e) => ({ id: e.id, status: e.status ?? 'in_queue' })),
          4,
        );
      expect((await numbers()).get(g)?.queueNumber).toBe(2);
      expect(await oneByOne(apart.db, b.kg.id, b.kg.bin, [true], false)).toEqual([p1]);
      // P1 took a place of the priority line's turn: now it is the general line's, and G is first.
      expect((await numbers()).get(g)?.queueNumber).toBe(1);
      expect((await numbers()).get(p2)?.queueNumber).toBe(2);
      expect(await oneByOne(apart.db, b.kg.id, b.kg.bin, [true], false)).toEqual([g]);
    });

    it('8 general and 8 priority, 8 places one at a time: P G G G P G G G as in one batch', async () => {
      const people: Person[] = Array.from({ length: 16 }, (_, i) => ({
        benefit: i % 2 === 0 ? 'none' : 'priority',
        day: i,
        eligible: true,
        confirmed: true,
      }));
      const together = await freshDb();
      const a = await build(together.db, people);
      const batch = await inOneBatch(together.db, a.kg.bin, 8);
      const apart = await freshDb();
      const b = await build(apart.db, people);
      const single = await oneByOne(apart.db, b.kg.id, b.kg.bin, Array(8).fill(true), true);
      expect(single).toEqual(batch);
      const benefitOf = (id: number | null) => people[(id as number) - (b.ids[0] as number)]?.benefit;
      expect(single.map(benefitOf)).toEqual([
        'priority',
        'none',
        'none',
        'none',
        'priority',
        'none',
        'none',
        'none',
      ]);
    });

    it('the same children get the places one at a time as in one batch, and the journal numbers them in that order (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(person, { minLength: 1, maxLength: 14 }),
          fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
          async (people, take) => {
            const together = await freshDb();
            const a = await build(together.db, people);
            const apart = await freshDb();
            const b = await build(apart.db, people);
            expect(await oneByOne(apart.db, b.kg.id, b.kg.bin, take, true)).toEqual(
              await inOneBatch(together.db, a.kg.bin, take.length),
            );
          },
        ),
        { numRuns: kind === 'sqlite' ? 30 : 6 },
      );
    }, 180_000);

    it('the same children get the places one at a time as in one batch, some children not eligible, some benefits unconfirmed (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(mixedPerson, { minLength: 1, maxLength: 14 }),
          fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
          async (people, take) => {
            const together = await freshDb();
            const a = await build(together.db, people);
            const apart = await freshDb();
            const b = await build(apart.db, people);
            expect(await oneByOne(apart.db, b.kg.id, b.kg.bin, take, false)).toEqual(
              await inOneBatch(together.db, a.kg.bin, take.length),
            );
          },
        ),
        { numRuns: kind === 'sqlite' ? 30 : 6 },
      );
    }, 180_000);
  });
});

describe('the priority ratio across two portal processes over one PostgreSQL', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });
  async function database(kind: DatabaseKind) {
    const d = await createTestDatabase(kind);
    cleanup.push(async () => {
      await d.close();
      await d.drop();
    });
    return d;
  }

  it('places published by two engines, in turn and at once, go to the children one batch gives them to', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(mixedPerson, { minLength: 4, maxLength: 16 }),
        fc.integer({ min: 2, max: 10 }),
        async (people, places) => {
          const reference = await database('postgres');
          const r = await build(reference.db, people);
          const batch = await inOneBatch(reference.db, r.kg.bin, places);

          const shared = await database('postgres');
          const s = await build(shared.db, people);
          const second = openDatabase(shared.url);
          cleanup.push(() => second.close());
          const [a, b] = [engineAt(shared.db), engineAt(second.db)];
          // First half in turn (a, b, a, ...), the rest all at once from both.
          const half = Math.floor(places / 2);
          const got: Array<number | null> = [];
          for (let i = 0; i < half; i++)
            got.push((await (i % 2 === 0 ? a : b).publishVacancy(place(s.kg.bin))).offeredTo);
          expect(got).toEqual(batch.slice(0, half));
          const rest = await Promise.all(
            Array.from({ length: places - half }, (_, i) =>
              (i % 2 === 0 ? a : b).publishVacancy(place(s.kg.bin)),
            ),
          );
          got.push(...rest.map((p) => p.offeredTo));
          const sorted = (xs: Array<number | null>) => [...xs].sort((x, y) => (x ?? 0) - (y ?? 0));
          expect(sorted(got)).toEqual(sorted(batch));
        },
      ),
      { numRuns: 5 },
    );
  }, 180_000);

  // Two tsx process start-ups: slow on a busy machine, hence the longer timeout.
  it('places published one by one by two OS processes at once go to the children one batch gives them to', { timeout: 120_000 }, async () => {
    // Out of turn, priority (some unconfirmed), general and ineligible children, in a fixed mix.
    const people: Person[] = Array.from({ length: 30 }, (_, i) => ({
      benefit: i % 7 === 3 ? 'out_of_turn' : i % 3 === 1 ? 'priority' : 'none',
      day: (i * 11) % 29,
      eligible: i % 5 !== 4,
      confirmed: i % 8 !== 1,
    }));
    const reference = await database('postgres');
    const r = await build(reference.db, people);
    const batch = await inOneBatch(reference.db, r.kg.bin, 16);
    const shared = await database('postgres');
    const s = await build(shared.db, people);
    expect(s.ids).toEqual(r.ids);
    const script = fileURLToPath(new URL('./engine-process.ts', import.meta.url));
    const publish = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', script, shared.url, 'publish', s.kg.bin, '8', NOW], {
        timeout: 60_000,
      }).then((out) => (JSON.parse(out.stdout) as { offeredTo: Array<number | null> }).offeredTo);
    const [p1, p2] = await Promise.all([publish(), publish()]);
    const sorted = (xs: Array<number | null>) => [...xs].sort((x, y) => (x ?? 0) - (y ?? 0));
    expect(sorted([...p1, ...p2])).toEqual(sorted(batch));
  });

  it('12 places at once from two engines over 12 general and 12 priority children: 3 priority, 9 general', async () => {
    const people: Person[] = Array.from({ length: 24 }, (_, i) => ({
      benefit: i % 2 === 0 ? 'none' : 'priority',
      day: i,
      eligible: true,
      confirmed: true,
    }));
    const shared = await database('postgres');
    const s = await build(shared.db, people);
    const second = openDatabase(shared.url);
    cleanup.push(() => second.close());
    const [a, b] = [engineAt(shared.db), engineAt(second.db)];
    const published = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).publishVacancy(place(s.kg.bin))),
    );
    const benefitOf = (id: number | null) => people[(id as number) - (s.ids[0] as number)]?.benefit;
    const got = published.map((p) => benefitOf(p.offeredTo));
    expect(got.filter((x) => x === 'priority')).toHaveLength(3);
    expect(got.filter((x) => x === 'none')).toHaveLength(9);
    const turns = await shared.db.selectFrom('queue_turns').select('places_given').executeTakeFirstOrThrow();
    expect(turns.places_given).toBe(12);
  });
});
