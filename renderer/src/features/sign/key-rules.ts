/**
 * Whether a listed key can do what is asked (log in: AUTH; sign a document: SIGN), and if not, why:
 * one rule for the key list's labels and the Sign button. Revocation comes from main's check when
 * the list is shown; "checking" and "unknown" do not block (the portal checks again).
 */
import type { KeyDetails, KeyRevocation } from '../../../../contract/contract.ts';

/** ANY: a web site that accepts either kind of key (the NCALayer service; main checks what the site asked). */
export type Purpose = 'AUTH' | 'SIGN' | 'ANY';
export type RevocationState = KeyRevocation | 'checking';
export type CannotReason = 'cannotGost' | 'cannotAlgorithm' | 'cannotExpired' | 'cannotNotYetValid' | 'cannotRevoked' | 'cannotLogin' | 'cannotSign';

export function cannotUse(key: KeyDetails, purpose: Purpose, revocation: RevocationState): CannotReason | null {
  // A GOST (or other non-RSA) key is listed, and refused plainly before any PIN is asked.
  if (key.problem) return key.problem.code === 'GOST_NOT_SUPPORTED' ? 'cannotGost' : 'cannotAlgorithm';
  if (purpose !== 'ANY' && !key.purposes.includes(purpose)) return purpose === 'AUTH' ? 'cannotLogin' : 'cannotSign';
  if (key.status === 'expired') return 'cannotExpired';
  if (key.status === 'not_yet_valid') return 'cannotNotYetValid';
  if (revocation === 'revoked') return 'cannotRevoked';
  return null;
}

/** The key to preselect: the first that can do the action, else the first. */
export function preferredKey(keys: KeyDetails[], purpose: Purpose): KeyDetails | undefined {
  return keys.find((k) => cannotUse(k, purpose, 'checking') === null) ?? keys[0];
}

/** A key's identity in a list: its file and index, or its token and CKA_ID. */
export function keyId(key: KeyDetails): string {
  const { ref } = key;
  return ref.kind === 'file' ? `file:${ref.path}#${ref.index}` : `token:${ref.module}#${ref.token}#${ref.id}`;
}

/**
 * An error as the user should read it in this dialog: a wrong-purpose refusal while logging in is
 * the login-specific one (main says WRONG_PURPOSE with the purpose it expected); a wrong PIN says
 * what the token reports of the tries left (details.pinTries 'low' or 'final', docs/tokens.md).
 * Locked, removed and failing tokens keep their own codes: never "wrong PIN".
 */
export function errorInContext<E extends { code: string; details?: Record<string, string> }>(error: E, purpose: Purpose): E {
  if (error.code === 'PIN_INCORRECT' && error.details?.pinTries === 'final') return { ...error, code: 'PIN_INCORRECT_FINAL' };
  if (error.code === 'PIN_INCORRECT' && error.details?.pinTries === 'low') return { ...error, code: 'PIN_INCORRECT_LOW' };
  if (error.code === 'WRONG_PURPOSE' && purpose === 'AUTH') return { ...error, code: 'AUTH_WRONG_PURPOSE' };
  if (error.code === 'WRONG_PURPOSE' && purpose === 'SIGN') return { ...error, code: 'SIGN_WRONG_PURPOSE' };
  // The policy's removable-media fence (docs/kiosk.md), not a network path: say so.
  if (error.code === 'KEY_PATH_REFUSED' && error.details?.reason === 'not-removable') return { ...error, code: 'KEY_NOT_ON_REMOVABLE_MEDIA' };
  if (error.code === 'KEY_PATH_REFUSED' && error.details?.reason === 'no-removable-media') return { ...error, code: 'NO_REMOVABLE_MEDIA' };
  return error;
}
