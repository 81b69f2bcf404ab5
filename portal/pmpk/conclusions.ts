/**
 * A PMPK commission's conclusion for a child (docs/pmpk.md, Conclusions): recorded by the
 * commission's staff, it is what makes the child eligible for places of that correctional
 * category; the queue reads it in one place (queue/eligibility.ts).
 */
import type { Kysely } from 'kysely';
import { addCalendarDays, almatyDate } from '../calendar/working-days.ts';
import type { DB } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';

/** A conclusion is valid from its day of issue for at most this long (docs/pmpk.md). */
export const MAX_VALIDITY_DAYS = 3 * 366;

export interface ConclusionInput {
  commissionId: number;
  childIin: string;
  category: string;
  /** Last valid day, YYYY-MM-DD (Almaty). */
  validUntil: string;
}

export async function recordConclusion(
  db: Kysely<DB>,
  input: ConclusionInput,
  now: Date,
): Promise<{ conclusionId: number; childId: number; issuedOn: string }> {
  const issuedOn = almatyDate(now);
  if (input.validUntil <= issuedOn || input.validUntil > addCalendarDays(issuedOn, MAX_VALIDITY_DAYS)) {
    throw new Refusal('PMPK_VALIDITY_INVALID', 'A conclusion is valid from today for at most three years: choose a later, nearer last day.');
  }
  const child = await db.selectFrom('children').select('id').where('iin', '=', input.childIin).executeTakeFirst();
  if (!child) throw new Refusal('CHILD_NOT_FOUND', 'No child with this IIN is known to the portal.');
  const row = await db
    .insertInto('pmpk_conclusions')
    .values({
      child_id: child.id,
      category: input.category,
      issued_on: issuedOn,
      valid_until: input.validUntil,
      commission_id: input.commissionId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { conclusionId: row.id, childId: child.id, issuedOn };
}
