/**
 * The referral journey over HTTP with real signatures: login (AUTH key), journal, card, places,
 * signed referral request (SIGN key), documents, idempotency, refusals, audit and outbox.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildReferralRequestXml, type ReferralRequestDocument } from '../../../protocol/signed-documents.ts';
import type { ApplicationCard, JournalPage, ReferralResult, Vacancy } from '../../../protocol/portal-api.ts';
import { getDemoPki, type DemoKeyFilter } from '../../helpers/demo-pki.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith, signWith } from '../server/real-signatures.ts';
import { seedApplication, DAUREN } from './fixtures.ts';
import { DATABASE_KINDS } from '../../helpers/portal-db.ts';
import { issuedReferral, storeReferralDocuments } from '../../../portal/documents/referral-submission.ts';
import { settlePendingClaims } from '../../../portal/documents/pending-claims.ts';
import { ownApplication } from '../../../portal/repositories/applicant-views.ts';
import type { VerificationReport } from '../../../signing/index.ts';


describe.each(DATABASE_KINDS)('referral journey (%s)', (kind) => {
  let portal: TestPortal;
  let seed: Awaited<ReturnType<typeof seedApplication>>;
  let auth: Record<string, string>;
  beforeAll(async () => {
    const pki = await getDemoPki();
    portal = await startTestPortal(await demoVerifier(), { kind, start: new Date(Date.parse(pki.index.generatedAt) + 60_000) });
    seed = await seedApplication(portal.database.db, DAUREN, '2024-05-13T06:17:04.000Z');
    const token = (await loginWith(portal, { slug: 'abilov-dauren', purpose: 'AUTH' })).json<{ token: string }>().token;
    auth = { authorization: `Bearer ${token}` };
    await portal.app.inject({ method: 'PUT', url: '/api/me/email', headers: auth, payload: { email: 'dauren@example.kz' } });
    await portal.queue.publishVacancy({ bin: seed.bin, groupYear: 2021, category: 'speech' });
  }, 60_000);
  afterAll(() => portal?.close());

  const get = <T>(url: string) => portal.app.inject({ method: 'GET', url, headers: auth }).then((r) => ({ status: r.statusCode, body: r.json<T>() }));

  async function requestFor(overrides: Partial<ReferralRequestDocument> = {}): Promise<ReferralRequestDocument> {
    const card = (await get<ApplicationCard>(`/api/applications/${seed.applicationId}`)).body;
    const [place] = (await get<{ items: Vacancy[] }>(`/api/applications/${seed.applicationId}/vacancies`)).body.items;
    if (!place) throw new Error('no place offered');
    return {
      applicationNumber: card.application.number, applicationId: card.id, offerId: place.offerId, kindergartenId: place.kindergartenId,
      kindergartenName: place.name, kindergartenAddress: place.address, language: place.language, childIin: card.child.iin,
      applicantIin: card.applicant.iin, requestedAt: portal.clock.now.toISOString(), ...overrides,
    };
  }
  async function submit(doc: ReferralRequestDocument, key: DemoKeyFilter = { slug: 'abilov-dauren', purpose: 'SIGN' }, idem?: string) {
    const signedXml = await signWith(key, buildReferralRequestXml(doc));
    const res = await portal.app.inject({
      method: 'POST', url: `/api/applications/${seed.applicationId}/referral`,
      headers: { ...auth, ...(idem ? { 'idempotency-key': idem } : {}) }, payload: { signedXml },
    });
    return { res, signedXml };
  }

  it('lists the live offer with its deadline and working days left, and the place with its district and kind', async () => {
    const offers = await get<{ items: Array<Record<string, unknown>> }>('/api/offers');
    expect(offers.body.items).toEqual([
      expect.objectContaining({ applicationId: String(seed.applicationId), applicationNumber: 'KDDO.2021.802010.1', kindergartenId: String(seed.kindergartenId), workingDaysLeft: 3 }),
    ]);
    // Both names, so the window shows the Russian one in ru and en (docs/domain.md).
    expect(offers.body.items[0]).toMatchObject({ kindergartenNameRu: 'Специальный детский сад «Балапан»' });
    expect(offers.body.items[0]?.kindergartenName).not.toBe(offers.body.items[0]?.kindergartenNameRu);
    const card = await get<ApplicationCard>(`/api/applications/${seed.applicationId}`);
    expect(card.body.offer).toMatchObject({ offerId: offers.body.items[0]?.offerId, workingDaysLeft: 3, expiresAt: offers.body.items[0]?.expiresAt, kindergartenNameRu: 'Специальный детский сад «Балапан»' });
    const places = await get<{ items: Vacancy[] }>(`/api/applications/${seed.applicationId}/vacancies`);
    expect(places.body.items).toEqual([
      expect.objectContaining({ kind: 'personal', district: 'Бостандық', nameRu: 'Специальный детский сад «Балапан»', language: 'kk' }),
    ]);
    const info = await portal.app.inject({ method: 'GET', url: '/api/info' });
    expect(info.json()).toEqual({ support: { callCentre: [], email: null, educationDepartment: [] }, offerWorkingDays: 3 });
  });

  it('shows only this applicant\'s applications, with queue number and the offered place', async () => {
    const journal = await get<JournalPage>('/api/applications');
    expect(journal.body).toMatchObject({ total: 1, items: [{ number: 'KDDO.2021.802010.1', childIin: seed.childIin, status: 'notification_sent', queueNumber: 1 }] });
    const card = await get<ApplicationCard>(`/api/applications/${seed.applicationId}`);
    expect(card.body.offer).toMatchObject({ kindergartenId: String(seed.kindergartenId) });
    expect(card.body.canDequeue).toBe(true);
    expect((await get(`/api/applications/${seed.applicationId + 1000}`)).status).toBe(404);
    expect((await portal.app.inject({ method: 'GET', url: '/api/applications' })).statusCode).toBe(401);
  });

  it('refuses a request signed by someone else, with an AUTH key, or naming another kindergarten', async () => {
    const other = await submit(await requestFor(), { slug: 'sarsenbayev-askhat', purpose: 'SIGN' });
    expect(other.res.json()).toMatchObject({ code: 'SIGNER_NOT_APPLICANT' });
    const authKey = await submit(await requestFor(), { slug: 'abilov-dauren', purpose: 'AUTH' });
    expect(authKey.res.json()).toMatchObject({ code: 'SIGN_WRONG_PURPOSE' });
    const wrongName = await submit(await requestFor({ kindergartenName: 'Another kindergarten' }));
    expect(wrongName.res.json()).toMatchObject({ code: 'SIGNED_CONTENT_MISMATCH' });
    // A GOST signature cannot be checked here: said as such, not as a signature that does not verify.
    const signed = await signWith({ slug: 'abilov-dauren', purpose: 'SIGN' }, buildReferralRequestXml(await requestFor()));
    const gost = signed.replace(
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512',
    );
    const gostRes = await portal.app.inject({
      method: 'POST', url: `/api/applications/${seed.applicationId}/referral`, headers: auth, payload: { signedXml: gost },
    });
    expect([gostRes.statusCode, gostRes.json().code]).toEqual([422, 'SIGN_UNSUPPORTED_ALGORITHM']);
    expect(await portal.database.db.selectFrom('referrals').selectAll().execute()).toHaveLength(0);
  });

  it("refuses a request dated outside the window of the portal's clock (an old one replayed, a wrong clock)", async () => {
    const at = (ms: number) => new Date(portal.clock.now.getTime() + ms).toISOString();
    for (const requestedAt of [at(-21 * 60_000), at(6 * 60_000)]) {
      const { res } = await submit(await requestFor({ requestedAt }));
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'SIGN_TIMESTAMP_OUT_OF_RANGE' });
    }
    // The edges: 15 minutes old plus 5 of skew, and 5 ahead, are still taken (checked in the next test).
    expect(await portal.database.db.selectFrom('referrals').selectAll().execute()).toHaveLength(0);
    expect(await portal.database.db.selectFrom('signed_submissions').selectAll().execute()).toHaveLength(0);
  });

  /** The request the referral was issued for (the offer is no longer among the places after it). */
  let issuedFor: ReferralRequestDocument;

  it('issues one referral for a signed request, idempotently, with PDF and signed XML in the documents', async () => {
    const doc = await requestFor();
    issuedFor = doc;
    const first = { signedXml: await signWith({ slug: 'abilov-dauren', purpose: 'SIGN' }, buildReferralRequestXml(doc)) };
    // Three identical submissions at once (a double click, a retry): one referral, never two.
    const concurrent = await Promise.all(
      ['key-0001-abcdef', 'key-0001-abcdef', undefined].map((key) =>
        portal.app.inject({
          method: 'POST', url: `/api/applications/${seed.applicationId}/referral`,
          headers: { ...auth, ...(key ? { 'idempotency-key': key } : {}) }, payload: { signedXml: first.signedXml },
        }),
      ),
    );
    const ok = concurrent.filter((r) => r.statusCode === 200);
    expect(ok.length).toBeGreaterThan(0);
    // The one that did the work says where its time went; the PDF is not among it (rendered after the answer).
    expect(ok.map((r) => r.headers['server-timing'])).toContainEqual(expect.stringMatching(/^verify;dur=[\d.]+, allocate;dur=[\d.]+, store;dur=[\d.]+$/));
    for (const r of concurrent) if (r.statusCode !== 200) expect(r.json()).toMatchObject({ code: 'SUBMISSION_IN_PROGRESS' });
    const result = ok[0]!.json<ReferralResult>();
    for (const r of ok) expect(r.json()).toEqual(result);
    expect(await portal.database.db.selectFrom('referrals').selectAll().execute()).toHaveLength(1);
    expect(result.documents.map((d) => d.contentType)).toEqual(['application/pdf', 'application/xml']);
    // Rendered once the answer is out, without anyone asking for it.
    const pdfRow = () => portal.database.db.selectFrom('documents').select('content').where('id', '=', Number(result.documents[0]?.id)).executeTakeFirstOrThrow();
    await vi.waitFor(async () => expect((await pdfRow()).content.subarray(0, 5).toString()).toBe('%PDF-'), { timeout: 20_000 });

    // Same Idempotency-Key, and the very same signed document without a key: the same referral.
    const again = await portal.app.inject({
      method: 'POST', url: `/api/applications/${seed.applicationId}/referral`, headers: { ...auth, 'idempotency-key': 'key-0001-abcdef' },
      payload: { signedXml: first.signedXml },
    });
    expect(again.json()).toEqual(result);
    const sameDoc = await portal.app.inject({ method: 'POST', url: `/api/applications/${seed.applicationId}/referral`, headers: auth, payload: { signedXml: first.signedXml } });
    expect(sameDoc.json()).toEqual(result);
    expect(await portal.database.db.selectFrom('referrals').selectAll().execute()).toHaveLength(1);

    // Another signed request for the same offer (signed again from a stale screen): the same
    // referral and documents, not a second set.
    const resigned = await submit({ ...doc, requestedAt: new Date(portal.clock.now.getTime() + 1000).toISOString() }, undefined, 'key-0002-abcdef');
    expect(resigned.res.statusCode).toBe(200);
    expect(resigned.res.json()).toEqual(result);
    const again2 = await portal.app.inject({
      method: 'POST', url: `/api/applications/${seed.applicationId}/referral`, headers: { ...auth, 'idempotency-key': 'key-0002-abcdef' },
      payload: { signedXml: resigned.signedXml },
    });
    expect(again2.json()).toEqual(result);

    const docs = await get<{ items: Array<{ id: string; kind: string }> }>(`/api/applications/${seed.applicationId}/documents`);
    expect(docs.body.items.map((d) => d.kind)).toEqual(['referral_pdf', 'referral_xml']);
    const pdf = await portal.app.inject({ method: 'GET', url: `/api/applications/${seed.applicationId}/documents/${docs.body.items[0]?.id}`, headers: auth });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.includes(Buffer.from('DejaVuSans'))).toBe(true);
    const xml = await portal.app.inject({ method: 'GET', url: `/api/applications/${seed.applicationId}/documents/${docs.body.items[1]?.id}`, headers: auth });
    expect(xml.body).toBe(first.signedXml);

    const card = await get<ApplicationCard>(`/api/applications/${seed.applicationId}`);
    expect(card.body.application.status).toBe('referral_issued');
    const audit = await portal.database.db.selectFrom('audit_log').select('action').where('action', '=', 'referral.submit').execute();
    expect(audit).toHaveLength(1);
    const outbox = await portal.database.db.selectFrom('outbox').select(['channel', 'recipient', 'subject']).orderBy('id').execute();
    expect(outbox).toEqual(
      expect.arrayContaining([
        { channel: 'email', recipient: 'dauren@example.kz', subject: 'Жолдама берілді' },
        { channel: 'sms', recipient: '+77011234567', subject: 'Жолдама берілді' },
      ]),
    );
    const feed = await get<{ items: Array<{ kind: string }> }>('/api/feed');
    expect(feed.body.items.length).toBeGreaterThan(0);

    // A crash after the place was allocated but before the documents were stored: the retry
    // finds the referral and completes the submission, still one referral.
    const db = portal.database.db;
    await db.deleteFrom('idempotency_keys').execute();
    await db.deleteFrom('documents').execute();
    await db.updateTable('signed_submissions').set({ result: '' }).execute();
    const retry = await portal.app.inject({ method: 'POST', url: `/api/applications/${seed.applicationId}/referral`, headers: auth, payload: { signedXml: first.signedXml } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json<ReferralResult>().referralId).toBe(result.referralId);
    expect(await db.selectFrom('referrals').selectAll().execute()).toHaveLength(1);
    expect(await db.selectFrom('documents').select('kind').orderBy('id').execute()).toEqual([{ kind: 'referral_pdf' }, { kind: 'referral_xml' }]);
  });

  it('answers a newly signed request for an offer that has its referral with that referral, storing nothing', async () => {
    const db = portal.database.db;
    const before = {
      documents: await db.selectFrom('documents').select('id').orderBy('id').execute(),
      submissions: await db.selectFrom('signed_submissions').select('id').execute(),
      audit: await db.selectFrom('audit_log').select('id').execute(),
    };
    const issued = (await db.selectFrom('signed_submissions').select('result').executeTakeFirstOrThrow()).result;
    // Signed anew (another time, the window's edges), twice at once and once more with a key.
    const now = portal.clock.now.getTime();
    const answers = await Promise.all([
      submit({ ...issuedFor, requestedAt: new Date(now - 20 * 60_000).toISOString() }),
      submit({ ...issuedFor, requestedAt: new Date(now + 5 * 60_000).toISOString() }),
      submit({ ...issuedFor, requestedAt: new Date(now - 1000).toISOString() }, undefined, 'key-0002-abcdef'),
    ]);
    for (const { res } of answers) {
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(JSON.parse(issued));
    }
    expect(await db.selectFrom('documents').select('id').orderBy('id').execute()).toEqual(before.documents);
    expect(await db.selectFrom('signed_submissions').select('id').execute()).toEqual(before.submissions);
    expect(await db.selectFrom('referrals').selectAll().execute()).toHaveLength(1);
    expect(await db.selectFrom('audit_log').select('id').execute()).toEqual(before.audit);
  });

  it('stores one set of documents per referral when two different claims finish it at once', async () => {
    const db = portal.database.db;
    const first = await db.selectFrom('signed_submissions').selectAll().executeTakeFirstOrThrow();
    const offerId = Number(issuedFor.offerId);
    const referral = await issuedReferral(db, seed.applicationId, offerId);
    if (!referral) throw new Error('no referral');
    const report = JSON.parse(first.report) as VerificationReport;
    const application = await ownApplication(db, DAUREN, String(seed.applicationId));
    // The place is allocated, nothing is stored yet, and two claims of different signed requests
    // (both made before the referral existed) finish it together.
    await db.deleteFrom('idempotency_keys').execute();
    await db.deleteFrom('documents').execute();
    await db.deleteFrom('signed_submissions').execute();
    const claims = ['claim-a', 'claim-b'];
    for (const id of claims) await db.insertInto('signed_submissions').values({ ...first, id, content_sha256: id, result: '', referral_id: null }).execute();
    const stored = await Promise.all(
      claims.map((submissionId) =>
        storeReferralDocuments(db, {
          submissionId, iin: DAUREN, application, kindergartenId: seed.kindergartenId, offerId, referral, report,
          signedXml: first.signed_xml, contentSha256: submissionId, now: portal.clock.now,
        }),
      ),
    );
    expect(stored[0]).toEqual(stored[1]);
    expect(await db.selectFrom('documents').select('kind').orderBy('id').execute()).toEqual([{ kind: 'referral_pdf' }, { kind: 'referral_xml' }]);
    // The one that stored nothing is released; the other holds the referral.
    expect(await db.selectFrom('signed_submissions').select(['id', 'referral_id']).execute()).toEqual([{ id: stored[0]!.submissionId, referral_id: referral.id }]);
  });

  it('settles the claims a crash left pending: finished where the place was allocated, released where not, live ones left alone', async () => {
    const db = portal.database.db;
    const now = portal.clock.now;
    const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
    const stored = await db.selectFrom('signed_submissions').selectAll().executeTakeFirstOrThrow();
    const report = JSON.parse(stored.report) as VerificationReport;
    // A crash after the place was allocated: the claim is pending and nothing is stored.
    await db.deleteFrom('documents').execute();
    await db.updateTable('signed_submissions').set({ result: '', referral_id: null, created_at: ago(12 * 60_000) }).execute();
    const claim = (id: string, createdAt: string, offerId: string) => ({
      ...stored, id, content_sha256: id, result: '', referral_id: null, created_at: createdAt,
      report: JSON.stringify({ ...report, signedXml: buildReferralRequestXml({ ...issuedFor, offerId }) }),
    });
    await db.insertInto('signed_submissions').values([
      // Another request for the same referral, and one whose place was never allocated (the crash came first).
      claim('duplicate', ago(11 * 60_000), issuedFor.offerId),
      claim('unallocated', ago(11 * 60_000), '999999'),
      // A submission still at work: too young to be a crash's.
      claim('live', ago(60_000), '999999'),
    ]).execute();

    expect(await settlePendingClaims(db, now)).toEqual({ finished: 1, released: 2 });
    const left = await db.selectFrom('signed_submissions').select(['id', 'result', 'referral_id']).orderBy('created_at').execute();
    expect(left.map((r) => r.id)).toEqual([stored.id, 'live']);
    expect(JSON.parse(left[0]!.result)).toMatchObject({ referralId: String(left[0]!.referral_id), applicationId: String(seed.applicationId) });
    expect(left[1]!.result).toBe('');
    expect(await db.selectFrom('documents').select('kind').orderBy('id').execute()).toEqual([{ kind: 'referral_pdf' }, { kind: 'referral_xml' }]);
    // Nothing left to do: a second run changes nothing.
    expect(await settlePendingClaims(db, now)).toEqual({ finished: 0, released: 0 });
  });
});
