/**
 * Administrator sessions: the session rules of session-table.ts in their own table, recording the
 * organisation the administrator acts for.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { DEFAULT_IDLE_MS, sessionTable } from './session-table.ts';

export interface Administrator {
  iin: string;
  fullName: string;
  bin: string;
}

const adminSessions = sessionTable('admin_sessions', ['iin', 'full_name', 'bin']);

export async function createAdminSession(
  db: Kysely<DB>,
  admin: Administrator,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<{ token: string; expiresAt: Date }> {
  return adminSessions.create(db, { iin: admin.iin, full_name: admin.fullName, bin: admin.bin }, now, idleMs);
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
  const row = await adminSessions.resolve(db, token, now, idleMs, (r) => adminBins.has(r.bin));
  return row && { iin: row.iin, fullName: row.full_name, bin: row.bin };
}

export const endAdminSession = adminSessions.end;

/** Deletes administrator sessions that have expired; the number deleted. */
export const purgeExpiredAdminSessions = adminSessions.purgeExpired;
