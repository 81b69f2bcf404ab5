/**
 * The events of an application's journey that are both written to its change history
 * (history.ts) and told to the applicant (notifications.ts): one list, so the two cannot drift.
 */
export type JourneyEvent =
  | 'offer_made'
  | 'offer_lapsed'
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
