/**
 * Per-account back-off for IIN + password logins, beside the per-address rate limit (which a
 * guesser spread over many addresses escapes): after PASSWORD_BACKOFF.freeFailures consecutive
 * failures for one IIN, each further try must wait longer (1 min, 2, 4, ... up to an hour),
 * refused meanwhile with AUTH_PASSWORD_BACKOFF before any password is checked. Unknown IINs are
 * counted alike, so the answer says nothing about whether an account exists. The applicant can
 * always log in with the EDS key meanwhile.
 *
 * A try is counted before its password is checked (a success then clears the count), by one
 * conditional write on the count it read: of concurrent tries for one IIN only one goes on, so a
 * burst cannot check more passwords than the back-off allows.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';

export const PASSWORD_BACKOFF = {
  freeFailures: 5,
  firstWaitMs: 60_000,
  maxWaitMs: 60 * 60_000,
  /** A count untouched this long is forgotten (housekeeping). */
  forgetAfterMs: 24 * 60 * 60_000,
} as const;

/** How long to wait after the `failures`-th consecutive failure. */
export function backoffAfter(failures: number): number {
  if (failures < PASSWORD_BACKOFF.freeFailures) return 0;
  return Math.min(PASSWORD_BACKOFF.firstWaitMs * 2 ** (failures - PASSWORD_BACKOFF.freeFailures), PASSWORD_BACKOFF.maxWaitMs);
}

const backingOff = (): Refusal =>
  new Refusal('AUTH_PASSWORD_BACKOFF', 'Too many wrong passwords for this IIN; wait a few minutes, or log in with your EDS key.');

/** Counts a password try for `iin` as a failure until `clearPasswordFailures`; throws AUTH_PASSWORD_BACKOFF while it must wait. */
export async function countPasswordTry(db: Kysely<DB>, iin: string, now: Date): Promise<void> {
  const row = await db.selectFrom('password_attempts').select(['failures', 'next_try_at']).where('iin', '=', iin).executeTakeFirst();
  if (row && row.next_try_at > now.toISOString()) throw backingOff();
  const failures = (row?.failures ?? 0) + 1;
  const next_try_at = new Date(now.getTime() + backoffAfter(failures)).toISOString();
  const counted = row
    ? (await db.updateTable('password_attempts').set({ failures, next_try_at }).where('iin', '=', iin).where('failures', '=', row.failures).executeTakeFirst())
        .numUpdatedRows > 0n
    : ((await db.insertInto('password_attempts').values({ iin, failures, next_try_at }).onConflict((oc) => oc.column('iin').doNothing()).executeTakeFirst())
        .numInsertedOrUpdatedRows ?? 0n) > 0n;
  // Another try for this IIN counted first: it goes on, this one waits its turn.
  if (!counted) throw backingOff();
}

export async function clearPasswordFailures(db: Kysely<DB>, iin: string): Promise<void> {
  await db.deleteFrom('password_attempts').where('iin', '=', iin).execute();
}

/** Housekeeping: counts untouched for a day are forgotten. */
export async function purgePasswordFailures(db: Kysely<DB>, now: Date): Promise<void> {
  await db.deleteFrom('password_attempts').where('next_try_at', '<=', new Date(now.getTime() - PASSWORD_BACKOFF.forgetAfterMs).toISOString()).execute();
}
