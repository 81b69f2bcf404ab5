/**
 * Sessions: a random token given to the client (bearer header or HttpOnly cookie), stored only as
 * its SHA-256. A session expires after `idleMs` without use; each use slides the expiry, but never
 * past MAX_SESSION_MS after the login, so a stolen token kept busy still dies the same day.
 * Expired rows are deleted by the portal's housekeeping (housekeeping.ts).
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

/** A new random token and the columns every session table shares (applicant and staff sessions). */
export function newSessionRow(
  now: Date,
  idleMs: number,
): {
  token: string;
  expiresAt: Date;
  row: { token_hash: string; created_at: string; last_seen_at: string; expires_at: string };
} {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + Math.min(idleMs, MAX_SESSION_MS));
  const at = now.toISOString();
  return {
    token,
    expiresAt,
    row: {
      token_hash: hashToken(token),
      created_at: at,
      last_seen_at: at,
      expires_at: expiresAt.toISOString(),
    },
  };
}

export const isExpired = (row: { expires_at: string }, now: Date): boolean =>
  row.expires_at <= now.toISOString();

/**
 * The slid expiry to write after a use (capped at MAX_SESSION_MS after the login), or null when the
 * session was touched less than a minute ago.
 */
export function slideExpiry(
  row: { created_at: string; last_seen_at: string },
  now: Date,
  idleMs: number,
): { last_seen_at: string; expires_at: string } | null {
  if (now.getTime() - Date.parse(row.last_seen_at) < TOUCH_INTERVAL_MS) return null;
  const expires = Math.min(now.getTime() + idleMs, Date.parse(row.created_at) + MAX_SESSION_MS);
  return { last_seen_at: now.toISOString(), expires_at: new Date(expires).toISOString() };
}

export async function createSession(
  db: Kysely<DB>,
  iin: string,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<{ token: string; expiresAt: Date }> {
  const { token, expiresAt, row } = newSessionRow(now, idleMs);
  await db
    .insertInto('sessions')
    .values({ ...row, iin })
    .execute();
  return { token, expiresAt };
}

// Every applicant request runs this: compiled once.
const sessionByHash = preparedQuery((db, v: { tokenHash: string }) =>
  db
    .selectFrom('sessions')
    .select(['iin', 'created_at', 'last_seen_at', 'expires_at'])
    .where('token_hash', '=', v.tokenHash),
);

/** The session's IIN, or null when the token is unknown or the session has expired. */
export async function resolveSession(
  db: Kysely<DB>,
  token: string,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<string | null> {
  if (!isTokenShaped(token)) return null;
  const tokenHash = hashToken(token);
  const row = await sessionByHash.executeTakeFirst(db, { tokenHash });
  if (!row || isExpired(row, now)) return null;
  const touch = slideExpiry(row, now, idleMs);
  if (touch) await db.updateTable('sessions').set(touch).where('token_hash', '=', tokenHash).execute();
  return row.iin;
}

/** A token as createSession makes them (32 random bytes, base64url). */
export const isTokenShaped = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

export async function endSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Deletes applicant sessions that have expired; the number deleted. */
export async function purgeExpiredSessions(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
