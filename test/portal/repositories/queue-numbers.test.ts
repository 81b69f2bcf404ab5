/**
 * Queue numbers without reading the whole queue: placeInQueue (counts → place) agrees with
 * orderQueue for any queue, and queueNumbersFor follows changes of the queue on both databases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BenefitType } from '../../../portal/db/schema.ts';
import { orderQueue, type QueueEntry } from '../../../portal/queue/ordering.ts';
import { placeInQueue, queueNumbersFor } from '../../../portal/repositories/queue-numbers.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication } from '../queue/fixtures.ts';

describe('placeInQueue', () => {
  it('gives every application the place orderQueue gives it', () => {
    const entry = fc.record({
      benefit_type: fc.constantFrom<BenefitType>('none', 'priority', 'out_of_turn'),
      // Few distinct instants, so equal registration times (ordered by id) occur.
      registered_at: fc.integer({ min: 0, max: 20 }).map((d) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString()),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), fc.integer({ min: 1, max: 6 }), (raw, every) => {
        const entries: QueueEntry[] = raw.map((e, i) => ({ ...e, id: i + 1 }));
        const counts = {
          outOfTurn: entries.filter((e) => e.benefit_type === 'out_of_turn').length,
          general: entries.filter((e) => e.benefit_type === 'none').length,
          priority: entries.filter((e) => e.benefit_type === 'priority').length,
        };
        for (const p of orderQueue(entries, every)) {
          const me = p.entry;
          const ahead = entries.filter(
            (e) =>
              e.benefit_type === me.benefit_type &&
              (e.registered_at < me.registered_at || (e.registered_at === me.registered_at && e.id < me.id)),
          ).length;
          expect(placeInQueue(me.benefit_type, ahead, counts, every)).toEqual({
            queueNumber: p.queueNumber,
            benefitQueueNumber: p.benefitQueueNumber,
          });
        }
      }),
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
        (await queueNumbersFor(db, [{ id, group_year: 2021, category: 'speech', status }], 4)).get(id);
      expect(await read(me.applicationId)).toEqual({ queueNumber: 2, benefitQueueNumber: 2 });

      // A priority application registered later still takes the first slot of the block.
      await addApplication(db, { registeredAt: at(5), benefit: 'priority' });
      expect(await read(me.applicationId)).toEqual({ queueNumber: 3, benefitQueueNumber: 2 });
      // Out of turn goes ahead of everyone; another group year or category is another queue.
      await addApplication(db, { registeredAt: at(6), benefit: 'out_of_turn' });
      await addApplication(db, { registeredAt: at(1), groupYear: 2022 });
      await addApplication(db, { registeredAt: at(1), category: 'hearing' });
      expect(await read(me.applicationId)).toEqual({ queueNumber: 4, benefitQueueNumber: 2 });

      // The first general application leaves: everyone behind moves up.
      await db.updateTable('applications').set({ status: 'dequeued' }).where('id', '=', general1.applicationId).execute();
      expect(await read(me.applicationId)).toEqual({ queueNumber: 3, benefitQueueNumber: 1 });
      // Applications no longer queued have no number.
      expect(await read(general1.applicationId, 'dequeued')).toBeUndefined();
    });

    it('numbers a whole page of a mixed queue in one call as orderQueue does', async () => {
      const { db } = await freshDb();
      const at = (day: number) => `2024-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
      const benefits: BenefitType[] = ['none', 'priority', 'none', 'out_of_turn', 'none', 'priority', 'none', 'none', 'priority', 'out_of_turn'];
      const entries: QueueEntry[] = [];
      for (const [i, benefit] of benefits.entries()) {
        // Days repeat, so equal registration times (ordered by id) occur.
        const registeredAt = at(1 + (i % 4));
        const { applicationId } = await addApplication(db, { registeredAt, benefit });
        entries.push({ id: applicationId, benefit_type: benefit, registered_at: registeredAt });
      }
      // Another queue's applications do not count.
      await addApplication(db, { registeredAt: at(1), benefit: 'out_of_turn', groupYear: 2022 });
      const page = entries.map((e) => ({ id: e.id, group_year: 2021, category: 'speech', status: 'in_queue' }));
      const numbers = await queueNumbersFor(db, page, 3);
      for (const p of orderQueue(entries, 3)) {
        expect(numbers.get(p.entry.id)).toEqual({ queueNumber: p.queueNumber, benefitQueueNumber: p.benefitQueueNumber });
      }
      expect(numbers.size).toBe(entries.length);
    });
  });
});
