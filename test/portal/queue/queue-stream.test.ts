import { describe, expect, it } from 'vitest';
import { loadQueueEntries } from '../../../portal/queue/eligibility.ts';
import { orderQueue } from '../../../portal/queue/ordering.ts';
import { queueInOrder } from '../../../portal/queue/queue-stream.ts';
import { rng } from '../../../demo/portal/synthetic.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication } from './fixtures.ts';

describe('lazy queue order', () => {
  withTestDatabases((_kind, freshDb) => {
    it('reads the same order as orderQueue, page by page, ties and all', async () => {
      const { db } = await freshDb();
      const r = rng(42);
      for (let i = 0; i < 70; i++) {
        const x = r();
        const app = await addApplication(db, {
          // Few distinct minutes: many equal registration times, broken by id.
          registeredAt: new Date(Date.UTC(2024, 0, 1, 0, Math.floor(r() * 20))).toISOString(),
          benefit: x < 0.1 ? 'out_of_turn' : x < 0.35 ? 'priority' : 'none',
          category: r() < 0.8 ? 'speech' : 'hearing',
        });
        const s = r();
        if (s < 0.15)
          await db
            .updateTable('applications')
            .set({ status: 'notification_sent' })
            .where('id', '=', app.applicationId)
            .execute();
        else if (s < 0.25)
          await db
            .updateTable('applications')
            .set({ status: 'dequeued' })
            .where('id', '=', app.applicationId)
            .execute();
      }
      for (const every of [2, 4]) {
        const expected = orderQueue(await loadQueueEntries(db, 2021, 'speech'), every).map((p) => p.entry.id);
        const streamed: number[] = [];
        for await (const e of queueInOrder(db, 2021, 'speech', every, 7)) streamed.push(e.id);
        expect(streamed).toEqual(expected);
        expect(expected.length).toBeGreaterThan(30);
      }
    });
  });
});
