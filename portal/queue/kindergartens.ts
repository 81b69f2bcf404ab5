/** Kindergartens as the queue meets them: by the BIN of a staff member's legal-entity key. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { QueueError } from './errors.ts';

/** The kindergarten with this BIN, or KINDERGARTEN_NOT_FOUND. */
export async function kindergartenByBin(db: Kysely<DB>, bin: string): Promise<{ id: number; bin: string }> {
  const kg = await db
    .selectFrom('kindergartens')
    .select(['id', 'bin'])
    .where('bin', '=', bin)
    .executeTakeFirst();
  if (!kg) throw new QueueError('KINDERGARTEN_NOT_FOUND', `No kindergarten with BIN ${bin}`);
  return kg;
}
