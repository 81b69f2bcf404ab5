/**
 * Typed queue errors: a stable code for the API/UI and an English message for logs.
 *
 * The code lists are the one place for them: the desktop app's translations are checked against
 * the ones an applicant can meet (CREATE_REFERRAL_REFUSALS, test/renderer/i18n.test.ts).
 */

/** Why a queued child cannot take a place now (eligibility.ts `blocked`). */
export const ELIGIBILITY_BLOCKS = ['CHILD_ENROLLED', 'STOP_LISTED', 'CHILD_ALREADY_PLACED', 'NO_VALID_PMPK'] as const;
export type EligibilityBlock = (typeof ELIGIBILITY_BLOCKS)[number];

/**
 * Every refusal of `engine.createReferral`, the one engine call an applicant reaches (through the
 * signed referral request, documents/referral-submission.ts). The engine throws them through a
 * helper typed with this list, so a new refusal there must be added here (and translated).
 */
export const CREATE_REFERRAL_REFUSALS = [
  'INVALID_INPUT',
  'OFFER_NOT_FOUND',
  'WRONG_KINDERGARTEN',
  'OFFER_NOT_FOR_APPLICATION',
  'OFFER_NOT_ACTIVE',
  'PLACE_TAKEN',
  'APPLICATION_NOT_FOUND',
  'WRONG_GROUP_YEAR',
  'APPLICATION_NOT_IN_QUEUE',
  ...ELIGIBILITY_BLOCKS,
] as const;
export type CreateReferralRefusal = (typeof CREATE_REFERRAL_REFUSALS)[number];

/** Every queue error code: createReferral's, then those of the staff, operator and dequeue calls. */
export const QUEUE_ERROR_CODES = [
  ...CREATE_REFERRAL_REFUSALS,
  'NOT_YOUR_APPLICATION',
  'KINDERGARTEN_NOT_FOUND',
  'CATEGORY_NOT_SERVED',
  'VACANCY_NOT_FOUND',
  'VACANCY_TAKEN',
  'VACANCY_ALREADY_WITHDRAWN',
  'REFERRAL_NOT_FOUND',
  'REFERRAL_NOT_ISSUED',
  'CHILD_NOT_FOUND',
  'CHILD_NOT_ENROLLED_HERE',
  'BENEFIT_NOT_AWAITING_CONFIRMATION',
  'BENEFIT_CONFIRMATION_OVERDUE',
] as const;
export type QueueErrorCode = (typeof QUEUE_ERROR_CODES)[number];

export class QueueError extends Error {
  override readonly name = 'QueueError';
  constructor(
    readonly code: QueueErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isQueueError(error: unknown, code?: QueueErrorCode): error is QueueError {
  return error instanceof QueueError && (code === undefined || error.code === code);
}
