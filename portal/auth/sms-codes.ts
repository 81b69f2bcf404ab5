/**
 * One-time SMS codes for the first IIN + password login, limited per person (docs/security-rules.md):
 * at most one code a minute and SMS_CODE_RULES.perWindow codes in 24 hours to one IIN, and
 * SMS_CODE_RULES.guessesPerWindow wrong guesses in those 24 hours whatever code they were for.
 * Everything lives in the person's auth_codes row, so a restart forgets nothing.
 *
 * Each limit is checked and counted in one conditional UPDATE: two requests at once cannot both
 * pass a check that only one of them may (PostgreSQL re-reads the row a concurrent UPDATE changed;
 * SQLite has one writer). A code is compared only after its guess was counted.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';

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

const LONG_AGO = '1970-01-01T00:00:00.000Z';

const codeHash = (iin: string, code: string): string => createHash('sha256').update(`${iin}:${code}`).digest('hex');

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * A new code for `iin`, recorded in its row (the caller sends it in the same transaction), or a
 * refusal: AUTH_CODE_TOO_SOON within the cooldown, AUTH_CODE_DAILY_LIMIT past the window's cap.
 */
export async function issueSmsCode(db: Kysely<DB>, iin: string, now: Date): Promise<string> {
  const at = now.getTime();
  await db
    .insertInto('auth_codes')
    .values({ iin, code_hash: '', expires_at: LONG_AGO, attempts: 0, sent_at: LONG_AGO, window_started_at: now.toISOString(), sent_in_window: 0 })
    .onConflict((oc) => oc.column('iin').doNothing())
    .execute();
  // A window that is over gives way to a new one: caps and guesses start again.
  await db
    .updateTable('auth_codes')
    .set({ window_started_at: now.toISOString(), sent_in_window: 0, attempts: 0 })
    .where('iin', '=', iin)
    .where('window_started_at', '<=', iso(at - SMS_CODE_RULES.windowMs))
    .execute();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const sent = await db
    .updateTable('auth_codes')
    .set({
      code_hash: codeHash(iin, code),
      expires_at: iso(at + SMS_CODE_RULES.ttlMs),
      sent_at: now.toISOString(),
      sent_in_window: sql<number>`sent_in_window + 1`,
    })
    .where('iin', '=', iin)
    .where('sent_at', '<=', iso(at - SMS_CODE_RULES.cooldownMs))
    .where('sent_in_window', '<', SMS_CODE_RULES.perWindow)
    .executeTakeFirst();
  if (sent.numUpdatedRows > 0n) return code;
  const row = await db.selectFrom('auth_codes').select('sent_in_window').where('iin', '=', iin).executeTakeFirstOrThrow();
  if (row.sent_in_window >= SMS_CODE_RULES.perWindow) {
    throw new Refusal('AUTH_CODE_DAILY_LIMIT', 'Too many confirmation codes were sent to this IIN today; try again tomorrow or log in with your EDS key.');
  }
  throw new Refusal('AUTH_CODE_TOO_SOON', 'A confirmation code was sent a moment ago; wait a minute before asking for another.');
}

/**
 * Takes `code` for `iin` once: counts the guess first, compares it, and on a match retires the code
 * so it opens nothing again. Throws AUTH_CODE_ATTEMPTS (the window's guesses are used up),
 * AUTH_CODE_EXPIRED or AUTH_CODE_INVALID.
 */
export async function takeSmsCode(db: Kysely<DB>, iin: string, code: string, now: Date): Promise<void> {
  const counted = await db
    .updateTable('auth_codes')
    .set({ attempts: sql<number>`attempts + 1` })
    .where('iin', '=', iin)
    .where('code_hash', '!=', '')
    .where('expires_at', '>', now.toISOString())
    .where('attempts', '<', SMS_CODE_RULES.guessesPerWindow)
    .returning('code_hash')
    .executeTakeFirst();
  if (!counted) throw await whyNotCounted(db, iin, now);
  const expected = codeHash(iin, code);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(counted.code_hash))) {
    throw new Refusal('AUTH_CODE_INVALID', 'The confirmation code is wrong.');
  }
  // The right code, once: a concurrent guess of the same code finds it retired.
  const taken = await db
    .updateTable('auth_codes')
    .set({ code_hash: '' })
    .where('iin', '=', iin)
    .where('code_hash', '=', expected)
    .executeTakeFirst();
  if (taken.numUpdatedRows === 0n) throw new Refusal('AUTH_CODE_INVALID', 'The confirmation code has been used; request a new one.');
}

async function whyNotCounted(db: Kysely<DB>, iin: string, now: Date): Promise<Refusal> {
  const row = await db.selectFrom('auth_codes').select(['code_hash', 'expires_at', 'attempts']).where('iin', '=', iin).executeTakeFirst();
  if (row && row.attempts >= SMS_CODE_RULES.guessesPerWindow) {
    return new Refusal('AUTH_CODE_ATTEMPTS', 'Too many wrong codes; try again tomorrow or log in with your EDS key.');
  }
  if (row?.code_hash && row.expires_at <= now.toISOString()) {
    return new Refusal('AUTH_CODE_EXPIRED', 'The confirmation code has expired; request a new one.');
  }
  return new Refusal('AUTH_CODE_INVALID', 'The confirmation code is wrong; request a new one.');
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
