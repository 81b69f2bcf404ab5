/**
 * Queue allocation benchmark: 1,000 vacancies offered over 100,000 queued applications, on
 * SQLite and PostgreSQL side by side (target: < 2 s on SQLite).
 *
 *   npx tsx test/bench/portal-queue.bench.ts [--applications 100000] [--vacancies 1000]
 *
 * PostgreSQL: DATABASE_URL (an admin URL that may CREATE DATABASE), else a throwaway cluster
 * started like the tests do. Setup (bulk inserts) is timed separately from the allocation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest, openDatabase, type Database } from '../../portal/db/database.ts';
import { CATEGORIES, insertChunked, insertSyntheticApplications } from '../../demo/portal/synthetic.ts';
import { createQueueEngine, type PublishVacancyInput } from '../../portal/queue/engine.ts';
import { iinCheckDigit } from '../../signing/identifiers.ts';
import { createPostgresDatabase, startPostgresCluster } from '../helpers/postgres.ts';

const { values } = parseArgs({
  options: {
    applications: { type: 'string', default: '100000' },
    vacancies: { type: 'string', default: '1000' },
  },
});
const APPLICATIONS = Number(values.applications);
const VACANCIES = Number(values.vacancies);
const NOW = new Date('2026-05-25T04:00:00.000Z');
const GROUP_YEARS = [2020, 2021, 2022, 2023, 2024];

interface Row {
  database: string;
  setupMs: number;
  allocateMs: number;
  offers: number;
  perVacancyMs: number;
}

function bin(n: number): string {
  for (let s = n; ; s += 1000) {
    const first11 = `0505400${String(s).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== undefined) return `${first11}${check}`;
  }
}

async function run(name: string, handle: Database): Promise<Row> {
  const { db } = handle;
  const t0 = performance.now();
  const kgs: string[] = [];
  for (let i = 0; i < 30; i++) {
    const b = bin(i + 1);
    const { id } = await db
      .insertInto('kindergartens')
      .values({
        name_kk: `№ ${i + 1}`,
        name_ru: `№ ${i + 1}`,
        bin: b,
        district: 'Алмалы',
        address: 'Алматы',
        phone: '+7 727 000 00 00',
        website: null,
        language: 'kk',
        lat: 43.25,
        lon: 76.9,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertChunked(
      db,
      'kindergarten_categories',
      CATEGORIES.map((category) => ({ kindergarten_id: id, category })),
    );
    kgs.push(b);
  }
  await insertSyntheticApplications(db, { count: APPLICATIONS, now: NOW, seed: 7, groupYears: GROUP_YEARS });
  const setupMs = performance.now() - t0;

  const inputs: PublishVacancyInput[] = Array.from({ length: VACANCIES }, (_, i) => ({
    bin: kgs[i % kgs.length] as string,
    groupYear: GROUP_YEARS[i % GROUP_YEARS.length] as number,
    category: CATEGORIES[i % CATEGORIES.length] as string,
  }));
  const engine = createQueueEngine({ db, clock: { now: () => NOW } });
  const t1 = performance.now();
  const results = await engine.publishVacancies(inputs);
  const allocateMs = performance.now() - t1;
  const offers = results.filter((r) => r.offeredTo !== null).length;
  const distinct = new Set(results.map((r) => r.offeredTo).filter((x) => x !== null)).size;
  if (distinct !== offers) throw new Error(`${name}: an application got two offers`);
  return { database: name, setupMs, allocateMs, offers, perVacancyMs: allocateMs / VACANCIES };
}

const rows: Row[] = [];
const dir = mkdtempSync(join(tmpdir(), 'joldama-bench-'));
try {
  const sqlite = openDatabase(join(dir, 'bench.sqlite'));
  await migrateToLatest(sqlite.db);
  rows.push(await run('SQLite (file, WAL)', sqlite));
  await sqlite.close();

  const cluster = process.env.DATABASE_URL ? null : await startPostgresCluster();
  try {
    const created = await createPostgresDatabase(process.env.DATABASE_URL ?? (cluster?.adminUrl as string));
    const pg = openDatabase(created.url);
    rows.push(await run('PostgreSQL 15', pg));
    await pg.close();
    await created.drop();
  } finally {
    cluster?.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `\nQueue allocation: ${VACANCIES} vacancies over ${APPLICATIONS} applications (${GROUP_YEARS.length} group years × ${CATEGORIES.length} categories)\n`,
);
console.table(
  rows.map((r) => ({
    database: r.database,
    'setup (inserts), s': (r.setupMs / 1000).toFixed(1),
    'allocate, ms': Math.round(r.allocateMs),
    'per vacancy, ms': r.perVacancyMs.toFixed(2),
    'offers made': r.offers,
    'target < 2000 ms': r.database.startsWith('SQLite')
      ? r.allocateMs < 2000
        ? 'met'
        : 'MISSED'
      : 'reported',
  })),
);
