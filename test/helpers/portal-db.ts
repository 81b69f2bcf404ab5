/**
 * Fresh, migrated portal databases for tests, on SQLite (:memory:) and on PostgreSQL.
 *
 *   withTestDatabases((kind, freshDb) => {
 *     it('does X', async () => { const { db } = await freshDb(); ... });
 *   });
 *
 * runs the body once per database kind inside `describe(kind)`. PostgreSQL databases are
 * cloned from a per-file migrated template (CREATE DATABASE ... TEMPLATE), so each test gets
 * an empty database cheaply; all are closed and dropped after the describe block.
 */
import { afterAll, describe, inject } from 'vitest';
import { migrateToLatest, openDatabase, type Database, type DatabaseKind } from '../../portal/db/database.ts';
import { createPostgresDatabase } from './postgres.ts';

export { createPostgresDatabase };

export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres'];

export interface TestDatabase extends Database {
  /** Connection URL (":memory:" for SQLite): open a second handle on the same PostgreSQL database with it. */
  url: string;
}

export function postgresAdminUrl(): string {
  const url = inject('postgresAdminUrl');
  if (!url)
    throw new Error(
      'No PostgreSQL for tests: is test/helpers/postgres.ts listed in vitest.config.ts globalSetup?',
    );
  return url;
}

/** A fresh migrated database of `kind`; the caller closes it (and `drop`s PostgreSQL ones). */
export async function createTestDatabase(
  kind: DatabaseKind,
): Promise<TestDatabase & { drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const handle = openDatabase(':memory:');
    await migrateToLatest(handle.db);
    return { ...handle, url: ':memory:', drop: async () => {} };
  }
  const created = await createPostgresDatabase(postgresAdminUrl());
  const handle = openDatabase(created.url);
  return { ...handle, url: created.url, drop: created.drop };
}

/** Runs `body` once per database kind; `freshDb()` gives a new migrated database, cleaned up after. */
export function withTestDatabases(
  body: (kind: DatabaseKind, freshDb: () => Promise<TestDatabase>) => void,
): void {
  describe.each(DATABASE_KINDS)('%s', (kind) => {
    const opened: Array<TestDatabase & { drop(): Promise<void> }> = [];
    afterAll(async () => {
      for (const d of opened) {
        await d.close();
        await d.drop();
      }
    });
    body(kind, async () => {
      const d = await createTestDatabase(kind);
      opened.push(d);
      return d;
    });
  });
}
