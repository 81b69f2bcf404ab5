/**
 * Staff sessions: like applicant sessions (hashed random token, idle expiry sliding at most once a
 * minute) but in their own table, recording the kindergarten the staff member acts for.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { preparedQuery } from '../db/prepared-query.ts';
import {
  DEFAULT_IDLE_MS,
  hashToken,
  isExpired,
  isTokenShaped,
  newSessionRow,
  slideExpiry,
} from './sessions.ts';

export interface StaffMember {
  iin: string;
  fullName: string;
  bin: string;
  kindergartenId: number;
}

export async function createStaffSession(
  db: Kysely<DB>,
  staff: StaffMember,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<{ token: string; expiresAt: Date }> {
  const { token, expiresAt, row } = newSessionRow(now, idleMs);
  await db
    .insertInto('staff_sessions')
    .values({
      ...row,
      iin: staff.iin,
      full_name: staff.fullName,
      bin: staff.bin,
      kindergarten_id: staff.kindergartenId,
    })
    .execute();
  return { token, expiresAt };
}

// Every staff request runs this: compiled once (and prepared on PostgreSQL), like the applicant's.
const staffSessionByHash = preparedQuery((db, v: { tokenHash: string }) =>
  db
    .selectFrom('staff_sessions')
    .select(['iin', 'full_name', 'bin', 'kindergarten_id', 'created_at', 'last_seen_at', 'expires_at'])
    .where('token_hash', '=', v.tokenHash),
);

/** The staff member behind the token, or null when it is unknown, expired or not a staff token. */
export async function resolveStaffSession(
  db: Kysely<DB>,
  token: string,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<StaffMember | null> {
  if (!isTokenShaped(token)) return null;
  const tokenHash = hashToken(token);
  const row = await staffSessionByHash.executeTakeFirst(db, { tokenHash });
  if (!row || isExpired(row, now)) return null;
  const touch = slideExpiry(row, now, idleMs);
  if (touch) await db.updateTable('staff_sessions').set(touch).where('token_hash', '=', tokenHash).execute();
  return { iin: row.iin, fullName: row.full_name, bin: row.bin, kindergartenId: row.kindergarten_id };
}

export async function endStaffSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Deletes staff sessions that have expired; the number deleted. */
export async function purgeExpiredStaffSessions(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db.deleteFrom('staff_sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
