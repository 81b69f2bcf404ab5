/**
 * One-time SMS codes for the first IIN + password login, limited per person (docs/security-rules.md):
 * at most one code a minute and SMS_CODE_RULES.perWindow codes in 24 hours to one IIN, and
 * SMS_CODE_RULES.guessesPerWindow wrong guesses in those 24 hours whatever code they were for.
 * Everything lives in the person's auth_codes row, so a restart forgets nothing. The limits are
 * counted as one-time-codes.ts counts them.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { issueCode, takeCode, type CodeKind } from './one-time-codes.ts';

export const SMS_CODE_RULES = {
  /** A code is valid this long. */
  ttlMs: 5 * 60_000,
  /** No second code to one IIN within this time. */
  cooldownMs: 60_000,
  /** A person's window for the two caps below. */
  windowMs: 24 * 60 * 60_000,
  /** Codes sent to one IIN in a window. */
  perWindow: 5,
  /** Wrong guesses of one IIN in a window, over all its codes. */
  guessesPerWindow: 5,
} as const;

const codeHash = (iin: string, code: string): string => createHash('sha256').update(`${iin}:${code}`).digest('hex');

const iso = (ms: number): string => new Date(ms).toISOString();

const SMS_CODES: CodeKind = {
  rules: SMS_CODE_RULES,
  refusals: {
    tooSoon: ['AUTH_CODE_TOO_SOON', 'A confirmation code was sent a moment ago; wait a minute before asking for another.'],
    dailyLimit: [
      'AUTH_CODE_DAILY_LIMIT',
      'Too many confirmation codes were sent to this IIN today; try again tomorrow or log in with your EDS key.',
    ],
    attempts: ['AUTH_CODE_ATTEMPTS', 'Too many wrong codes; try again tomorrow or log in with your EDS key.'],
    expired: ['AUTH_CODE_EXPIRED', 'The confirmation code has expired; request a new one.'],
    wrong: ['AUTH_CODE_INVALID', 'The confirmation code is wrong.'],
    used: ['AUTH_CODE_INVALID', 'The confirmation code has been used; request a new one.'],
    noCode: ['AUTH_CODE_INVALID', 'The confirmation code is wrong; request a new one.'],
  },
};

/**
 * A new code for `iin`, recorded in its row (the caller sends it in the same transaction), or a
 * refusal: AUTH_CODE_TOO_SOON within the cooldown, AUTH_CODE_DAILY_LIMIT past the window's cap.
 */
export async function issueSmsCode(db: Kysely<DB>, iin: string, now: Date): Promise<string> {
  return issueCode(db, SMS_CODES, { table: 'auth_codes', iin }, (code) => codeHash(iin, code), now);
}

/**
 * Takes `code` for `iin` once: counts the guess first, compares it, and on a match retires the code
 * so it opens nothing again. Throws AUTH_CODE_ATTEMPTS (the window's guesses are used up),
 * AUTH_CODE_EXPIRED or AUTH_CODE_INVALID.
 */
export async function takeSmsCode(db: Kysely<DB>, iin: string, code: string, now: Date): Promise<void> {
  await takeCode(db, SMS_CODES, { table: 'auth_codes', iin }, (c) => codeHash(iin, c), code, now);
}

/** Housekeeping: rows whose window is over and whose code is dead tell nothing any more. */
export async function purgeSmsCodes(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('auth_codes')
    .where('window_started_at', '<=', iso(now.getTime() - SMS_CODE_RULES.windowMs))
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
