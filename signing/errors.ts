/**
 * The signing library's error catalogue: every failure a user can meet, with one code each.
 * Translations of these codes live in the UI (renderer/i18n); messages here are English for the
 * CLI and logs. Never put a stack trace or key material in a message.
 */
export type SigningErrorCode =
  | 'WRONG_PASSWORD'
  | 'NOT_PKCS12'
  | 'KEYSTORE_DAMAGED'
  | 'UNSUPPORTED_ALGORITHM'
  | 'GOST_NOT_SUPPORTED'
  | 'NO_PRIVATE_KEY'
  | 'FILE_TOO_LARGE'
  | 'FILE_NOT_FOUND'
  | 'NO_KEYS_FOUND'
  | 'KEY_INDEX_OUT_OF_RANGE'
  | 'XML_MALFORMED'
  | 'XML_TOO_LARGE'
  | 'XML_FORBIDDEN_CONSTRUCT'
  | 'XML_ENCODING_UNSUPPORTED'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_NOT_YET_VALID'
  | 'CERTIFICATE_REVOKED'
  | 'CERTIFICATE_UNTRUSTED'
  | 'CERTIFICATE_WRONG_PURPOSE'
  | 'REVOCATION_UNKNOWN'
  // Keys named by reference and hardware tokens (PKCS#11): docs/tokens.md.
  | 'KEY_NOT_FOUND'
  | 'PIN_INCORRECT'
  | 'PIN_LOCKED'
  | 'PIN_EXPIRED'
  | 'TOKEN_REMOVED'
  | 'TOKEN_FAILURE'
  | 'TOKENS_UNAVAILABLE';

/**
 * What a token says about the PIN's remaining tries after a wrong one (PKCS#11 gives no number,
 * only these flags): 'low' (CKF_USER_PIN_COUNT_LOW) or 'final' (CKF_USER_PIN_FINAL_TRY).
 */
export type PinTries = 'low' | 'final';

export interface SigningErrorDetail {
  pinTries?: PinTries;
}

export class SigningError extends Error {
  override readonly name = 'SigningError';
  constructor(
    readonly code: SigningErrorCode,
    message: string,
    readonly detail: SigningErrorDetail = {},
  ) {
    super(message);
  }
}

export function isSigningError(e: unknown): e is SigningError {
  return e instanceof SigningError;
}
