/**
 * Queue numbers without reading the whole queue: queueNumbersOf (counts → place) agrees with
 * orderQueue for any queue, whatever its turn counter and whoever holds an offer, and
 * queueNumbersFor follows changes of the queue on both databases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BenefitType } from '../../../portal/db/schema.ts';
import { orderQueue, type QueueEntry } from '../../../portal/queue/ordering.ts';
import { queueNumbersFor, queueNumbersOf } from '../../../portal/repositories/queue-numbers.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication } from '../queue/fixtures.ts';

const before = (a: QueueEntry, b: QueueEntry) =>
  a.registered_at < b.registered_at || (a.registered_at === b.registered_at && a.id < b.id);

/** The counts queueNumbersOfRows takes from the database for `me`, computed here over the entries in memory. */
function countsFor(me: QueueEntry, entries: readonly QueueEntry[], placesGiven: number) {
  const status = me.status ?? 'in_queue';
  const holding = entries.filter((e) => e.status === 'notification_sent');
  const waiting = entries.filter((e) => e.status !== 'notification_sent');
  const waitingIn = (b: BenefitType) => waiting.filter((e) => e.benefit_type === b).length;
  const own = status === 'in_queue' ? waiting : holding;
  return {
    q_status: status,
    q_benefit: me.benefit_type,
    q_holding: status === 'in_queue' ? holding.length : holding.filter((e) => before(e, me)).length,
    q_holding_line: holding.filter((e) => e.benefit_type === me.benefit_type).length,
    q_out_of_turn: waitingIn('out_of_turn'),
    q_general: waitingIn('none'),
    q_priority: waitingIn('priority'),
    q_given: placesGiven,
    q_ahead: own.filter((e) => e.benefit_type === me.benefit_type && before(e, me)).length,
  };
}

describe('queueNumbersOf', () => {
  it('gives every application the place orderQueue gives it, from any turn, offers held or not', () => {
    const entry = fc.record({
      benefit_type: fc.constantFrom<BenefitType>('none', 'priority', 'out_of_turn'),
      // Few distinct instants, so equal registration times (ordered by id) occur.
      registered_at: fc
        .integer({ min: 0, max: 20 })
        .map((d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString()),
      status: fc.constantFrom<'in_queue' | 'notification_sent'>(
        'in_queue',
        'in_queue',
        'in_queue',
        'notification_sent',
      ),
    });
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 60 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 50 }),
        (raw, every, placesGiven) => {
          const entries: QueueEntry[] = raw.map((e, i) => ({ ...e, id: i + 1 }));
          for (const p of orderQueue(entries, every, placesGiven)) {
            expect(queueNumbersOf(countsFor(p.entry, entries, placesGiven), every)).toEqual({
              queueNumber: p.queueNumber,
              benefitQueueNumber: p.benefitQueueNumber,
            });
          }
        },
      ),
    );
  });
});

describe('queueNumbersFor', () => {
  withTestDatabases((_kind, freshDb) => {
    it('follows the queue: arrivals ahead, other queues, leaving the queue', async () => {
      const { db } = await freshDb();
      const at = (day: number) => `2024-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
      const general1 = await addApplication(db, { registeredAt: at(1) });
      const me = await addApplication(db, { registeredAt: at(3) });
      const read = async (id: number, status = 'in_queue') =>
        (await queueNumbersFor(db, [{ id, status }], 4)).get(id);
      expect(await read(me.applicationId)).toEqual({ queueNumber: 2, benefitQueueNumber: 0 });

      // A priority application registered later still takes the first turn of the block.
      const priority = await addApplication(db, { registeredAt: at(5), benefit: 'priority' });
      expect(await read(me.applicationId)).toEqual({ queueNumber: 3, benefitQueueNumber: 0 });
      expect(await read(priority.applicationId)).toEqual({ queueNumber: 1, benefitQueueNumber: 1 });
      // Out of turn goes ahead of everyone; another group year or category is another queue.
      await addApplication(db, { registeredAt: at(6), benefit: 'out_of_turn' });
      await addApplication(db, { registeredAt: at(1), groupYear: 2022 });
      await addApplication(db, { registeredAt: at(1), category: 'hearing' });
      expect(await read(me.applicationId)).toEqual({ queueNumber: 4, benefitQueueNumber: 0 });

      // The first general application leaves: everyone behind moves up.
      await db
        .updateTable('applications')
        .set({ status: 'dequeued' })
        .where('id', '=', general1.applicationId)
        .execute();
      expect(await read(me.applicationId)).toEqual({ queueNumber: 3, benefitQueueNumber: 0 });
      // Applications no longer queued have no number.
      expect(await read(general1.applicationId, 'dequeued')).toBeUndefined();
    });

    it('numbers a whole page of a mixed queue in one call as orderQueue does, from the queue turn counter', async () => {
      const { db } = await freshDb();
      const at = (day: number) => `2024-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
      const benefits: BenefitType[] = [
        'none',
        'priority',
        'none',
        'out_of_turn',
        'none',
        'priority',
        'none',
        'none',
        'priority',
        'out_of_turn',
        'none',
        'priority',
      ];
      const entries: QueueEntry[] = [];
      for (const [i, benefit] of benefits.entries()) {
        // Days repeat, so equal registration times (ordered by id) occur.
        const registeredAt = at(1 + (i % 4));
        const { applicationId } = await addApplication(db, { registeredAt, benefit });
        const status = i % 5 === 2 ? 'notification_sent' : 'in_queue';
        if (status !== 'in_queue')
          await db.updateTable('applications').set({ status }).where('id', '=', applicationId).execute();
        entries.push({ id: applicationId, benefit_type: benefit, registered_at: registeredAt, status });
      }
      // Another queue's applications do not count.
      await addApplication(db, { registeredAt: at(1), benefit: 'out_of_turn', groupYear: 2022 });
      for (const placesGiven of [0, 1, 2, 7]) {
        await db.deleteFrom('queue_turns').execute();
        if (placesGiven > 0)
          await db
            .insertInto('queue_turns')
            .values({ group_year: 2021, category: 'speech', places_given: placesGiven })
            .execute();
        const numbers = await queueNumbersFor(
          db,
          entries.map((e) => ({ id: e.id, status: e.status as string })),
          3,
        );
        for (const p of orderQueue(entries, 3, placesGiven)) {
          expect(numbers.get(p.entry.id)).toEqual({
            queueNumber: p.queueNumber,
            benefitQueueNumber: p.benefitQueueNumber,
          });
        }
        expect(numbers.size).toBe(entries.length);
      }
    });
  });
});
