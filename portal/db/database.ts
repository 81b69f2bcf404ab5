/**
 * One query layer (Kysely) over both databases: SQLite (better-sqlite3) by default, PostgreSQL
 * when the URL says so. Migrations are plain Kysely migrations listed in ./migrations/index.ts.
 */
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteQueryCompiler,
  ValueNode,
  type Dialect,
  type LimitNode,
  type OffsetNode,
  type OperationNode,
  type QueryCompiler,
  type SqliteDatabase,
} from 'kysely';
import { LRUCache } from 'lru-cache';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { migrations } from './migrations/index.ts';
import { preparedStatementName } from './prepared-query.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /**
   * A pooled PostgreSQL connection failed while idle (the server restarted, an administrator ended
   * it). The pool drops it and opens a new one when next needed; this only reports it.
   * Default: a line on stderr.
   */
  onConnectionError?: (error: Error) => void;
  /**
   * PostgreSQL: the most connections the pool opens (default DEFAULT_POOL_SIZE). Each request
   * holds one for its statements only; docs/operations.md has the throughput measured at several
   * sizes. SQLite has one connection whatever this says.
   */
  poolSize?: number;
}

export const DEFAULT_POOL_SIZE = 10;

/** A pool size from the command line or the environment (JOLDAMA_DB_POOL); throws a clear message. */
export function parsePoolSize(value: string, from = '--db-pool'): number {
  const size = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(size >= 1 && size <= 200)) throw new Error(`${from} expects a number of connections from 1 to 200, got "${value}"`);
  return size;
}

/** openDatabase's default report of a lost PostgreSQL connection. */
export function reportConnectionErrorOnStderr(error: Error): void {
  process.stderr.write(`database connection lost: ${error.message}\n`);
}

/** `url` is a file path, ":memory:", or postgres://... */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Database {
  const kind: DatabaseKind = /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
  let dialect: Dialect;
  if (kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? DEFAULT_POOL_SIZE, Client: PreparingClient });
    // Without a listener, pg's 'error' event for an idle client would end the whole process.
    pool.on('error', options.onConnectionError ?? reportConnectionErrorOnStderr);
    dialect = new PostgresDialect({ pool });
  } else {
    const sqlite = new SQLite(url);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // WAL + NORMAL: commits no longer wait for an fsync each (a power cut may lose the last
    // transactions, never corrupts the database); every login and submission commits.
    sqlite.pragma('synchronous = NORMAL');
    // 64 MiB page cache (default 2 MiB): queues and journals stay in memory.
    sqlite.pragma('cache_size = -65536');
    dialect = new PortalSqliteDialect({ database: withStatementCache(sqlite) });
  }
  const db = new Kysely<DB>({ dialect });
  return { db, kind, close: () => db.destroy() };
}

/**
 * PostgreSQL parses and plans every statement it is sent unless it is prepared. A journal read's
 * small statements (three when measured) cost it ~770 µs of CPU a request that way, ~210 µs
 * prepared (planning the joins and the queue-number subqueries was most of it). preparedQuery's templates
 * (`preparedStatementName`) are therefore sent as named statements: each connection prepares one
 * the first time it runs it and then only binds values. PostgreSQL re-plans them itself after a
 * schema change. Everything else goes as before (unnamed: parsed and planned each time).
 * A pooler in front of the server must keep prepared statements per client (PgBouncer ≥ 1.21 with
 * max_prepared_statements, or session pooling).
 */
class PreparingClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- forwards every one of pg's query overloads
  override query(...args: any[]): any {
    const [text, values] = args;
    const name = args.length === 2 && typeof text === 'string' ? preparedStatementName(text) : undefined;
    if (name) return super.query({ name, text, values });
    return (super.query as (...a: unknown[]) => unknown).apply(this, args);
  }
}

/**
 * SQLite reads a bare `limit ?` / `offset ?` parameter while planning and then marks the prepared
 * statement expired whenever that parameter is bound again, so a cached statement was compiled
 * anew on every run (measured on the journal page: 46 µs a run, 13 µs with a constant limit).
 * `cast(? as integer)` is the same value but not a bare parameter: the prepared plan stays.
 */
class PortalSqliteQueryCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    this.append('limit ');
    this.visitInteger(node.limit);
  }

  protected override visitOffset(node: OffsetNode): void {
    this.append('offset ');
    this.visitInteger(node.offset);
  }

  private visitInteger(node: OperationNode): void {
    if (!ValueNode.is(node) || node.immediate) return this.visitNode(node);
    this.append('cast(');
    this.visitNode(node);
    this.append(' as integer)');
  }
}

class PortalSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new PortalSqliteQueryCompiler();
  }
}

/**
 * Kysely prepares every query anew; the portal runs the same few dozen statements all the time,
 * so keep them prepared. A statement still being iterated (a stream) is never handed out twice.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new LRUCache<string, SQLite.Statement>({ max: 500 });
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      statements.set(sql, statement);
      return statement;
    },
  };
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
