/** Transactions that retry when PostgreSQL reports a deadlock or serialization failure. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

const RETRYABLE = new Set(['40001', '40P01', 'SQLITE_BUSY']);

export async function inTransaction<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 5 || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}
