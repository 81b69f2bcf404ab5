/**
 * Durable deadlines. A job is a row (kind, ref_id, run_at); `runDueJobs(now)` runs every job due
 * at `now`, however late (catch-up after downtime), each exactly once:
 * the claim (`UPDATE ... SET state = 'done' WHERE id = ? AND state = 'pending'`) and the
 * handler's writes share one transaction, so a crash or an error leaves the job pending, and a
 * second process racing for the same job blocks on the row, then sees it done and skips it.
 * (SQLite has a single writer; PostgreSQL row locks do the same across processes.)
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, SchedulerJobsTable } from '../db/schema.ts';
import { inTransaction } from '../db/transactions.ts';

export type Job = Selectable<SchedulerJobsTable>;
export type JobHandler = (trx: Transaction<DB>, job: Job, now: Date) => Promise<void>;

export interface RunOptions {
  /** Recorded in done_by, to see which process ran a job. */
  workerId?: string;
  batchSize?: number;
  /** After this many failed attempts a job is parked as 'failed'. */
  maxAttempts?: number;
}

export interface RunResult {
  ran: number;
  failed: number;
}

/** Schedules jobs in one statement; scheduling the same (kind, refId) twice keeps the first. */
export async function scheduleJobs(
  db: Kysely<DB>,
  jobs: ReadonlyArray<{ kind: string; refId: number; runAt: Date }>,
  now: Date,
): Promise<void> {
  // One INSERT per JOBS_PER_INSERT rows: a statement may bind at most 32,766 values on SQLite
  // (65,535 on PostgreSQL), and a yearly job can schedule one row per child or conclusion.
  for (let start = 0; start < jobs.length; start += JOBS_PER_INSERT) {
    await db
      .insertInto('scheduler_jobs')
      .values(
        jobs.slice(start, start + JOBS_PER_INSERT).map((job) => ({
          kind: job.kind,
          ref_id: job.refId,
          run_at: job.runAt.toISOString(),
          state: 'pending' as const,
          created_at: now.toISOString(),
          last_error: null,
          done_at: null,
          done_by: null,
        })),
      )
      .onConflict((oc) => oc.columns(['kind', 'ref_id']).doNothing())
      .execute();
  }
}

/** Eight values a row: 8,000 values a statement, well under both databases' limits. */
const JOBS_PER_INSERT = 1000;

/** Schedules a job; scheduling the same (kind, refId) twice keeps the first. */
export async function scheduleJob(
  db: Kysely<DB>,
  job: { kind: string; refId: number; runAt: Date },
  now: Date,
): Promise<void> {
  await scheduleJobs(db, [job], now);
}

/** Retires a pending job whose reason went away (offer answered, referral confirmed). */
export async function cancelJob(
  db: Kysely<DB>,
  job: { kind: string; refId: number },
  now: Date,
): Promise<void> {
  await db
    .updateTable('scheduler_jobs')
    .set({ state: 'done', done_at: now.toISOString(), done_by: 'cancelled' })
    .where('kind', '=', job.kind)
    .where('ref_id', '=', job.refId)
    .where('state', '=', 'pending')
    .execute();
}

export async function runDueJobs(
  db: Kysely<DB>,
  now: Date,
  handlers: Readonly<Record<string, JobHandler>>,
  options: RunOptions = {},
): Promise<RunResult> {
  const workerId = options.workerId ?? `pid-${process.pid}`;
  const batchSize = options.batchSize ?? 200;
  const maxAttempts = options.maxAttempts ?? 5;
  const nowIso = now.toISOString();
  const result: RunResult = { ran: 0, failed: 0 };
  const skip = new Set<number>(); // failed in this run: retried on the next run, not in a loop now
  for (;;) {
    const due = await db
      .selectFrom('scheduler_jobs')
      .select('id')
      .where('state', '=', 'pending')
      .where('run_at', '<=', nowIso)
      .orderBy('run_at')
      .orderBy('id')
      .limit(batchSize + skip.size)
      .execute();
    const todo = due.filter((j) => !skip.has(j.id));
    if (todo.length === 0) return result;
    for (const { id } of todo) {
      try {
        const ran = await inTransaction(db, async (trx) => {
          const job = await trx
            .updateTable('scheduler_jobs')
            .set((eb) => ({
              state: 'done',
              done_at: nowIso,
              done_by: workerId,
              attempts: eb('attempts', '+', 1),
            }))
            .where('id', '=', id)
            .where('state', '=', 'pending')
            .returningAll()
            .executeTakeFirst();
          if (!job) return false; // another process ran it
          const handler = handlers[job.kind];
          if (!handler) throw new Error(`No handler for scheduler job kind "${job.kind}"`);
          await handler(trx, job, now);
          return true;
        });
        if (ran) result.ran++;
      } catch (error) {
        result.failed++;
        skip.add(id);
        await db
          .updateTable('scheduler_jobs')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            last_error: String(error instanceof Error ? error.message : error).slice(0, 2000),
          }))
          .where('id', '=', id)
          .where('state', '=', 'pending')
          .execute();
        await db
          .updateTable('scheduler_jobs')
          .set({ state: 'failed' })
          .where('id', '=', id)
          .where('state', '=', 'pending')
          .where('attempts', '>=', maxAttempts)
          .execute();
      }
    }
  }
}

export interface SchedulerLoop {
  /** Runs due jobs now (also what the timer does). */
  tick(): Promise<RunResult>;
  stop(): Promise<void>;
}

/** Polls for due jobs every `intervalMs`; the first tick runs at once (catch-up on start). */
export function startScheduler(options: {
  db: Kysely<DB>;
  clock: { now(): Date };
  handlers: Readonly<Record<string, JobHandler>>;
  intervalMs?: number;
  workerId?: string;
  onError?: (error: unknown) => void;
  /** Extra work per tick, e.g. re-offering vacancies that had no eligible child. */
  afterTick?: (now: Date) => Promise<void>;
}): SchedulerLoop {
  let running: Promise<RunResult> | null = null;
  let stopped = false;
  const tick = (): Promise<RunResult> => {
    if (running) return running;
    running = (async () => {
      const now = options.clock.now();
      const result = await runDueJobs(options.db, now, options.handlers, { workerId: options.workerId });
      await options.afterTick?.(now);
      return result;
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const safeTick = () => {
    if (!stopped) tick().catch((e: unknown) => options.onError?.(e));
  };
  const timer = setInterval(safeTick, options.intervalMs ?? 15_000);
  timer.unref();
  safeTick();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running) await running.catch(() => undefined);
    },
  };
}
