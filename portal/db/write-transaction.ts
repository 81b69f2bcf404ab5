/**
 * A transaction that writes after it reads, safe with several processes on one database.
 * PostgreSQL: inTransaction (deadlocks and serialization failures retried). SQLite: BEGIN
 * IMMEDIATE takes the write lock at the start, so another process's transaction waits its turn
 * (busy_timeout) instead of failing with "database is locked" when its read turns into a write,
 * which SQLite cannot wait out (another writer committed since its snapshot).
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { inTransaction } from './transactions.ts';

export async function inWriteTransaction<T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return inTransaction(db, fn);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}
