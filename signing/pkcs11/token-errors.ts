/**
 * What a PKCS#11 failure means to the user, as one SigningError code (docs/tokens.md, "PIN and
 * token errors"). Only the PIN return values become PIN errors: a token that fails
 * (CKR_FUNCTION_FAILED, CKR_DEVICE_ERROR, ...) is a TOKEN_FAILURE and never "wrong PIN", since
 * telling someone their PIN is wrong when it is not makes them spend their last tries.
 * Whether the token was pulled out is decided by asking the slot afterwards (tokenGone), not by the
 * code alone: modules report a removal mid-call as CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT,
 * CKR_SESSION_HANDLE_INVALID, a stale object handle or a general error.
 */
import { SigningError, type PinTries } from '../errors.ts';
import { CK, ckrName, ckrOf } from './binding.ts';

const REMOVAL_CODES = new Set<number>([
  CK.CKR_DEVICE_REMOVED,
  CK.CKR_TOKEN_NOT_PRESENT,
  CK.CKR_SESSION_CLOSED,
  CK.CKR_SESSION_HANDLE_INVALID,
]);

/** The PIN-tries warning a token's flags carry (CK_TOKEN_INFO.flags), if any. */
export function pinTriesOf(flags: number): PinTries | undefined {
  if (flags & CK.CKF_USER_PIN_FINAL_TRY) return 'final';
  if (flags & CK.CKF_USER_PIN_COUNT_LOW) return 'low';
  return undefined;
}

export function pinLocked(): SigningError {
  return new SigningError(
    'PIN_LOCKED',
    'The PIN is locked after too many wrong tries: unlock it with the PUK in the token’s own utility, or ask the certification centre.',
  );
}

export function tokenRemoved(): SigningError {
  return new SigningError('TOKEN_REMOVED', 'The token was removed. Plug it in again and repeat.');
}

/**
 * The error for a failed C_Login. `flagsAfter` are the token's flags read after the failure
 * (undefined when they could not be read): they tell how many tries are left, or that the PIN
 * just locked.
 */
export function loginError(e: unknown, flagsAfter: number | undefined): SigningError {
  const code = ckrOf(e);
  if (code === CK.CKR_PIN_LOCKED || (flagsAfter !== undefined && flagsAfter & CK.CKF_USER_PIN_LOCKED)) {
    return pinLocked();
  }
  if (code === CK.CKR_PIN_INCORRECT || code === CK.CKR_PIN_INVALID || code === CK.CKR_PIN_LEN_RANGE) {
    const pinTries = flagsAfter === undefined ? undefined : pinTriesOf(flagsAfter);
    const left =
      pinTries === 'final'
        ? ' One try is left before the PIN locks.'
        : pinTries === 'low'
          ? ' Few tries are left before the PIN locks.'
          : '';
    return new SigningError('PIN_INCORRECT', `The PIN is incorrect.${left}`, pinTries ? { pinTries } : {});
  }
  if (code === CK.CKR_PIN_EXPIRED) {
    return new SigningError(
      'PIN_EXPIRED',
      'The PIN has expired: change it in the token’s own utility, then repeat.',
    );
  }
  return tokenError(e, false);
}

/** Any other failure: removed (decided by the caller's look at the slot, or the code) or failed. */
export function tokenError(e: unknown, gone: boolean): SigningError {
  if (e instanceof SigningError) return e;
  const code = ckrOf(e);
  if (gone || (code !== undefined && REMOVAL_CODES.has(code))) return tokenRemoved();
  if (code === CK.CKR_PIN_LOCKED) return pinLocked();
  return new SigningError(
    'TOKEN_FAILURE',
    `The token did not complete the operation (${ckrName(e)}). Plug it in again and repeat; if it keeps failing, the token or its driver needs attention.`,
  );
}
