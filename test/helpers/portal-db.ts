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
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, inject } from 'vitest';
import { migrateToLatest, openDatabase, type Database, type DatabaseKind } from '../../portal/db/database.ts';

export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres'];

export interface TestDatabase extends Database {
  /** Connection URL (":memory:" for SQLite): open a second handle on the same PostgreSQL database with it. */
  url: string;
}

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const templates = new Map<string, Promise<string>>();

/** One migrated template database per server and test file (process). */
function migratedTemplate(adminUrl: string): Promise<string> {
  let template = templates.get(adminUrl);
  if (!template) {
    template = (async () => {
      const name = `tpl_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
      const handle = openDatabase(withDatabase(adminUrl, name));
      try {
        await migrateToLatest(handle.db);
      } finally {
        await handle.close();
      }
      return name;
    })();
    templates.set(adminUrl, template);
  }
  return template;
}

/** A new empty, migrated PostgreSQL database on the server at `adminUrl`; `drop()` removes it. */
export async function createPostgresDatabase(
  adminUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const template = await migratedTemplate(adminUrl);
  const name = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: withDatabase(adminUrl, name),
    drop: () =>
      admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
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
