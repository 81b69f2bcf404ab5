/**
 * Applicant-side reads: the journal (only the applicant's own applications, by IIN), the
 * application card and its change history. Every function is scoped by the applicant's IIN, so
 * another applicant's application reads as absent (null), never as someone else's data.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ApplicationStatus, DB } from '../db/schema.ts';
import { queueNumbersOfRows } from './queue-numbers.ts';
import { preparedQuery } from '../db/prepared-query.ts';
import { MAX_JOURNAL_PAGE_SIZE } from '../../protocol/portal-api.ts';

export const journalQuerySchema = z.object({
  applicantIin: z.string().regex(/^\d{12}$/),
  status: z
    .enum(['in_queue', 'notification_sent', 'referral_issued', 'enrolled', 'left', 'dequeued'])
    .optional(),
  sort: z.enum(['registered_at', 'number', 'status', 'child_birth_date']).default('registered_at'),
  direction: z.enum(['asc', 'desc']).default('desc'),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(MAX_JOURNAL_PAGE_SIZE).default(20),
});
export type JournalQuery = z.input<typeof journalQuerySchema>;

/** One journal line: the columns of the portal's "Өтініштер журналы" (docs/domain.md, The referral journey). */
export interface JournalRow {
  id: number;
  number: string;
  guardianName: string | null;
  childIin: string;
  childName: string;
  childBirthDate: string;
  tsonNumber: string | null;
  zupNumber: string | null;
  queueNumber: number | null;
  benefitQueueNumber: number | null;
  applicantName: string;
  registeredAt: string;
  status: ApplicationStatus;
  benefitType: string;
  benefitKind: string | null;
  category: string;
  groupYear: number;
}

export interface JournalPage {
  items: JournalRow[];
  total: number;
  page: number;
  pageSize: number;
}

export const fullName = (p: { last_name: string; first_name: string; middle_name: string | null }): string =>
  [p.last_name, p.first_name, p.middle_name].filter(Boolean).join(' ');

const SORT_COLUMNS = {
  registered_at: 'a.registered_at',
  number: 'a.number',
  status: 'a.status',
  child_birth_date: 'c.birth_date',
} as const;

function ownApplications(db: Kysely<DB>, applicantIin: string) {
  return db
    .selectFrom('applications as a')
    .innerJoin('applicants as p', 'p.id', 'a.applicant_id')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .where('p.iin', '=', applicantIin);
}

/** The journal's total apart from a page (a page past the end has no row to carry it). */
async function countJournal(
  db: Kysely<DB>,
  q: { applicantIin: string; status?: ApplicationStatus | undefined },
): Promise<number> {
  let base = ownApplications(db, q.applicantIin);
  if (q.status) base = base.where('a.status', '=', q.status);
  return Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
}

// The journal page, one statement compiled once per (status filter, sort, direction); the queue
// numbers of its rows follow in a few statements per queue (queueNumbersOfRows).
const journalPage = preparedQuery(
  (
    db,
    v: { applicantIin: string; status?: ApplicationStatus; limit: number; offset: number },
    shape: { filtered: boolean; sort: keyof typeof SORT_COLUMNS; direction: 'asc' | 'desc' },
  ) => {
    let base = ownApplications(db, v.applicantIin);
    if (shape.filtered) base = base.where('a.status', '=', v.status as ApplicationStatus);
    return base
      .select([
        'a.id',
        'a.number',
        'a.guardian_name',
        'a.registered_at',
        'a.status',
        'a.benefit_type',
        'a.benefit_kind',
        'a.queue_benefit',
        'a.group_year',
        'a.category',
        'a.tson_number',
        'a.zup_number',
        'c.iin as child_iin',
        'c.last_name',
        'c.first_name',
        'c.middle_name',
        'c.birth_date',
        'p.last_name as p_last',
        'p.first_name as p_first',
        'p.middle_name as p_middle',
        // The total rides along with the page (one query); only a page past the end counts apart.
        (eb) => eb.fn.countAll().over().as('total'),
      ])
      .orderBy(SORT_COLUMNS[shape.sort], shape.direction)
      .orderBy('a.id', shape.direction)
      .limit(v.limit)
      .offset(v.offset);
  },
);

/** The applicant's journal page; queue numbers follow the portal's ratio (config.priorityEvery). */
export async function listJournal(db: Kysely<DB>, query: JournalQuery, priorityEvery: number): Promise<JournalPage> {
  const q = journalQuerySchema.parse(query);
  const rows = await journalPage.execute(
    db,
    {
      applicantIin: q.applicantIin,
      ...(q.status ? { status: q.status } : {}),
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    },
    { filtered: q.status !== undefined, sort: q.sort, direction: q.direction },
  );
  const total = rows[0] !== undefined ? Number(rows[0].total) : q.page === 1 ? 0 : await countJournal(db, q);
  const queueNumbers = await queueNumbersOfRows(db, rows, priorityEvery);
  return {
    items: rows.map((r) => {
      const numbers = queueNumbers.get(r.id);
      return {
        id: r.id,
        number: r.number,
        guardianName: r.guardian_name,
        childIin: r.child_iin,
        childName: fullName(r),
        childBirthDate: r.birth_date,
        tsonNumber: r.tson_number,
        zupNumber: r.zup_number,
        queueNumber: numbers?.queueNumber ?? null,
        benefitQueueNumber: numbers?.benefitQueueNumber ?? null,
        applicantName: fullName({ last_name: r.p_last, first_name: r.p_first, middle_name: r.p_middle }),
        registeredAt: r.registered_at,
        status: r.status,
        benefitType: r.benefit_type,
        benefitKind: r.benefit_kind,
        category: r.category,
        groupYear: r.group_year,
      };
    }),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export interface ApplicationCardData {
  id: number;
  applicant: {
    fullName: string;
    iin: string;
    birthDate: string | null;
    phone: string | null;
    email: string | null;
    address: string | null;
    actualAddress: string | null;
  };
  child: {
    fullName: string;
    iin: string;
    birthDate: string;
    benefitType: string;
    benefitKind: string | null;
  };
  application: {
    queueType: string;
    category: string;
    number: string;
    registeredAt: string;
    zupNumber: string | null;
    tsonNumber: string | null;
    status: ApplicationStatus;
    statusChangedAt: string;
    extraEmail: string | null;
    extraPhone: string | null;
    region: string;
    groupYear: number;
  };
  /** The active personal offer ("Choose correctional kindergarten"), if any. */
  offer: { offerId: number; kindergartenId: number; madeAt: string; expiresAt: string | null } | null;
  canDequeue: boolean;
}

/** The application card (queue numbers apart: queueNumbersFor), or null when the application is not this applicant's. */
export async function getApplicationCard(
  db: Kysely<DB>,
  applicantIin: string,
  applicationId: number,
): Promise<ApplicationCardData | null> {
  const r = await ownApplications(db, applicantIin)
    .selectAll('a')
    .select([
      'p.iin as p_iin',
      'p.last_name as p_last',
      'p.first_name as p_first',
      'p.middle_name as p_middle',
      'p.birth_date as p_birth',
      'p.phone as p_phone',
      'p.email as p_email',
      'p.address as p_address',
      'p.actual_address as p_actual',
      'c.iin as c_iin',
      'c.last_name as c_last',
      'c.first_name as c_first',
      'c.middle_name as c_middle',
      'c.birth_date as c_birth',
    ])
    .where('a.id', '=', applicationId)
    .executeTakeFirst();
  if (!r) return null;
  const offer = await db
    .selectFrom('offers as o')
    .innerJoin('vacancies as v', 'v.id', 'o.vacancy_id')
    .select(['o.id', 'v.kindergarten_id', 'o.created_at', 'o.expires_at'])
    .where('o.application_id', '=', r.id)
    .where('o.kind', '=', 'personal')
    .where('o.state', '=', 'active')
    .executeTakeFirst();
  return {
    id: r.id,
    applicant: {
      fullName: fullName({ last_name: r.p_last, first_name: r.p_first, middle_name: r.p_middle }),
      iin: r.p_iin,
      birthDate: r.p_birth,
      phone: r.p_phone,
      email: r.p_email,
      address: r.p_address,
      actualAddress: r.p_actual,
    },
    child: {
      fullName: fullName({ last_name: r.c_last, first_name: r.c_first, middle_name: r.c_middle }),
      iin: r.c_iin,
      birthDate: r.c_birth,
      benefitType: r.benefit_type,
      benefitKind: r.benefit_kind,
    },
    application: {
      queueType: r.queue_type,
      category: r.category,
      number: r.number,
      registeredAt: r.registered_at,
      zupNumber: r.zup_number,
      tsonNumber: r.tson_number,
      status: r.status,
      statusChangedAt: r.status_changed_at,
      extraEmail: r.extra_email,
      extraPhone: r.extra_phone,
      region: r.region,
      groupYear: r.group_year,
    },
    offer: offer
      ? { offerId: offer.id, kindergartenId: offer.kindergarten_id, madeAt: offer.created_at, expiresAt: offer.expires_at }
      : null,
    canDequeue: r.status === 'in_queue' || r.status === 'notification_sent',
  };
}

export interface HistoryItem {
  id: number;
  at: string;
  event: string;
  status: ApplicationStatus | null;
  actor: string;
  details: Record<string, unknown> | null;
}

/** The change history, oldest first; null when the application is not this applicant's. */
export async function listHistory(
  db: Kysely<DB>,
  applicantIin: string,
  applicationId: number,
): Promise<HistoryItem[] | null> {
  const own = await ownApplications(db, applicantIin)
    .select('a.id')
    .where('a.id', '=', applicationId)
    .executeTakeFirst();
  if (!own) return null;
  const rows = await db
    .selectFrom('application_history')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
  return rows.map((h) => ({
    id: h.id,
    at: h.at,
    event: h.event,
    status: h.status,
    actor: h.actor,
    details: h.details ? (JSON.parse(h.details) as Record<string, unknown>) : null,
  }));
}
