/**
 * Applicant sessions: the session rules of session-table.ts over the `sessions` table, each row
 * holding the person's IIN.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { DEFAULT_IDLE_MS, sessionTable } from './session-table.ts';

const applicantSessions = sessionTable('sessions', ['iin']);

export async function createSession(
  db: Kysely<DB>,
  iin: string,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<{ token: string; expiresAt: Date }> {
  return applicantSessions.create(db, { iin }, now, idleMs);
}

/** The session's IIN, or null when the token is unknown or the session has expired. */
export async function resolveSession(
  db: Kysely<DB>,
  token: string,
  now: Date,
  idleMs = DEFAULT_IDLE_MS,
): Promise<string | null> {
  return (await applicantSessions.resolve(db, token, now, idleMs))?.iin ?? null;
}

export const endSession = applicantSessions.end;

/** Deletes applicant sessions that have expired; the number deleted. */
export const purgeExpiredSessions = applicantSessions.purgeExpired;
