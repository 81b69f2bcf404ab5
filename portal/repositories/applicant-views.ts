/**
 * The applicant API's views: the data side's repositories (portal/repositories), shaped as
 * protocol/portal-api.ts declares. Everything is scoped to the logged-in applicant's IIN: another
 * applicant's application is "not found".
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { getApplicationCard, listHistory, listJournal, type ApplicationCardData } from './applications.ts';
import { getDocument, listDocuments, type DocumentMeta } from './documents.ts';
import { listVacanciesForApplication } from './vacancies.ts';
import type { ApplicationCard, DocumentInfo, FeedEvent, JournalPage, Vacancy } from '../../protocol/portal-api.ts';
import { Refusal } from '../refusal.ts';
import { parseRecordId } from '../../protocol/ids.ts';

export const notFound = (): Refusal => new Refusal('APPLICATION_NOT_FOUND', 'No such application among yours.');


/** The applicant's own application (the repository's card), or APPLICATION_NOT_FOUND. */
export async function ownApplication(db: Kysely<DB>, iin: string, applicationId: string): Promise<ApplicationCardData> {
  const id = parseRecordId(applicationId);
  const card = id === null ? null : await getApplicationCard(db, iin, id);
  if (!card) throw notFound();
  return card;
}

export async function journal(db: Kysely<DB>, iin: string, page: number, pageSize: number): Promise<JournalPage> {
  const p = await listJournal(db, { applicantIin: iin, page, pageSize });
  return {
    ...p,
    items: p.items.map((r) => ({
      id: String(r.id),
      number: r.number,
      guardianName: r.guardianName,
      childIin: r.childIin,
      childName: r.childName,
      childBirthDate: r.childBirthDate,
      tsonNumber: r.tsonNumber,
      zupNumber: r.zupNumber,
      queueNumber: r.queueNumber,
      benefitQueueNumber: r.benefitQueueNumber,
      applicantName: r.applicantName,
      createdAt: r.registeredAt,
      status: r.status,
      benefitType: r.benefitType,
    })),
  };
}

export async function card(db: Kysely<DB>, iin: string, applicationId: string): Promise<ApplicationCard> {
  const c = await ownApplication(db, iin, applicationId);
  let offer: ApplicationCard['offer'] = null;
  if (c.offer) {
    const kg = await db.selectFrom('kindergartens').select('name_kk').where('id', '=', c.offer.kindergartenId).executeTakeFirst();
    offer = { offerId: String(c.offer.offerId), kindergartenId: String(c.offer.kindergartenId), kindergartenName: kg?.name_kk ?? '', expiresAt: c.offer.expiresAt };
  }
  return { ...c, id: String(c.id), offer };
}

export async function history(db: Kysely<DB>, iin: string, applicationId: string) {
  const id = parseRecordId(applicationId);
  const items = id === null ? null : await listHistory(db, iin, id);
  if (!items) throw notFound();
  return { items: items.map((h) => ({ at: h.at, status: h.status ?? h.event, note: h.event })) };
}

export function documentInfo(d: Pick<DocumentMeta, 'id' | 'kind' | 'filename' | 'contentType' | 'createdAt'>): DocumentInfo {
  return { id: String(d.id), kind: d.kind, title: d.filename, contentType: d.contentType, createdAt: d.createdAt };
}

export async function documents(db: Kysely<DB>, iin: string, applicationId: string): Promise<DocumentInfo[]> {
  const a = await ownApplication(db, iin, applicationId);
  return (await listDocuments(db, a.id)).map(documentInfo);
}

export async function documentContent(db: Kysely<DB>, iin: string, applicationId: string, documentId: string) {
  const a = await ownApplication(db, iin, applicationId);
  const id = parseRecordId(documentId);
  const doc = id === null ? null : await getDocument(db, a.id, id);
  if (!doc) throw new Refusal('DOCUMENT_NOT_FOUND', 'No such document for this application.');
  return doc;
}

/** Places this application may choose now: its personal offer and the free-choice places it may take. */
export async function vacancies(db: Kysely<DB>, iin: string, applicationId: string, now: Date): Promise<Vacancy[]> {
  const a = await ownApplication(db, iin, applicationId);
  const views = await listVacanciesForApplication(db, a.id, now);
  return views.map((v) => ({
    offerId: String(v.offerId),
    kindergartenId: String(v.kindergarten.id),
    name: v.kindergarten.nameKk,
    phone: v.kindergarten.phone,
    type: 'correctional',
    address: v.kindergarten.address,
    language: v.kindergarten.language,
    placeType: v.placeType,
    website: v.kindergarten.website,
    location: { lat: v.kindergarten.lat, lon: v.kindergarten.lon },
  }));
}

/** The applicant's event feed: status changes of their applications, newest first. */
export async function feed(db: Kysely<DB>, iin: string, limit: number): Promise<FeedEvent[]> {
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
