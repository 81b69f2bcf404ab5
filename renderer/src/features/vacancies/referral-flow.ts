/**
 * Where a failure of «Қол қою және жіберу» is shown: about the key (password, certificate, purpose,
 * the signature the portal refused) in the key dialog, where another key can be chosen; a lost
 * answer as "send again" (the signed request is kept in main); anything else (the offer lapsed,
 * the place was taken) on the list, which is reloaded.
 */
const KEY_CODES = new Set([
  'WRONG_PASSWORD',
  'PASSWORD_EMPTY',
  'NOT_PKCS12',
  'UNSUPPORTED_ALGORITHM',
  'GOST_NOT_SUPPORTED',
  'NO_PRIVATE_KEY',
  'FILE_TOO_LARGE',
  'FILE_NOT_FOUND',
  'NO_KEYS_FOUND',
  'KEY_INDEX_OUT_OF_RANGE',
  'KEY_NOT_FOUND',
  // a token's PIN or the token itself (docs/tokens.md): the PIN is typed again in the dialog
  'PIN_INCORRECT',
  'PIN_LOCKED',
  'PIN_EXPIRED',
  'TOKEN_REMOVED',
  'TOKEN_FAILURE',
  'TOKENS_UNAVAILABLE',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'WRONG_PURPOSE',
  'CERTIFICATE_REVOKED',
  'CERTIFICATE_UNTRUSTED',
  'REVOCATION_UNKNOWN',
  'SIGNER_NOT_APPLICANT',
]);

const LOST_CODES = new Set(['PORTAL_UNREACHABLE', 'SUBMISSION_IN_PROGRESS']);

export type FailurePlace = 'dialog' | 'lost' | 'screen';

export function failurePlace(code: string): FailurePlace {
  if (KEY_CODES.has(code) || code.startsWith('SIGN_')) return 'dialog';
  if (LOST_CODES.has(code)) return 'lost';
  return 'screen';
}
