/** The PostgreSQL pool opens at most `poolSize` connections; the size is read strictly from the command line or environment. */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, parsePoolSize } from '../../../portal/db/database.ts';
import { createPostgresDatabase, postgresAdminUrl } from '../../helpers/portal-db.ts';

describe('PostgreSQL pool size', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  async function backendsUsedBy(poolSize: number | undefined, concurrent: number): Promise<number> {
    const created = await createPostgresDatabase(postgresAdminUrl());
    cleanup.push(created.drop);
    const database = openDatabase(created.url, poolSize === undefined ? {} : { poolSize });
    cleanup.push(() => database.close());
    const pids = await Promise.all(
      Array.from({ length: concurrent }, async () =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.2)`.execute(database.db)).rows[0]!.pid,
      ),
    );
    return new Set(pids).size;
  }

  it('opens no more connections than asked, however many queries wait', async () => {
    expect(await backendsUsedBy(2, 6)).toBe(2);
    expect(await backendsUsedBy(undefined, 12)).toBe(10);
  });

  it('takes 1 to 200 connections as a plain number', () => {
    expect(parsePoolSize('4')).toBe(4);
    expect(parsePoolSize(' 32 ')).toBe(32);
    for (const bad of ['0', '201', 'ten', '1e1', '-3', '']) expect(() => parsePoolSize(bad, 'JOLDAMA_DB_POOL'), bad).toThrow(/JOLDAMA_DB_POOL expects/);
  });
});
