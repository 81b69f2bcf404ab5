/**
 * The referral journey over HTTP with real signatures: login (AUTH key), journal, card, places,
 * signed referral request (SIGN key), documents, idempotency, refusals, audit and outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReferralRequestXml, type ReferralRequestDocument } from '../../../protocol/signed-documents.ts';
import type { ApplicationCard, JournalPage, ReferralResult, Vacancy } from '../../../protocol/portal-api.ts';
import { getDemoPki, type DemoKeyFilter } from '../../helpers/demo-pki.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith, signWith } from '../server/real-signatures.ts';
import { seedApplication, DAUREN } from './fixtures.ts';
import { DATABASE_KINDS } from '../../helpers/portal-db.ts';


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
    const card = await get<ApplicationCard>(`/api/applications/${seed.applicationId}`);
    expect(card.body.offer).toMatchObject({ offerId: offers.body.items[0]?.offerId, workingDaysLeft: 3, expiresAt: offers.body.items[0]?.expiresAt });
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

  it('issues one referral for a signed request, idempotently, with PDF and signed XML in the documents', async () => {
    const doc = await requestFor();
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
    for (const r of concurrent) if (r.statusCode !== 200) expect(r.json()).toMatchObject({ code: 'SUBMISSION_IN_PROGRESS' });
    const result = ok[0]!.json<ReferralResult>();
    for (const r of ok) expect(r.json()).toEqual(result);
    expect(await portal.database.db.selectFrom('referrals').selectAll().execute()).toHaveLength(1);
    expect(result.documents.map((d) => d.contentType)).toEqual(['application/pdf', 'application/xml']);

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
});
