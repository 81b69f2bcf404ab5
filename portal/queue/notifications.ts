/**
 * What the queue asks the HTTP side to tell an applicant. The sink runs inside the queue's
 * transaction, so an outbox row written there commits or rolls back with the event itself.
 * Free-choice places notify nobody (docs/domain.md, The referral journey).
 */
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { JourneyEvent } from './events.ts';

/** The journey's events (events.ts), and an offer withdrawn, which the history records as offer_cancelled. */
export type NotificationKind = JourneyEvent | 'offer_withdrawn';

export interface NotificationRequest {
  kind: NotificationKind;
  applicationId: number;
  applicantId: number;
  /** ISO instant of the event. */
  at: string;
  offerId?: number;
  referralId?: number;
  kindergartenId?: number;
  /** The deadline the event is about (offer, referral, stop list, benefit confirmation), ISO instant. */
  deadline?: string;
  /** The age group the event is about (the August moves). */
  groupId?: number;
  /** The last valid day of the PMPK conclusion the event is about, YYYY-MM-DD. */
  validUntil?: string;
}

export interface NotificationSink {
  notify(trx: Transaction<DB>, request: NotificationRequest): Promise<void>;
}

export const noNotifications: NotificationSink = { notify: async () => {} };
