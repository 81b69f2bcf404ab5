/**
 * Turning a contract error (a code) into what the user reads: a translated title and what to do.
 * One place for the rule; components only render the result.
 */
import type { AppError } from '../../contract/contract.ts';
import type { Dictionary } from './i18n/index.ts';

export type ErrorCodeWithText = Exclude<keyof Dictionary['errors'], 'UNKNOWN'>;

export interface ShownError {
  code: string;
  title: string;
  action: string;
}

function hasText(errors: Dictionary['errors'], code: string): code is ErrorCodeWithText {
  return code !== 'UNKNOWN' && Object.prototype.hasOwnProperty.call(errors, code);
}

/** Translate an error; unknown codes get the generic text but keep their code for support. */
export function describeError(error: Pick<AppError, 'code'>, dict: Dictionary): ShownError {
  const text = hasText(dict.errors, error.code) ? dict.errors[error.code] : dict.errors.UNKNOWN;
  return { code: error.code, title: text.title, action: text.action };
}

/** Codes that mean "the session is gone": the app returns to login and keeps the user's work. */
export function isSessionLapse(code: string): boolean {
  return code === 'SESSION_EXPIRED' || code === 'NOT_LOGGED_IN';
}
