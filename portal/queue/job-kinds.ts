/** The queue's durable deadlines, by scheduler job kind (handlers in deadlines.ts). */
export const JOB_OFFER_EXPIRY = 'offer_expiry';
export const JOB_REFERRAL_CONFIRM = 'referral_confirm_deadline';
export const JOB_BENEFIT_CONFIRMATION = 'benefit_confirmation';
