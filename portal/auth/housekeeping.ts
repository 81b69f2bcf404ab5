/**
 * Login housekeeping: expired applicant, staff and administrator sessions, old login challenges and
 * SMS-code rows whose code and daily window are both over are deleted,
 * so the tables stay the size of the people logged in rather than growing with every login.
 * The scheduler's tick calls `tidy(now)`; it does the work at most once per `everyMs`.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { purgeExpiredAdminSessions } from './admin-sessions.ts';
import { purgeChallenges } from './challenges.ts';
import { purgeExpiredSessions } from './sessions.ts';
import { purgeSmsCodes } from './sms-codes.ts';
import { purgeExpiredStaffSessions } from './staff-sessions.ts';

export interface Purged {
  sessions: number;
  staffSessions: number;
  adminSessions: number;
  challenges: number;
  smsCodes: number;
}

export async function purgeExpiredLogins(db: Kysely<DB>, now: Date): Promise<Purged> {
  return {
    sessions: await purgeExpiredSessions(db, now),
    staffSessions: await purgeExpiredStaffSessions(db, now),
    adminSessions: await purgeExpiredAdminSessions(db, now),
    challenges: await purgeChallenges(db, now),
    smsCodes: await purgeSmsCodes(db, now),
  };
}

/** `tidy(now)` purges when `everyMs` has passed since the last purge (the first call always does). */
export function loginHousekeeping(
  db: Kysely<DB>,
  everyMs = 3_600_000,
): { tidy(now: Date): Promise<Purged | null> } {
  let last = Number.NEGATIVE_INFINITY;
  return {
    async tidy(now) {
      if (now.getTime() - last < everyMs) return null;
      last = now.getTime();
      return purgeExpiredLogins(db, now);
    },
  };
}
