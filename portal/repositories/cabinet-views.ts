/** The cabinet's own reads and marks beside the journal: the feed's read mark and "My referrals" (docs/cabinet.md). */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ReferralListItem } from '../../protocol/portal-api.ts';
import { parseRecordId } from '../../protocol/ids.ts';

/**
 * Marks the person's feed read up to `upTo` (an application_history id). The mark only moves
 * forward (an old id sent late changes nothing) and never past the person's own newest event.
 */
export async function markFeedRead(db: Kysely<DB>, iin: string, upTo: string): Promise<void> {
  const id = parseRecordId(upTo);
  if (id === null) return;
  const newest = await db
    .selectFrom('application_history as h')
    .innerJoin('applications as a', 'a.id', 'h.application_id')
    .innerJoin('applicants as p', 'p.id', 'a.applicant_id')
    .select(sql<number | null>`max(h.id)`.as('newest'))
    .where('p.iin', '=', iin)
    .executeTakeFirst();
  const mark = Math.min(id, Number(newest?.newest ?? 0));
  await db.updateTable('accounts').set({ feed_read_up_to: mark }).where('iin', '=', iin).where('feed_read_up_to', '<', mark).execute();
}

/** Every referral ever issued for the person's applications, newest first. */
export async function referrals(db: Kysely<DB>, iin: string): Promise<ReferralListItem[]> {
  const rows = await db
    .selectFrom('referrals as r')
    .innerJoin('applications as a', 'a.id', 'r.application_id')
    .innerJoin('applicants as p', 'p.id', 'a.applicant_id')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .innerJoin('kindergartens as k', 'k.id', 'r.kindergarten_id')
    .select(['r.id', 'r.application_id', 'a.number', 'c.last_name', 'c.first_name', 'c.middle_name', 'k.name_kk', 'k.name_ru', 'r.issued_at', 'r.confirm_by', 'r.state'])
    .where('p.iin', '=', iin)
    .orderBy('r.issued_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    applicationId: String(r.application_id),
    applicationNumber: r.number,
    childName: [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' '),
    kindergartenName: r.name_kk,
    kindergartenNameRu: r.name_ru,
    issuedAt: new Date(r.issued_at).toISOString(),
    confirmBy: new Date(r.confirm_by).toISOString(),
    state: r.state,
  }));
}
