/**
 * The signed login document's timestamp against the portal clock. A document is signed after its
 * challenge was issued and submitted before the challenge expires, so with both clocks right its
 * timestamp lies within the last CHALLENGE_TTL_MS. The signer's computer clock may be off by up to
 * LOGIN_CLOCK_SKEW_MS either way; anything outside that window is refused
 * (AUTH_TIMESTAMP_OUT_OF_RANGE): a document dated in the future or long ago was not made for this
 * login, or the computer's clock is wrong.
 */
import { CHALLENGE_TTL_MS } from './challenges.ts';

export const LOGIN_CLOCK_SKEW_MS = 5 * 60_000;

export interface LoginTimestampWindow {
  /** Earliest accepted timestamp: one challenge lifetime back, plus the skew. */
  earliest: Date;
  /** Latest accepted timestamp: the skew ahead of the portal clock. */
  latest: Date;
}

export function loginTimestampWindow(now: Date): LoginTimestampWindow {
  return {
    earliest: new Date(now.getTime() - CHALLENGE_TTL_MS - LOGIN_CLOCK_SKEW_MS),
    latest: new Date(now.getTime() + LOGIN_CLOCK_SKEW_MS),
  };
}

/** True when `timestamp` (ISO-8601, validated by the login document's schema) is within the window. */
export function isLoginTimestampInWindow(timestamp: string, now: Date): boolean {
  const at = Date.parse(timestamp);
  const { earliest, latest } = loginTimestampWindow(now);
  return Number.isFinite(at) && at >= earliest.getTime() && at <= latest.getTime();
}
