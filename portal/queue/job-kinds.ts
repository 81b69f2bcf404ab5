/** The queue's scheduler job kinds: its durable deadlines (handlers in deadlines.ts) and the yearly update. */
export const JOB_OFFER_EXPIRY = 'offer_expiry';
export const JOB_REFERRAL_CONFIRM = 'referral_confirm_deadline';
export const JOB_BENEFIT_CONFIRMATION = 'benefit_confirmation';
/** The yearly queue update (yearly-update.ts); ref_id is the year. */
export const JOB_YEARLY_UPDATE = 'queue_yearly_update';
