/**
 * A pooled PostgreSQL connection that dies while idle (a server restart, an administrator's
 * pg_terminate_backend) is reported and replaced; it must not end the portal process.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../portal/db/database.ts';
import { createPostgresDatabase, postgresAdminUrl } from '../../helpers/portal-db.ts';
import { sql } from 'kysely';

describe('PostgreSQL connection lost while idle', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('reports it, keeps the process alive and answers the next query on a new connection', async () => {
    const created = await createPostgresDatabase(postgresAdminUrl());
    cleanup.push(created.drop);
    const reported: Error[] = [];
    const database = openDatabase(created.url, { onConnectionError: (e) => reported.push(e) });
    cleanup.push(() => database.close());

    const pid = async (): Promise<number> =>
      (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
    const before = await pid(); // the connection goes back to the pool, idle

    const admin = new pg.Client({ connectionString: created.url });
    await admin.connect();
    cleanup.push(() => admin.end());
    await admin.query('select pg_terminate_backend($1)', [before]);
    await expect.poll(() => reported.length, { timeout: 5000 }).toBeGreaterThan(0);

    expect(reported[0]?.message).toMatch(/terminat/i);
    const after = await pid();
    expect(after).not.toBe(before);
  });
});
