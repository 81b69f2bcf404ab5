/**
 * Typed queue errors: a stable code for the API/UI and an English message for logs.
 *
 * Every code is one of the API's refusal catalogue (protocol/refusals.ts), which gives its HTTP
 * status and through which clients translate it.
 */

import { CREATE_REFERRAL_REFUSALS, ELIGIBILITY_BLOCKS, type RefusalCode } from '../../protocol/refusals.ts';

export { CREATE_REFERRAL_REFUSALS, ELIGIBILITY_BLOCKS };
export type EligibilityBlock = (typeof ELIGIBILITY_BLOCKS)[number];
/**
 * Every refusal of `engine.createReferral`, the one engine call an applicant reaches (through the
 * signed referral request, documents/referral-submission.ts). The engine throws them through a
 * helper typed with this list (declared in the API's refusal catalogue, where they are translated).
 */
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
  'REFERRAL_CONFIRMATION_OVERDUE',
  'CHILD_NOT_FOUND',
  'CHILD_NOT_ENROLLED_HERE',
  'BENEFIT_NOT_AWAITING_CONFIRMATION',
  'BENEFIT_CONFIRMATION_OVERDUE',
  // #13: staff moving a child between age groups
  'GROUP_NOT_FOUND',
  'GROUP_OTHER_CATEGORY',
  'GROUP_FULL',
] as const satisfies readonly RefusalCode[];
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
