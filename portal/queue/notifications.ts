/**
 * What the queue asks the HTTP side to tell an applicant. The sink runs inside the queue's
 * transaction, so an outbox row written there commits or rolls back with the event itself.
 * Free-choice places notify nobody (docs/domain.md, The referral journey).
 */
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

export type NotificationKind =
  | 'offer_made'
  | 'offer_lapsed'
  | 'offer_withdrawn'
  | 'referral_issued'
  | 'referral_confirmed'
  | 'referral_cancelled'
  | 'benefit_lapsed'
  | 'dequeued'
  | 'aged_out'
  // #13: the August moves and PMPK conclusion reminders
  | 'group_moved'
  | 'group_full'
  | 'pmpk_expiring'
  | 'pmpk_expired';

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
