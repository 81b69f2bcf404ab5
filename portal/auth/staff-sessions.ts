/**
 * Staff sessions: like applicant sessions (hashed random token, idle expiry sliding at most once a
 * minute) but in their own table, recording the organisation the staff member acts for: a
 * kindergarten or a PMPK commission (docs/pmpk.md, Staff), never both.
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

interface StaffPerson {
  iin: string;
  fullName: string;
  bin: string;
}

/** Kindergarten staff. */
export interface StaffMember extends StaffPerson {
  kindergartenId: number;
}

/** PMPK commission staff. */
export interface CommissionStaff extends StaffPerson {
  commissionId: number;
}

export type StaffActor = StaffMember | CommissionStaff;

export const isKindergartenStaff = (s: StaffActor): s is StaffMember => 'kindergartenId' in s;

export async function createStaffSession(
  db: Kysely<DB>,
  staff: StaffActor,
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
      kindergarten_id: isKindergartenStaff(staff) ? staff.kindergartenId : null,
      commission_id: isKindergartenStaff(staff) ? null : staff.commissionId,
    })
    .execute();
  return { token, expiresAt };
}

// Every staff request runs this: compiled once (and prepared on PostgreSQL), like the applicant's.
const staffSessionByHash = preparedQuery((db, v: { tokenHash: string }) =>
  db
    .selectFrom('staff_sessions')
    .select(['iin', 'full_name', 'bin', 'kindergarten_id', 'commission_id', 'created_at', 'last_seen_at', 'expires_at'])
    .where('token_hash', '=', v.tokenHash),
);

/** The staff member behind the token, or null when it is unknown, expired or not a staff token. */
export async function resolveStaffSession(
  db: Kysely<DB>,
  token: string,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<StaffActor | null> {
  if (!isTokenShaped(token)) return null;
  const tokenHash = hashToken(token);
  const row = await staffSessionByHash.executeTakeFirst(db, { tokenHash });
  if (!row || isExpired(row, now)) return null;
  const touch = slideExpiry(row, now, idleMs);
  if (touch) await db.updateTable('staff_sessions').set(touch).where('token_hash', '=', tokenHash).execute();
  const person = { iin: row.iin, fullName: row.full_name, bin: row.bin };
  if (row.kindergarten_id !== null) return { ...person, kindergartenId: row.kindergarten_id };
  if (row.commission_id !== null) return { ...person, commissionId: row.commission_id };
  return null;
}

export async function endStaffSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Deletes staff sessions that have expired; the number deleted. */
export async function purgeExpiredStaffSessions(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db.deleteFrom('staff_sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
