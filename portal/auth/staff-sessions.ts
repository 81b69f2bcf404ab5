/**
 * Staff sessions: like applicant sessions (hashed random token, idle expiry sliding at most once a
 * minute) but in their own table, recording the kindergarten the staff member acts for.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { DEFAULT_IDLE_MS, TOUCH_INTERVAL_MS, hashToken, isTokenShaped } from './sessions.ts';

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
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + idleMs);
  await db
    .insertInto('staff_sessions')
    .values({
      token_hash: hashToken(token),
      iin: staff.iin,
      full_name: staff.fullName,
      bin: staff.bin,
      kindergarten_id: staff.kindergartenId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute();
  return { token, expiresAt };
}

/** The staff member behind the token, or null when it is unknown, expired or not a staff token. */
export async function resolveStaffSession(
  db: Kysely<DB>,
  token: string,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<StaffMember | null> {
  if (!isTokenShaped(token)) return null;
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('staff_sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return null;
  if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_INTERVAL_MS) {
    await db
      .updateTable('staff_sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + idleMs).toISOString() })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return { iin: row.iin, fullName: row.full_name, bin: row.bin, kindergartenId: row.kindergarten_id };
}

export async function endStaffSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', hashToken(token)).execute();
}
