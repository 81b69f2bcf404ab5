import { describe, expect, it } from 'vitest';
import { clockFromOption, manualClock, offsetClock } from '../../../portal/scheduler/clock.ts';
import { runDueJobs, scheduleJob, scheduleJobs, type JobHandler } from '../../../portal/scheduler/jobs.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';

const T0 = new Date('2026-05-25T04:00:00.000Z');

describe('clock', () => {
  it('manual clocks move only when told; offset clocks start at the given instant', () => {
    const m = manualClock(T0);
    m.advance(1000);
    expect(m.now().toISOString()).toBe('2026-05-25T04:00:01.000Z');
    const base = manualClock('2030-01-01T00:00:00Z');
    const o = offsetClock('2026-05-25T09:00:00+05:00', base);
    base.advance(60_000);
    expect(o.now().toISOString()).toBe('2026-05-25T04:01:00.000Z');
  });

  it('parses --clock and refuses anything but an ISO instant', () => {
    const c = clockFromOption('2026-05-25T09:00:00+05:00');
    expect(Math.abs(c.now().getTime() - T0.getTime())).toBeLessThan(60_000);
    expect(() => clockFromOption('tomorrow')).toThrow(/--clock expects an ISO-8601 instant/);
    expect(() => clockFromOption('2026-05-25')).toThrow(/--clock/);
  });
});

describe('durable jobs', () => {
  withTestDatabases((kind, freshDb) => {
    it('schedules more jobs at once than one statement can bind (a yearly job over every conclusion)', async () => {
      const { db } = await freshDb();
      // 5,000 rows of 8 values: 40,000 values, past SQLite's 32,766 for one statement.
      const jobs = Array.from({ length: 5000 }, (_, i) => ({ kind: 'many', refId: i + 1, runAt: new Date('2026-06-01T00:00:00Z') }));
      await scheduleJobs(db, jobs, T0);
      await scheduleJobs(db, jobs.slice(0, 10), T0); // scheduled again: kept once
      const { count } = await db.selectFrom('scheduler_jobs').select((eb) => eb.fn.countAll<number>().as('count')).where('kind', '=', 'many').executeTakeFirstOrThrow();
      expect(Number(count)).toBe(5000);
    });

    it('runs each due job exactly once, in due order, catching up late ones', async () => {
      const { db } = await freshDb();
      const seen: number[] = [];
      const handlers: Record<string, JobHandler> = {
        mark: async (trx, job) => {
          seen.push(job.ref_id);
          await trx
            .insertInto('calendar_days')
            .values({
              date: `2099-01-${String(job.ref_id).padStart(2, '0')}`,
              day_off: 1,
              kind: 'holiday',
              name: 'job',
            })
            .execute();
        },
      };
      await scheduleJob(db, { kind: 'mark', refId: 2, runAt: new Date('2026-05-26T00:00:00Z') }, T0);
      await scheduleJob(db, { kind: 'mark', refId: 1, runAt: new Date('2026-05-25T12:00:00Z') }, T0);
      await scheduleJob(db, { kind: 'mark', refId: 1, runAt: new Date('2030-01-01T00:00:00Z') }, T0); // duplicate: ignored
      await scheduleJob(db, { kind: 'mark', refId: 3, runAt: new Date('2026-06-30T00:00:00Z') }, T0);
      expect(await runDueJobs(db, T0, handlers)).toEqual({ ran: 0, failed: 0 });
      const late = new Date('2026-06-01T00:00:00Z');
      const [a, b] = await Promise.all([runDueJobs(db, late, handlers), runDueJobs(db, late, handlers)]);
      expect((a?.ran ?? 0) + (b?.ran ?? 0)).toBe(2);
      expect(seen).toEqual([1, 2]);
      expect(await runDueJobs(db, late, handlers)).toEqual({ ran: 0, failed: 0 });
      const rows = await db
        .selectFrom('scheduler_jobs')
        .select(['ref_id', 'state'])
        .orderBy('ref_id')
        .execute();
      expect(rows).toEqual([
        { ref_id: 1, state: 'done' },
        { ref_id: 2, state: 'done' },
        { ref_id: 3, state: 'pending' },
      ]);
    });

    it(`rolls back a failing job's writes on ${kind}, keeps it pending with the error, parks it after max attempts`, async () => {
      const { db } = await freshDb();
      const handlers: Record<string, JobHandler> = {
        boom: async (trx) => {
          await trx
            .insertInto('calendar_days')
            .values({ date: '2099-02-01', day_off: 1, kind: 'holiday', name: 'half-done' })
            .execute();
          throw new Error('handler failed');
        },
      };
      await scheduleJob(db, { kind: 'boom', refId: 1, runAt: T0 }, T0);
      expect(await runDueJobs(db, T0, handlers, { maxAttempts: 2 })).toEqual({ ran: 0, failed: 1 });
      expect(
        await db
          .selectFrom('calendar_days')
          .select('date')
          .where('date', '=', '2099-02-01')
          .executeTakeFirst(),
      ).toBeUndefined();
      let job = await db.selectFrom('scheduler_jobs').selectAll().executeTakeFirstOrThrow();
      expect(job).toMatchObject({ state: 'pending', attempts: 1, last_error: 'handler failed' });
      await runDueJobs(db, T0, handlers, { maxAttempts: 2 });
      job = await db.selectFrom('scheduler_jobs').selectAll().executeTakeFirstOrThrow();
      expect(job).toMatchObject({ state: 'failed', attempts: 2 });
      expect(await runDueJobs(db, T0, handlers, { maxAttempts: 2 })).toEqual({ ran: 0, failed: 0 });
    });
  });
});
