/**
 * Sessions: a random token given to the client (bearer header or HttpOnly cookie), stored only as
 * its SHA-256. A session expires after `idleMs` without use; each use slides the expiry.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export const DEFAULT_IDLE_MS = 30 * 60_000;
/** Slide the expiry at most once a minute, so reads stay reads. */
export const TOUCH_INTERVAL_MS = 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function createSession(
  db: Kysely<DB>,
  iin: string,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + idleMs);
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      iin,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute();
  return { token, expiresAt };
}

/** The session's IIN, or null when the token is unknown or the session has expired. */
export async function resolveSession(db: Kysely<DB>, token: string, now: Date, idleMs = DEFAULT_IDLE_MS): Promise<string | null> {
  if (!isTokenShaped(token)) return null;
  const tokenHash = hashToken(token);
  const row = await db.selectFrom('sessions').select(['iin', 'last_seen_at', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return null;
  if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_INTERVAL_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + idleMs).toISOString() })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return row.iin;
}

/** A token as createSession makes them (32 random bytes, base64url). */
export const isTokenShaped = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

export async function endSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}
