/**
 * Changing the cabinet password from settings (docs/cabinet.md, Password change): the current
 * password is checked under the same per-account back-off as a login (password-backoff.ts), so a
 * stolen session cannot guess it faster; an account that has no password yet (its owner logs in
 * with the EDS key) sets one without. Every other session of the person ends: whoever knew the
 * old password is logged out; the session that changed it stays.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';
import { checkPassword, hashPassword } from './password-login.ts';
import { clearPasswordFailures, countPasswordTry } from './password-backoff.ts';
import { hashToken } from './session-table.ts';

/** Returns how many other sessions ended. */
export async function changePassword(
  db: Kysely<DB>,
  iin: string,
  currentToken: string,
  change: { currentPassword: string; newPassword: string },
  now: Date,
): Promise<number> {
  const account = await db.selectFrom('accounts').select('password_hash').where('iin', '=', iin).executeTakeFirst();
  if (!account) throw new Refusal('UNAUTHENTICATED', 'Log in first.');
  if (account.password_hash) {
    await countPasswordTry(db, iin, now);
    if (!(await checkPassword(change.currentPassword, account.password_hash))) {
      throw new Refusal('CURRENT_PASSWORD_WRONG', 'The current password is wrong.');
    }
  }
  const hash = await hashPassword(change.newPassword);
  const ended = await db.transaction().execute(async (trx) => {
    await trx.updateTable('accounts').set({ password_hash: hash }).where('iin', '=', iin).execute();
    const result = await trx.deleteFrom('sessions').where('iin', '=', iin).where('token_hash', '!=', hashToken(currentToken)).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
  await clearPasswordFailures(db, iin);
  return ended;
}
