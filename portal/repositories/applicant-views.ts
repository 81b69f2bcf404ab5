/**
 * The applicant API's views: the data side's repositories (portal/repositories), shaped as
 * protocol/portal-api.ts declares. Everything is scoped to the logged-in applicant's IIN: another
 * applicant's application is "not found".
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { getApplicationCard, listHistory, listJournal, type ApplicationCardData } from './applications.ts';
import { getDocument, listDocuments, type DocumentMeta } from './documents.ts';
import { renderReferralPdfDocument } from '../documents/pending-referral-pdfs.ts';
import { provisionalDeadlines } from '../calendar/years.ts';
import { queueNumbersFor } from './queue-numbers.ts';
import { listVacanciesForApplication } from './vacancies.ts';
import { listLiveOffers, workingDaysLeft, type LiveOfferRow } from './offers.ts';
import { loadCalendar } from '../calendar/working-days.ts';
import type { ApplicationCard, DocumentInfo, FeedEvent, JournalPage, JournalStatus, LiveOffer, Offer, Vacancy } from '../../protocol/portal-api.ts';
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

/** `priorityEvery`: the portal's ratio (the queue engine's config), as the allocator follows it. */
export async function journal(
  db: Kysely<DB>,
  iin: string,
  page: number,
  pageSize: number,
  priorityEvery: number,
  status?: JournalStatus,
): Promise<JournalPage> {
  const p = await listJournal(db, { applicantIin: iin, page, pageSize, ...(status ? { status } : {}) }, priorityEvery);
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

export async function card(db: Kysely<DB>, iin: string, applicationId: string, now: Date, priorityEvery: number): Promise<ApplicationCard> {
  const c = await ownApplication(db, iin, applicationId);
  const numbers = (await queueNumbersFor(db, [{ id: c.id, status: c.application.status }], priorityEvery)).get(c.id);
  const live = c.offer ? await liveOffers(db, iin, now) : [];
  const offer = live.find((o) => o.offerId === String(c.offer?.offerId)) ?? null;
  const child = { ...c.child, queueNumber: numbers?.queueNumber ?? null, benefitQueueNumber: numbers?.benefitQueueNumber ?? null };
  return { ...c, id: String(c.id), child, offer: offer && offerOf(offer) };
}

function offerOf(o: LiveOffer): Offer {
  return {
    offerId: o.offerId,
    kindergartenId: o.kindergartenId,
    kindergartenName: o.kindergartenName,
    kindergartenNameRu: o.kindergartenNameRu,
    expiresAt: o.expiresAt,
    workingDaysLeft: o.workingDaysLeft,
    deadlineProvisional: o.deadlineProvisional,
  };
}

/** The applicant's live personal offers with their deadlines and the working days left at `now`. */
export async function liveOffers(db: Kysely<DB>, iin: string, now: Date): Promise<LiveOffer[]> {
  const rows = await listLiveOffers(db, iin, now);
  const calendar = rows.some((r) => r.expiresAt) ? await loadCalendar(db) : null;
  // A deadline counted over a year no administrator has confirmed may move: say so.
  const provisional = await provisionalDeadlines(
    db,
    rows.map((r) => ({ from: new Date(r.createdAt), to: new Date(r.expiresAt ?? r.createdAt) })),
  );
  return rows.map((r: LiveOfferRow, i) => ({
      offerId: String(r.offerId),
      applicationId: String(r.applicationId),
      applicationNumber: r.applicationNumber,
      childName: r.childName,
      kindergartenId: String(r.kindergartenId),
      kindergartenName: r.kindergartenName,
      kindergartenNameRu: r.kindergartenNameRu,
      expiresAt: r.expiresAt,
      workingDaysLeft: r.expiresAt && calendar ? workingDaysLeft(now, new Date(r.createdAt), new Date(r.expiresAt), calendar) : null,
      deadlineProvisional: r.expiresAt !== null && provisional[i] === true,
    }));
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
  if (doc.kind === 'referral_pdf' && doc.content.length === 0) {
    const content = await renderReferralPdfDocument(db, doc.id);
    if (content) return { ...doc, content, size: content.length };
  }
  return doc;
}

/** Places this application may choose now: its personal offer and the free-choice places it may take. */
export async function vacancies(db: Kysely<DB>, iin: string, applicationId: string, now: Date): Promise<Vacancy[]> {
  const a = await ownApplication(db, iin, applicationId);
  const views = await listVacanciesForApplication(db, a.id, now);
  return views.map((v) => ({
    offerId: String(v.offerId),
    kind: v.offerKind,
    kindergartenId: String(v.kindergarten.id),
    name: v.kindergarten.nameKk,
    nameRu: v.kindergarten.nameRu,
    district: v.kindergarten.district,
    districtRu: v.kindergarten.districtRu,
    phone: v.kindergarten.phone,
    type: 'correctional',
    address: v.kindergarten.address,
    addressRu: v.kindergarten.addressRu,
    language: v.kindergarten.language,
    placeType: v.placeType,
    website: v.kindergarten.website,
    location: { lat: v.kindergarten.lat, lon: v.kindergarten.lon },
  }));
}

/** The applicant's event feed: status changes of their applications, newest first, each marked read or not (docs/cabinet.md). */
export async function feed(db: Kysely<DB>, iin: string, limit: number): Promise<FeedEvent[]> {
  const [rows, account] = await Promise.all([
    db
      .selectFrom('application_history as h')
      .innerJoin('applications as a', 'a.id', 'h.application_id')
      .innerJoin('applicants as p', 'p.id', 'a.applicant_id')
      .select(['h.id', 'h.at', 'h.event', 'h.status', 'a.id as application_id', 'a.number'])
      .where('p.iin', '=', iin)
      .orderBy('h.at', 'desc')
      .orderBy('h.id', 'desc')
      .limit(limit)
      .execute(),
    db.selectFrom('accounts').select('feed_read_up_to').where('iin', '=', iin).executeTakeFirst(),
  ]);
  const readUpTo = account?.feed_read_up_to ?? 0;
  return rows.map((r) => ({
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    kind: r.event,
    applicationId: String(r.application_id),
    applicationNumber: r.number,
    status: r.status,
    read: r.id <= readUpTo,
    message: `${r.number}: ${r.status ?? r.event}`,
  }));
}
