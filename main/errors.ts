/**
 * Typed failures inside main. Handlers throw AppFailure; dispatch turns it (and signing's
 * SigningError) into the contract's `{ ok: false, error: { code, details } }`. Anything else is
 * INTERNAL_ERROR: logged (without secrets), never shown as a stack.
 */
import type { SigningErrorCode } from '../signing/index.ts';
import type { AppError, KnownErrorCode } from '../contract/contract.ts';

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

/** signing/ codes a user can act on (passed to the renderer as they are); any other signing failure is reported as INTERNAL_ERROR. */
export const SIGNING_PASS_THROUGH_CODES = [
  'WRONG_PASSWORD',
  'NOT_PKCS12',
  'UNSUPPORTED_ALGORITHM',
  'GOST_NOT_SUPPORTED',
  'NO_PRIVATE_KEY',
  'FILE_TOO_LARGE',
  'FILE_NOT_FOUND',
  'NO_KEYS_FOUND',
  'KEY_INDEX_OUT_OF_RANGE',
  'CERTIFICATE_REVOKED',
  'CERTIFICATE_UNTRUSTED',
  'REVOCATION_UNKNOWN',
] as const satisfies readonly SigningErrorCode[];
const SIGNING_PASS_THROUGH = new Set<string>(SIGNING_PASS_THROUGH_CODES);

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
    const mapped = SIGNING_CODE_MAP[e.code];
    if (mapped) return { error: { code: mapped }, known: true };
    if (SIGNING_PASS_THROUGH.has(e.code)) return { error: { code: e.code }, known: true };
  }
  return { error: { code: 'INTERNAL_ERROR' }, known: false };
}
