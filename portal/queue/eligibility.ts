/**
 * Who may get a place: a queued application whose child is not enrolled anywhere, is not on a
 * stop list, has no other application already holding an offer or referral, and has a PMPK
 * conclusion for the category that is valid today (Almaty date). Categories are the closed list of
 * protocol/categories.ts: conclusions are refused with any other (docs/pmpk.md, Categories).
 */
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import { almatyDate } from '../calendar/working-days.ts';
import type { ApplicationStatus, BenefitType, DB } from '../db/schema.ts';
import type { EligibilityBlock } from './errors.ts';

/** Statuses that hold a place in the queue. */
export const QUEUED_STATUSES: readonly ApplicationStatus[] = ['in_queue', 'notification_sent'];

/** Statuses in which an application holds an offer, a referral or a place: its child may hold no other. */
const PLACE_HOLDING_STATUSES: readonly ApplicationStatus[] = ['notification_sent', 'referral_issued', 'enrolled'];

export interface Candidate {
  id: number;
  child_id: number;
  applicant_id: number;
  benefit_type: BenefitType;
  registered_at: string;
  status: ApplicationStatus;
  /** Why the child cannot take a place now, or null when eligible. */
  blocked: EligibilityBlock | null;
}

interface Filter {
  groupYear?: number;
  category?: string;
  applicationId?: number;
  applicationIds?: readonly number[];
}

/** Queued applications (optionally some), each with its eligibility for a place of `placeCategory`. */
export async function loadCandidates(
  db: Kysely<DB>,
  filter: Filter & { placeCategory: string },
  now: Date,
): Promise<Candidate[]> {
  const nowIso = now.toISOString();
  const today = almatyDate(now);
  let q = db
    .selectFrom('applications as a')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .select((eb) => [
      'a.id',
      'a.child_id',
      'a.applicant_id',
      'a.benefit_type',
      'a.registered_at',
      'a.status',
      'c.enrolled_in',
      eb
        .exists(
          eb
            .selectFrom('stop_list as s')
            .select(sql.lit(1).as('one'))
            .whereRef('s.child_id', '=', 'a.child_id')
            .where('s.until', '>', nowIso),
        )
        .as('stopped'),
      eb
        .exists(
          eb
            .selectFrom('pmpk_conclusions as p')
            .select(sql.lit(1).as('one'))
            .whereRef('p.child_id', '=', 'a.child_id')
            .where('p.category', '=', filter.placeCategory)
            .where('p.valid_until', '>=', today),
        )
        .as('pmpk_ok'),
      eb
        .exists(
          eb
            .selectFrom('applications as o')
            .select(sql.lit(1).as('one'))
            .whereRef('o.child_id', '=', 'a.child_id')
            .whereRef('o.id', '<>', 'a.id')
            .where('o.status', 'in', PLACE_HOLDING_STATUSES),
        )
        .as('busy'),
    ])
    .where('a.status', 'in', QUEUED_STATUSES);
  if (filter.groupYear !== undefined) q = q.where('a.group_year', '=', filter.groupYear);
  if (filter.category !== undefined) q = q.where('a.category', '=', filter.category);
  if (filter.applicationId !== undefined) q = q.where('a.id', '=', filter.applicationId);
  if (filter.applicationIds !== undefined) {
    if (filter.applicationIds.length === 0) return [];
    q = q.where('a.id', 'in', filter.applicationIds);
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    child_id: r.child_id,
    applicant_id: r.applicant_id,
    benefit_type: r.benefit_type,
    registered_at: r.registered_at,
    status: r.status,
    blocked:
      r.enrolled_in !== null
        ? 'CHILD_ENROLLED'
        : truthy(r.stopped)
          ? 'STOP_LISTED'
          : truthy(r.busy)
            ? 'CHILD_ALREADY_PLACED'
            : !truthy(r.pmpk_ok)
              ? 'NO_VALID_PMPK'
              : null,
  }));
}

/**
 * Locks the children's rows until the transaction ends, so two transactions placing the same child
 * through different queues (two portal processes) take turns: once the lock is granted, whatever
 * the other placed is committed and visible to the next statement. PostgreSQL: FOR UPDATE, in id
 * order against deadlocks; SQLite lets one writer in at a time anyway.
 */
export async function lockChildren(trx: Transaction<DB>, childIds: readonly number[]): Promise<void> {
  if (childIds.length === 0 || !(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await trx
    .selectFrom('children')
    .select('id')
    .where('id', 'in', [...new Set(childIds)])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Of `candidates` (each an application and its child), the children that another application now
 * holds an offer, a referral or a place for. Read after lockChildren, it is current, where
 * loadCandidates' answer may predate another transaction's offer to the same child.
 */
export async function childrenPlacedElsewhere(
  trx: Transaction<DB>,
  candidates: ReadonlyArray<Pick<Candidate, 'id' | 'child_id'>>,
): Promise<Set<number>> {
  if (candidates.length === 0) return new Set();
  const own = new Set(candidates.map((c) => c.id));
  const rows = await trx
    .selectFrom('applications')
    .select(['id', 'child_id'])
    .where('child_id', 'in', [...new Set(candidates.map((c) => c.child_id))])
    .where('status', 'in', PLACE_HOLDING_STATUSES)
    .execute();
  return new Set(rows.filter((r) => !own.has(r.id)).map((r) => r.child_id));
}

/** EXISTS is a boolean on PostgreSQL and 0/1 on SQLite. */
function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}
