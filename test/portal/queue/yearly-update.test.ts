/**
 * The yearly queue update (docs/domain.md "The yearly queue update"): one scheduler job per year,
 * due 1 June 00:00 in Almaty and run however late; the waiting applications of children who reach
 * school age by 1 September leave the queue with a history entry and a notification, and the run
 * is audited. Children younger, or holding an offer, stay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../portal/db/database.ts';
import { JOB_GROUP_MOVES, JOB_YEARLY_UPDATE } from '../../../portal/queue/job-kinds.ts';
import { scheduleYearlyUpdate } from '../../../portal/queue/yearly-update.ts';
import { startPortal } from '../../../portal/server/start.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication, addKindergarten, engineOnManualClock, statusOf } from './fixtures.ts';

const jobsOf = (db: Parameters<typeof scheduleYearlyUpdate>[0]) =>
  db
    .selectFrom('scheduler_jobs')
    .select(['ref_id', 'run_at', 'state'])
    .where('kind', '=', JOB_YEARLY_UPDATE)
    .orderBy('ref_id')
    .execute();

describe('the yearly queue update', () => {
  withTestDatabases((_kind, freshDb) => {
    it("is scheduled for 1 June 00:00 Almaty: this year's until 30 June is over, then next year's, once each", async () => {
      const { db } = await freshDb();
      expect(await scheduleYearlyUpdate(db, new Date('2027-03-01T00:00:00Z'))).toBe(2027);
      expect(await scheduleYearlyUpdate(db, new Date('2027-06-30T18:59:59Z'))).toBe(2027); // 23:59:59 on 30 June in Almaty
      expect(await scheduleYearlyUpdate(db, new Date('2027-06-30T19:00:00Z'))).toBe(2028); // 1 July in Almaty
      expect(await jobsOf(db)).toEqual([
        { ref_id: 2027, run_at: '2027-05-31T19:00:00.000Z', state: 'pending' },
        { ref_id: 2028, run_at: '2028-05-31T19:00:00.000Z', state: 'pending' },
      ]);
    });

    it('takes out the waiting children of school age by 1 September, notifies and audits; younger children and offers stay', async () => {
      const { db } = await freshDb();
      // Monday 31 May 2027; the offer below lasts to 3 June.
      const { clock, engine, sent } = engineOnManualClock(db, '2027-05-31T05:00:00.000Z');
      const kg = await addKindergarten(db);
      // Born 1 May 2021: six on 1 September 2027.
      const offered = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z', groupYear: 2021 });
      const six = await addApplication(db, { registeredAt: '2024-01-02T00:00:00.000Z', groupYear: 2021 });
      const sixOnTheDay = await addApplication(db, { registeredAt: '2024-01-03T00:00:00.000Z', groupYear: 2021 });
      await db.updateTable('children').set({ birth_date: '2021-09-01' }).where('id', '=', sixOnTheDay.childId).execute();
      const sixOn2September = await addApplication(db, { registeredAt: '2024-01-04T00:00:00.000Z', groupYear: 2021 });
      await db.updateTable('children').set({ birth_date: '2021-09-02' }).where('id', '=', sixOn2September.childId).execute();
      const five = await addApplication(db, { registeredAt: '2024-01-05T00:00:00.000Z', groupYear: 2022 });
      const offer = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      expect(offer.offeredTo).toBe(offered.applicationId);
      sent.length = 0;

      await scheduleYearlyUpdate(db, clock.now());
      clock.set(new Date('2027-05-31T18:59:59.999Z'));
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });
      // Run late (the portal was down on 1 June): the job catches up.
      clock.set(new Date('2027-06-03T04:00:00.000Z'));
      expect(await engine.runDueJobs()).toEqual({ ran: 1, failed: 0 });

      expect(await statusOf(db, six.applicationId)).toBe('dequeued');
      expect(await statusOf(db, sixOnTheDay.applicationId)).toBe('dequeued');
      expect(await statusOf(db, sixOn2September.applicationId)).toBe('in_queue');
      expect(await statusOf(db, five.applicationId)).toBe('in_queue');
      expect(await statusOf(db, offered.applicationId)).toBe('notification_sent');
      expect(sent.map((n) => [n.kind, n.applicationId])).toEqual([
        ['aged_out', six.applicationId],
        ['aged_out', sixOnTheDay.applicationId],
      ]);
      const history = await db
        .selectFrom('application_history')
        .select(['application_id', 'status', 'actor'])
        .where('event', '=', 'aged_out')
        .orderBy('application_id')
        .execute();
      expect(history).toEqual([
        { application_id: six.applicationId, status: 'dequeued', actor: 'system' },
        { application_id: sixOnTheDay.applicationId, status: 'dequeued', actor: 'system' },
      ]);
      const audit = await db.selectFrom('audit_log').select(['action', 'subject', 'details']).execute();
      expect(audit.map((a) => ({ ...a, details: JSON.parse(a.details) as unknown }))).toEqual([
        {
          action: 'queue.yearly_update',
          subject: '2027',
          details: {
            schoolAge: 6,
            bornBy: '2021-09-01',
            agedOut: [six.applicationId, sixOnTheDay.applicationId],
            dueAt: '2027-05-31T19:00:00.000Z',
          },
        },
      ]);
      // Done once: scheduling again and running again change nothing.
      await scheduleYearlyUpdate(db, clock.now());
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });
      expect(await jobsOf(db)).toEqual([{ ref_id: 2027, run_at: '2027-05-31T19:00:00.000Z', state: 'done' }]);
    });
  });

  it('is scheduled and run by the portal itself', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'joldama-yearly-'));
    try {
      const dbFile = join(dataDir, 'portal.sqlite');
      const portal = await startPortal({ port: 0, db: dbFile, dataDir, log: false, clock: '2027-06-02T06:00:00.000Z' });
      await portal.close();
      const handle = openDatabase(dbFile);
      try {
        expect(await jobsOf(handle.db)).toEqual([{ ref_id: 2027, run_at: '2027-05-31T19:00:00.000Z', state: 'done' }]);
        // The August moves are scheduled by the same upkeep (docs/domain.md "Age groups and the August moves").
        const moves = await handle.db
          .selectFrom('scheduler_jobs')
          .select(['ref_id', 'state'])
          .where('kind', '=', JOB_GROUP_MOVES)
          .execute();
        expect(moves).toEqual([{ ref_id: 2027, state: 'pending' }]);
        const audit = await handle.db.selectFrom('audit_log').select('action').execute();
        expect(audit.map((a) => a.action)).toContain('queue.yearly_update');
      } finally {
        await handle.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
