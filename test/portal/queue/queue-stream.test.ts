import { describe, expect, it } from 'vitest';
import type { BenefitType } from '../../../portal/db/schema.ts';
import { QueueCursor } from '../../../portal/queue/queue-stream.ts';
import { rng } from '../../../demo/portal/synthetic.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication, queueEntries } from './fixtures.ts';

describe('lazy queue lines', () => {
  withTestDatabases((_kind, freshDb) => {
    it('reads each line of waiting applications in registration order, page by page, ties and all', async () => {
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
      const entries = await queueEntries(db, 2021, 'speech');
      let total = 0;
      for (const benefit of ['out_of_turn', 'priority', 'none'] as BenefitType[]) {
        const expected = entries
          .filter((e) => e.status === 'in_queue' && e.benefit_type === benefit)
          .sort((a, b) =>
            a.registered_at < b.registered_at ? -1 : a.registered_at > b.registered_at ? 1 : a.id - b.id,
          )
          .map((e) => e.id);
        const cursor = new QueueCursor(db, 2021, 'speech', benefit);
        const read: number[] = [];
        for (let page = await cursor.next(7); page.length > 0; page = await cursor.next(7))
          read.push(...page);
        expect(read).toEqual(expected);
        total += read.length;
      }
      expect(total).toBeGreaterThan(30);
    });
  });
});
