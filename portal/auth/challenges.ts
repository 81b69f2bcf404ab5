/**
 * Login challenges: 32 random bytes, valid 5 minutes, single use. The nonce is burnt inside one
 * conditional UPDATE, so two concurrent logins with the same document cannot both succeed.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export const CHALLENGE_TTL_MS = 5 * 60_000;

export async function issueChallenge(db: Kysely<DB>, now: Date): Promise<{ nonce: string; expiresAt: Date }> {
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  await db
    .insertInto('auth_challenges')
    .values({ nonce, created_at: now.toISOString(), expires_at: expiresAt.toISOString(), used_at: null })
    .execute();
  return { nonce, expiresAt };
}

export type BurnResult = 'ok' | 'unknown' | 'replayed' | 'expired';

export async function burnChallenge(db: Kysely<DB>, nonce: string, now: Date): Promise<BurnResult> {
  // One statement on the success path: burn it if unused, and read its expiry.
  const burnt = await db
    .updateTable('auth_challenges')
    .set({ used_at: now.toISOString() })
    .where('nonce', '=', nonce)
    .where('used_at', 'is', null)
    .returning('expires_at')
    .executeTakeFirst();
  if (burnt) return burnt.expires_at <= now.toISOString() ? 'expired' : 'ok';
  const known = await db.selectFrom('auth_challenges').select('nonce').where('nonce', '=', nonce).executeTakeFirst();
  return known ? 'replayed' : 'unknown';
}

/**
 * Deletes challenges expired more than a day ago; the number deleted. A login signed over a deleted
 * nonce is refused as unknown (and by its timestamp), so nothing is lost by forgetting it.
 */
export async function purgeChallenges(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('auth_challenges')
    .where('expires_at', '<', new Date(now.getTime() - 86_400_000).toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
