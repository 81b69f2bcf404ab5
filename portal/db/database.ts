/**
 * One query layer (Kysely) over both databases: SQLite (better-sqlite3) by default, PostgreSQL
 * when the URL says so. Migrations are plain Kysely migrations listed in ./migrations/index.ts.
 */
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { migrations } from './migrations/index.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

/** `url` is a file path, ":memory:", or postgres://... */
export function openDatabase(url: string): Database {
  const kind: DatabaseKind = /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
  let dialect: Dialect;
  if (kind === 'postgres') {
    dialect = new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) });
  } else {
    const sqlite = new SQLite(url);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    dialect = new SqliteDialect({ database: sqlite });
  }
  const db = new Kysely<DB>({ dialect });
  return { db, kind, close: () => db.destroy() };
}

/** Bring the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<DB>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${String(error)}`);
  }
}
