/**
 * Read views for the applicant API, shaped as portal/api/schemas.ts declares. Every query is
 * scoped to the logged-in applicant's IIN: another applicant's application is "not found".
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { QUEUED_STATUSES } from '../queue/eligibility.ts';
import { orderQueue } from '../queue/ordering.ts';
import { queueConfig } from '../queue/config.ts';
import type { ApplicationCard, DocumentInfo, JournalPage, JournalRow, Vacancy } from './schemas.ts';
import { PortalError } from '../server/errors.ts';

const fullName = (p: { last_name: string; first_name: string; middle_name: string | null }): string =>
  [p.last_name, p.first_name, p.middle_name].filter(Boolean).join(' ');

export const notFound = (): PortalError => new PortalError('APPLICATION_NOT_FOUND', 404, 'No such application among yours.');

/** Queue and benefit-category numbers of queued applications, computed as the queue orders them. */
async function queueNumbers(
  db: Kysely<DB>,
  apps: ReadonlyArray<{ id: number; group_year: number; category: string; status: string }>,
): Promise<Map<number, { queueNumber: number; benefitQueueNumber: number }>> {
  const result = new Map<number, { queueNumber: number; benefitQueueNumber: number }>();
  const queues = new Set(apps.filter((a) => QUEUED_STATUSES.includes(a.status as never)).map((a) => `${a.group_year}|${a.category}`));
  const { priorityEvery } = queueConfig();
  for (const key of queues) {
    const [year, category] = key.split('|') as [string, string];
    const entries = await db
      .selectFrom('applications')
      .select(['id', 'benefit_type', 'registered_at'])
      .where('group_year', '=', Number(year))
      .where('category', '=', category)
      .where('status', 'in', QUEUED_STATUSES)
      .execute();
    for (const p of orderQueue(entries, priorityEvery)) result.set(p.entry.id, { queueNumber: p.queueNumber, benefitQueueNumber: p.benefitQueueNumber });
  }
  return result;
}

function applicationsOf(db: Kysely<DB>, iin: string) {
  return db
    .selectFrom('applications as a')
    .innerJoin('applicants as p', 'p.id', 'a.applicant_id')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .where('p.iin', '=', iin);
}

export async function journal(db: Kysely<DB>, iin: string, page: number, pageSize: number): Promise<JournalPage> {
  const count = await applicationsOf(db, iin).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await applicationsOf(db, iin)
    .select([
      'a.id', 'a.number', 'a.guardian_name', 'a.registered_at', 'a.status', 'a.benefit_type', 'a.group_year', 'a.category',
      'a.tson_number', 'a.zup_number',
      'c.iin as child_iin', 'c.last_name', 'c.first_name', 'c.middle_name', 'c.birth_date',
      'p.last_name as p_last', 'p.first_name as p_first', 'p.middle_name as p_middle',
    ])
    .orderBy('a.registered_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const numbers = await queueNumbers(db, rows);
  const items: JournalRow[] = rows.map((r) => ({
    id: String(r.id),
    number: r.number,
    guardianName: r.guardian_name,
    childIin: r.child_iin,
    childName: fullName(r),
    childBirthDate: r.birth_date,
    tsonNumber: r.tson_number,
    zupNumber: r.zup_number,
    queueNumber: numbers.get(r.id)?.queueNumber ?? null,
    benefitQueueNumber: numbers.get(r.id)?.benefitQueueNumber ?? null,
    applicantName: fullName({ last_name: r.p_last, first_name: r.p_first, middle_name: r.p_middle }),
    createdAt: r.registered_at,
    status: r.status,
    benefitType: r.benefit_type,
  }));
  return { items, total: Number(count?.n ?? 0), page, pageSize };
}

/** The application (scoped to the applicant) or APPLICATION_NOT_FOUND. */
export async function ownApplication(db: Kysely<DB>, iin: string, applicationId: string) {
  const id = Number(applicationId);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const row = await applicationsOf(db, iin)
    .selectAll('a')
    .select([
      'c.iin as child_iin', 'c.last_name as c_last', 'c.first_name as c_first', 'c.middle_name as c_middle', 'c.birth_date as c_birth',
      'p.iin as p_iin', 'p.last_name as p_last', 'p.first_name as p_first', 'p.middle_name as p_middle', 'p.birth_date as p_birth',
      'p.phone as p_phone', 'p.email as p_email', 'p.address as p_address', 'p.actual_address as p_actual',
    ])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

export async function card(db: Kysely<DB>, iin: string, applicationId: string, now: Date): Promise<ApplicationCard> {
  const a = await ownApplication(db, iin, applicationId);
  const numbers = (await queueNumbers(db, [a])).get(a.id);
  const offer = await db
    .selectFrom('offers as o')
    .innerJoin('vacancies as v', 'v.id', 'o.vacancy_id')
    .innerJoin('kindergartens as k', 'k.id', 'v.kindergarten_id')
    .select(['o.id', 'o.expires_at', 'k.id as kg_id', 'k.name_kk', 'k.name_ru'])
    .where('o.application_id', '=', a.id)
    .where('o.state', '=', 'active')
    .where((eb) => eb.or([eb('o.expires_at', 'is', null), eb('o.expires_at', '>', now.toISOString())]))
    .executeTakeFirst();
  return {
    id: String(a.id),
    applicant: {
      fullName: fullName({ last_name: a.p_last, first_name: a.p_first, middle_name: a.p_middle }),
      iin: a.p_iin,
      birthDate: a.p_birth,
      phone: a.p_phone,
      email: a.p_email,
      address: a.p_address,
      actualAddress: a.p_actual,
    },
    child: {
      fullName: fullName({ last_name: a.c_last, first_name: a.c_first, middle_name: a.c_middle }),
      iin: a.child_iin,
      birthDate: a.c_birth,
      benefitType: a.benefit_type,
      queueNumber: numbers?.queueNumber ?? null,
      benefitQueueNumber: numbers?.benefitQueueNumber ?? null,
    },
    application: {
      queueType: a.queue_type,
      category: a.category,
      number: a.number,
      registeredAt: a.registered_at,
      zupNumber: a.zup_number,
      tsonNumber: a.tson_number,
      status: a.status,
      statusChangedAt: a.status_changed_at,
      extraEmail: a.extra_email,
      extraPhone: a.extra_phone,
      region: a.region,
    },
    offer: offer
      ? { offerId: String(offer.id), kindergartenId: String(offer.kg_id), kindergartenName: offer.name_kk, expiresAt: offer.expires_at }
      : null,
    canDequeue: QUEUED_STATUSES.includes(a.status),
  };
}

export async function history(db: Kysely<DB>, iin: string, applicationId: string) {
  const a = await ownApplication(db, iin, applicationId);
  const rows = await db
    .selectFrom('application_history')
    .select(['at', 'event', 'status', 'details'])
    .where('application_id', '=', a.id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return { items: rows.map((r) => ({ at: r.at, status: r.status ?? r.event, note: r.event })) };
}

export function documentInfo(d: { id: number; kind: string; filename: string; content_type: string; created_at: string }): DocumentInfo {
  return { id: String(d.id), kind: d.kind, title: d.filename, contentType: d.content_type, createdAt: d.created_at };
}

export async function documents(db: Kysely<DB>, iin: string, applicationId: string): Promise<DocumentInfo[]> {
  const a = await ownApplication(db, iin, applicationId);
  const rows = await db
    .selectFrom('documents')
    .select(['id', 'kind', 'filename', 'content_type', 'created_at'])
    .where('application_id', '=', a.id)
    .orderBy('id')
    .execute();
  return rows.map(documentInfo);
}

export async function documentContent(db: Kysely<DB>, iin: string, applicationId: string, documentId: string) {
  const a = await ownApplication(db, iin, applicationId);
  const id = Number(documentId);
  const doc = Number.isSafeInteger(id)
    ? await db.selectFrom('documents').selectAll().where('id', '=', id).where('application_id', '=', a.id).executeTakeFirst()
    : undefined;
  if (!doc) throw new PortalError('DOCUMENT_NOT_FOUND', 404, 'No such document for this application.');
  return doc;
}

/** Places this application may choose now: its personal offer and free-choice places of its queue. */
export async function vacancies(db: Kysely<DB>, iin: string, applicationId: string, now: Date): Promise<Vacancy[]> {
  const a = await ownApplication(db, iin, applicationId);
  if (!QUEUED_STATUSES.includes(a.status)) return [];
  const rows = await db
    .selectFrom('offers as o')
    .innerJoin('vacancies as v', 'v.id', 'o.vacancy_id')
    .innerJoin('kindergartens as k', 'k.id', 'v.kindergarten_id')
    .select(['o.id as offer_id', 'k.id as kg_id', 'k.name_kk', 'k.phone', 'k.address', 'k.language', 'k.website', 'k.lat', 'k.lon', 'v.place_type'])
    .where('o.state', '=', 'active')
    .where((eb) => eb.or([eb('o.expires_at', 'is', null), eb('o.expires_at', '>', now.toISOString())]))
    .where((eb) =>
      eb.or([
        eb('o.application_id', '=', a.id),
        eb.and([eb('o.kind', '=', 'free_choice'), eb('v.group_year', '=', a.group_year), eb('v.category', '=', a.category)]),
      ]),
    )
    .orderBy('o.id')
    .execute();
  return rows.map((r) => ({
    offerId: String(r.offer_id),
    kindergartenId: String(r.kg_id),
    name: r.name_kk,
    phone: r.phone,
    type: 'correctional',
    address: r.address,
    language: r.language,
    placeType: r.place_type,
    website: r.website,
    location: { lat: r.lat, lon: r.lon },
  }));
}

/** The applicant's event feed: status changes of their applications, newest first. */
export async function feed(db: Kysely<DB>, iin: string, limit: number) {
  const rows = await db
    .selectFrom('application_history as h')
    .innerJoin('applications as a', 'a.id', 'h.application_id')
    .innerJoin('applicants as p', 'p.id', 'a.applicant_id')
    .select(['h.id', 'h.at', 'h.event', 'h.status', 'a.id as application_id', 'a.number'])
    .where('p.iin', '=', iin)
    .orderBy('h.at', 'desc')
    .orderBy('h.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    kind: r.event,
    applicationId: String(r.application_id),
    message: `${r.number}: ${r.status ?? r.event}`,
  }));
}
