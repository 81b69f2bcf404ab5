/** The append-only change history of an application (the card's "change history" tab). */
import type { Kysely } from 'kysely';
import type { ApplicationStatus, DB } from '../db/schema.ts';
import type { JourneyEvent } from './events.ts';

/** Besides the journey's events (events.ts), what only the history records. */
export type HistoryEvent =
  | JourneyEvent
  | 'registered'
  | 'benefit_confirmed'
  | 'offer_cancelled'
  | 'stop_listed'
  | 'child_left';

export async function recordHistory(
  db: Kysely<DB>,
  entry: {
    applicationId: number;
    at: string;
    event: HistoryEvent;
    status: ApplicationStatus | null;
    actor: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('application_history')
    .values({
      application_id: entry.applicationId,
      at: entry.at,
      event: entry.event,
      status: entry.status,
      actor: entry.actor,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
    .execute();
}

export const SYSTEM_ACTOR = 'system';
export const applicantActor = (iin: string): string => `applicant:${iin}`;
export const kindergartenActor = (bin: string): string => `kindergarten:${bin}`;
