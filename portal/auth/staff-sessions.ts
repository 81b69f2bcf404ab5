/**
 * Staff sessions: the session rules of session-table.ts in their own table, recording the
 * organisation the staff member acts for: a kindergarten or a PMPK commission (docs/pmpk.md,
 * Staff), never both.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { DEFAULT_IDLE_MS, sessionTable } from './session-table.ts';

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

const staffSessions = sessionTable('staff_sessions', ['iin', 'full_name', 'bin', 'kindergarten_id', 'commission_id']);

export async function createStaffSession(
  db: Kysely<DB>,
  staff: StaffActor,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<{ token: string; expiresAt: Date }> {
  return staffSessions.create(
    db,
    {
      iin: staff.iin,
      full_name: staff.fullName,
      bin: staff.bin,
      kindergarten_id: isKindergartenStaff(staff) ? staff.kindergartenId : null,
      commission_id: isKindergartenStaff(staff) ? null : staff.commissionId,
    },
    now,
    idleMs,
  );
}

/** The staff member behind the token, or null when it is unknown, expired or not a staff token. */
export async function resolveStaffSession(
  db: Kysely<DB>,
  token: string,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<StaffActor | null> {
  const row = await staffSessions.resolve(db, token, now, idleMs);
  if (!row) return null;
  const person = { iin: row.iin, fullName: row.full_name, bin: row.bin };
  if (row.kindergarten_id !== null) return { ...person, kindergartenId: row.kindergarten_id };
  if (row.commission_id !== null) return { ...person, commissionId: row.commission_id };
  return null;
}

export const endStaffSession = staffSessions.end;

/** Deletes staff sessions that have expired; the number deleted. */
export const purgeExpiredStaffSessions = staffSessions.purgeExpired;
