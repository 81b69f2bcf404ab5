/**
 * Administrator sessions: like staff sessions (hashed random token, idle expiry sliding at most
 * once a minute, never past MAX_SESSION_MS after the login; expired rows deleted by the portal's
 * housekeeping) in their own table, recording the organisation the administrator acts for.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import {
  DEFAULT_IDLE_MS,
  hashToken,
  isExpired,
  isTokenShaped,
  newSessionRow,
  slideExpiry,
} from './sessions.ts';

export interface Administrator {
  iin: string;
  fullName: string;
  bin: string;
}

export async function createAdminSession(
  db: Kysely<DB>,
  admin: Administrator,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<{ token: string; expiresAt: Date }> {
  const { token, expiresAt, row } = newSessionRow(now, idleMs);
  await db
    .insertInto('admin_sessions')
    .values({ ...row, iin: admin.iin, full_name: admin.fullName, bin: admin.bin })
    .execute();
  return { token, expiresAt };
}

/**
 * The administrator behind the token, or null when it is unknown, expired, or its organisation is
 * no longer one of `adminBins` (the configuration changed since the login).
 */
export async function resolveAdminSession(
  db: Kysely<DB>,
  token: string,
  now: Date,
  adminBins: ReadonlySet<string>,
  idleMs = DEFAULT_IDLE_MS,
): Promise<Administrator | null> {
  if (!isTokenShaped(token)) return null;
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('admin_sessions')
    .select(['iin', 'full_name', 'bin', 'created_at', 'last_seen_at', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row || isExpired(row, now) || !adminBins.has(row.bin)) return null;
  const touch = slideExpiry(row, now, idleMs);
  if (touch) await db.updateTable('admin_sessions').set(touch).where('token_hash', '=', tokenHash).execute();
  return { iin: row.iin, fullName: row.full_name, bin: row.bin };
}

export async function endAdminSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Deletes administrator sessions that have expired; the number deleted. */
export async function purgeExpiredAdminSessions(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db.deleteFrom('admin_sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
