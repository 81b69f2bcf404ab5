/** Typed queue errors: a stable code for the API/UI and an English message for logs. */
export type QueueErrorCode =
  | 'INVALID_INPUT'
  | 'APPLICATION_NOT_FOUND'
  | 'NOT_YOUR_APPLICATION'
  | 'APPLICATION_NOT_IN_QUEUE'
  | 'KINDERGARTEN_NOT_FOUND'
  | 'CATEGORY_NOT_SERVED'
  | 'VACANCY_NOT_FOUND'
  | 'VACANCY_TAKEN'
  | 'VACANCY_ALREADY_WITHDRAWN'
  | 'OFFER_NOT_FOUND'
  | 'OFFER_NOT_ACTIVE'
  | 'OFFER_NOT_FOR_APPLICATION'
  | 'WRONG_KINDERGARTEN'
  | 'WRONG_GROUP_YEAR'
  | 'PLACE_TAKEN'
  | 'CHILD_ENROLLED'
  | 'CHILD_ALREADY_PLACED'
  | 'STOP_LISTED'
  | 'NO_VALID_PMPK'
  | 'REFERRAL_NOT_FOUND'
  | 'REFERRAL_NOT_ISSUED'
  | 'CHILD_NOT_FOUND'
  | 'CHILD_NOT_ENROLLED_HERE'
  | 'BENEFIT_NOT_AWAITING_CONFIRMATION'
  | 'BENEFIT_CONFIRMATION_OVERDUE';

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
