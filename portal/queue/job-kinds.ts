/** The queue's scheduler job kinds: its durable deadlines (handlers in deadlines.ts) and the yearly update. */
export const JOB_OFFER_EXPIRY = 'offer_expiry';
export const JOB_REFERRAL_CONFIRM = 'referral_confirm_deadline';
export const JOB_BENEFIT_CONFIRMATION = 'benefit_confirmation';
/** The yearly queue update (yearly-update.ts); ref_id is the year. */
export const JOB_YEARLY_UPDATE = 'queue_yearly_update';
/** The August moves between age groups (age-groups.ts); ref_id is the year. */
export const JOB_GROUP_MOVES = 'queue_group_moves';
/** A retry of the moves for children a full group kept back, each day of August; ref_id is the day (YYYYMMDD). */
export const JOB_GROUP_MOVES_RETRY = 'queue_group_moves_retry';
/** PMPK conclusion reminders (pmpk-expiry.ts); ref_id is the conclusion's id. */
export const JOB_PMPK_EXPIRY_REMINDER = 'pmpk_expiry_reminder';
export const JOB_PMPK_EXPIRED = 'pmpk_expired';
