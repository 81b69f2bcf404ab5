/**
 * The session rules, one place for the applicant, staff and administrator tables: a random token
 * given to the client (bearer header or HttpOnly cookie), stored only as its SHA-256. A session
 * expires after `idleMs` without use; each use slides the expiry (at most once a minute, so reads
 * stay reads), but never past MAX_SESSION_MS after the login, so a stolen token kept busy still
 * dies the same day. Expired rows are deleted by the portal's housekeeping (housekeeping.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { preparedQuery } from '../db/prepared-query.ts';

export const DEFAULT_IDLE_MS = 30 * 60_000;
/** A session's absolute lifetime: one working day, whatever its use. */
export const MAX_SESSION_MS = 12 * 3_600_000;
/** Slide the expiry at most once a minute, so reads stay reads. */
export const TOUCH_INTERVAL_MS = 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A token as `create` makes them (32 random bytes, base64url). */
export const isTokenShaped = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

/** The columns every session table has, beside its own (who the session is for). */
interface SessionRow {
  token_hash: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  [own: string]: string | number | null;
}

type SessionTableName = 'sessions' | 'staff_sessions' | 'admin_sessions';
type OwnColumn<T extends SessionTableName> = Exclude<keyof DB[T] & string, 'token_hash' | 'created_at' | 'last_seen_at' | 'expires_at'>;

export interface SessionTable<Own> {
  /** A new session holding `own` (who it is for); its token and when it expires unused. */
  create(db: Kysely<DB>, own: Own, now: Date, idleMs?: number): Promise<{ token: string; expiresAt: Date }>;
  /**
   * The live session's own columns, or null when the token is unknown or expired, or `accept`
   * refuses the row (refused rows are not slid).
   */
  resolve(db: Kysely<DB>, token: string, now: Date, idleMs?: number, accept?: (own: Own) => boolean): Promise<Own | null>;
  end(db: Kysely<DB>, token: string): Promise<void>;
  /** Deletes the expired sessions; the number deleted. */
  purgeExpired(db: Kysely<DB>, now: Date): Promise<number>;
}

/**
 * The session operations on `table`, whose rows hold `own` (who the session is for) beside the
 * session columns. The lookup run by every request is a preparedQuery: compiled once per database
 * (and prepared on PostgreSQL).
 */
export function sessionTable<T extends SessionTableName, K extends OwnColumn<T>>(
  table: T,
  own: readonly K[],
): SessionTable<Pick<DB[T], K>> {
  type Own = Pick<DB[T], K>;
  // Kysely cannot type a query whose table name is a type parameter: the queries see the table
  // through a database whose one table has the session columns and any others.
  const view = (db: Kysely<DB>) => db as unknown as Kysely<{ session: SessionRow }>;
  const name = table as unknown as 'session';
  const byHash = preparedQuery((db, v: { tokenHash: string }) =>
    view(db)
      .selectFrom(name)
      .select([...own, 'created_at', 'last_seen_at', 'expires_at'])
      .where('token_hash', '=', v.tokenHash),
  );

  return {
    async create(db, values, now, idleMs = DEFAULT_IDLE_MS) {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + Math.min(idleMs, MAX_SESSION_MS));
      const at = now.toISOString();
      const row = { ...values, token_hash: hashToken(token), created_at: at, last_seen_at: at, expires_at: expiresAt.toISOString() };
      await view(db).insertInto(name).values(row).execute();
      return { token, expiresAt };
    },

    async resolve(db, token, now, idleMs = DEFAULT_IDLE_MS, accept = () => true) {
      if (!isTokenShaped(token)) return null;
      const tokenHash = hashToken(token);
      const row = (await byHash.executeTakeFirst(db, { tokenHash })) as (Own & SessionRow) | undefined;
      if (!row || row.expires_at <= now.toISOString() || !accept(row)) return null;
      if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_INTERVAL_MS) {
        const expires = Math.min(now.getTime() + idleMs, Date.parse(row.created_at) + MAX_SESSION_MS);
        await view(db)
          .updateTable(name)
          .set({ last_seen_at: now.toISOString(), expires_at: new Date(expires).toISOString() })
          .where('token_hash', '=', tokenHash)
          .execute();
      }
      return row;
    },

    async end(db, token) {
      await view(db).deleteFrom(name).where('token_hash', '=', hashToken(token)).execute();
    },

    async purgeExpired(db, now) {
      const result = await view(db)
        .deleteFrom(name)
        .where('expires_at', '<=', now.toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
