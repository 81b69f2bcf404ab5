/**
 * The journal's cost grows linearly with the applicant's rows (docs/architecture.md, portal/db): an
 * applicant with n applications in one queue, read as the app reads a whole journal (one page), and
 * the queue numbers of n rows asked at once. Counting "the applications ahead of me" per row cost
 * n × queue; the 10,000-row journal took 73 s to fetch. Measured on SQLite, which runs in this
 * process (growthRatio counts this process's CPU time).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Database } from '../../../portal/db/database.ts';
import { insertChunked } from '../../../demo/portal/synthetic.ts';
import { listJournal } from '../../../portal/repositories/applications.ts';
import { queueNumbersFor } from '../../../portal/repositories/queue-numbers.ts';
import { growthRatio, LINEAR_BOUND } from '../../helpers/growth.ts';

const SMALL = 3_000;
const IIN = (n: number) => `8001015${String(n).padStart(5, '0')}`;

/** One applicant per size, each with `n` applications in one queue (every tenth dequeued, every seventh with priority). */
async function applicantWith(db: Database['db'], n: number): Promise<{ iin: string; apps: Array<{ id: number; status: string }> }> {
  const iin = IIN(n);
  const { id } = await db
    .insertInto('applicants')
    .values({ iin, last_name: 'Көп', first_name: 'Өтініш', middle_name: null, created_at: '2024-01-01T00:00:00.000Z' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertChunked(
    db,
    'children',
    Array.from({ length: n }, (_, i) => ({
      iin: `2101${String(n % 97).padStart(2, '0')}${String(i).padStart(6, '0')}`,
      last_name: 'Бала',
      first_name: `${n}-${i}`,
      middle_name: null,
      birth_date: '2021-01-01',
      enrolled_in: null,
    })),
  );
  const children = await db.selectFrom('children').select('id').where('first_name', 'like', `${n}-%`).orderBy('id').execute();
  await insertChunked(
    db,
    'applications',
    children.map((c, i) => {
      const at = new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString();
      return {
        number: `KDDO.${n}.${i}`,
        applicant_id: id,
        child_id: c.id,
        guardian_name: null,
        category: `growth-${n}`,
        benefit_type: i % 7 === 0 ? ('priority' as const) : ('none' as const),
        benefit_kind: null,
        benefit_confirmed_at: at,
        group_year: 2021,
        registered_at: at,
        status: i % 10 === 0 ? ('dequeued' as const) : ('in_queue' as const),
        status_changed_at: at,
        region: 'Алматы қ.',
        zup_number: null,
        tson_number: null,
        extra_email: null,
        extra_phone: null,
      };
    }),
  );
  const apps = await db.selectFrom('applications').select(['id', 'status']).where('applicant_id', '=', id).execute();
  return { iin, apps };
}

describe('journal growth (SQLite)', () => {
  let handle: Database;
  let small: Awaited<ReturnType<typeof applicantWith>>;
  let large: Awaited<ReturnType<typeof applicantWith>>;
  beforeAll(async () => {
    handle = openDatabase(':memory:');
    await migrateToLatest(handle.db);
    small = await applicantWith(handle.db, SMALL);
    large = await applicantWith(handle.db, 2 * SMALL);
  }, 60_000);
  afterAll(() => handle.close());

  it('numbers every row of a queue in linear time', async () => {
    const numbers = await queueNumbersFor(handle.db, large.apps, 4);
    // Every queued row numbered, the numbers a permutation of 1..queued.
    const queued = large.apps.filter((a) => a.status === 'in_queue').length;
    expect([...numbers.values()].map((n) => n.queueNumber).sort((a, b) => a - b)).toEqual(Array.from({ length: queued }, (_, i) => i + 1));
    const ratio = await growthRatio((a: typeof small) => queueNumbersFor(handle.db, a.apps, 4), small, large, { runs: 3 });
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  }, 120_000);

  it('reads a whole journal as one page in linear time', async () => {
    const read = (a: typeof small) => listJournal(handle.db, { applicantIin: a.iin, page: 1, pageSize: a.apps.length }, 4);
    const page = await read(large);
    expect(page.items).toHaveLength(2 * SMALL);
    expect(page.total).toBe(2 * SMALL);
    const ratio = await growthRatio(read, small, large, { runs: 3 });
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  }, 120_000);
});
