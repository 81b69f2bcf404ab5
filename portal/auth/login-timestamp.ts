/**
 * The signed login document's timestamp against the portal clock (signed-requests.ts's window): a
 * document is signed after its challenge was issued and submitted before the challenge expires, so
 * with both clocks right its timestamp lies within the last CHALLENGE_TTL_MS; the signer's clock
 * may be off by up to LOGIN_CLOCK_SKEW_MS either way. Anything outside is refused
 * (AUTH_TIMESTAMP_OUT_OF_RANGE).
 */
import { CLOCK_SKEW_MS, isSignedTimeInWindow, signedTimeWindow, type SignedTimeWindow } from '../signed-requests.ts';
import { CHALLENGE_TTL_MS } from './challenges.ts';

export const LOGIN_CLOCK_SKEW_MS = CLOCK_SKEW_MS;

export type LoginTimestampWindow = SignedTimeWindow;

export function loginTimestampWindow(now: Date): LoginTimestampWindow {
  return signedTimeWindow(now, CHALLENGE_TTL_MS);
}

/** True when `timestamp` (ISO-8601, validated by the login document's schema) is within the window. */
export function isLoginTimestampInWindow(timestamp: string, now: Date): boolean {
  return isSignedTimeInWindow(timestamp, now, CHALLENGE_TTL_MS);
}
