/**
 * Typed failures inside main. Handlers throw AppFailure; dispatch turns it (and signing's
 * SigningError) into the contract's `{ ok: false, error: { code, details } }`. Anything else is
 * INTERNAL_ERROR: logged (without secrets), never shown as a stack.
 */
import { isKnownErrorCode, type AppError, type KnownErrorCode } from '../contract/contract.ts';

export class AppFailure extends Error {
  override readonly name = 'AppFailure';
  constructor(
    readonly code: KnownErrorCode | (string & {}),
    message: string = code,
    readonly details?: Record<string, string>,
  ) {
    super(message);
  }
}

/** signing/ error codes whose contract name differs (the rest pass through unchanged). */
const SIGNING_CODE_MAP: Record<string, KnownErrorCode> = {
  CERTIFICATE_EXPIRED: 'CERT_EXPIRED',
  CERTIFICATE_NOT_YET_VALID: 'CERT_NOT_YET_VALID',
  CERTIFICATE_WRONG_PURPOSE: 'WRONG_PURPOSE',
};

function isNamedError(e: unknown, name: string): e is Error & { code: string } {
  return e instanceof Error && e.name === name && typeof (e as { code?: unknown }).code === 'string';
}

/** Map any thrown value to a contract error. `known` tells dispatch whether to log it as a bug. */
export function toAppError(e: unknown): { error: AppError; known: boolean } {
  if (e instanceof AppFailure) {
    return { error: e.details ? { code: e.code, details: e.details } : { code: e.code }, known: true };
  }
  // Matched by name, not instanceof, so that a second copy of signing/ (tests, tsx) still maps.
  if (isNamedError(e, 'SigningError')) {
    // signing/ codes a user can act on are in the app's catalogue (a few under another name);
    // any other signing failure is a bug here, reported as INTERNAL_ERROR.
    const code = SIGNING_CODE_MAP[e.code] ?? e.code;
    // A wrong PIN carries the token's warning of few tries left (docs/tokens.md).
    const pinTries = (e as { detail?: { pinTries?: unknown } }).detail?.pinTries;
    if (isKnownErrorCode(code)) {
      return { error: pinTries === 'low' || pinTries === 'final' ? { code, details: { pinTries } } : { code }, known: true };
    }
  }
  return { error: { code: 'INTERNAL_ERROR' }, known: false };
}
