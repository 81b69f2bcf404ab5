/**
 * The referral PDF is rendered after the answer (portal/documents/pending-referral-pdfs.ts): the
 * submission answers with both documents listed and the PDF still to render; a crash before the
 * PDF loses nothing, because the scheduler's run (at start too) and the first download render it,
 * once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitReferral } from '../../../portal/documents/referral-submission.ts';
import { renderPendingReferralPdfs } from '../../../portal/documents/pending-referral-pdfs.ts';
import { buildReferralRequestXml } from '../../../protocol/signed-documents.ts';
import type { ApplicationCard, ReferralResult, Vacancy } from '../../../protocol/portal-api.ts';
import type { PortalVerifier } from '../../../portal/signed-requests.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import { DATABASE_KINDS } from '../../helpers/portal-db.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith, signWith } from '../server/real-signatures.ts';
import { DAUREN, seedApplication } from './fixtures.ts';

describe.each(DATABASE_KINDS)('the referral PDF after the answer (%s)', (kind) => {
  let portal: TestPortal;
  let verify: PortalVerifier;
  let seed: Awaited<ReturnType<typeof seedApplication>>;
  let auth: Record<string, string>;
  beforeAll(async () => {
    const pki = await getDemoPki();
    verify = await demoVerifier();
    portal = await startTestPortal(verify, { kind, start: new Date(Date.parse(pki.index.generatedAt) + 60_000) });
    seed = await seedApplication(portal.database.db, DAUREN, '2024-05-13T06:17:04.000Z');
    auth = { authorization: `Bearer ${(await loginWith(portal, { slug: 'abilov-dauren', purpose: 'AUTH' })).json<{ token: string }>().token}` };
    await portal.queue.publishVacancy({ bin: seed.bin, groupYear: 2021, category: 'speech' });
  }, 60_000);
  afterAll(() => portal?.close());

  const get = <T>(url: string) => portal.app.inject({ method: 'GET', url, headers: auth }).then((r) => r.json<T>());
  const stored = (id: string) =>
    portal.database.db.selectFrom('documents').select('content').where('id', '=', Number(id)).executeTakeFirstOrThrow().then((d) => Buffer.from(d.content));

  let result: ReferralResult;

  it('answers with the PDF listed and still to render, the signed request stored', async () => {
    const card = await get<ApplicationCard>(`/api/applications/${seed.applicationId}`);
    const [place] = (await get<{ items: Vacancy[] }>(`/api/applications/${seed.applicationId}/vacancies`)).items;
    if (!place) throw new Error('no place offered');
    const signedXml = await signWith(
      { slug: 'abilov-dauren', purpose: 'SIGN' },
      buildReferralRequestXml({
        applicationNumber: card.application.number, applicationId: card.id, offerId: place.offerId, kindergartenId: place.kindergartenId,
        kindergartenName: place.name, kindergartenAddress: place.address, language: place.language, childIin: card.child.iin,
        applicantIin: card.applicant.iin, requestedAt: portal.clock.now.toISOString(),
      }),
    );
    const timings: Array<{ step: string; ms: number }> = [];
    result = await submitReferral(
      { db: portal.database.db, verify, queue: portal.queue, now: () => portal.clock.now },
      { iin: card.applicant.iin, applicationId: card.id, signedXml, timings },
    );
    expect(result.documents.map((d) => d.kind)).toEqual(['referral_pdf', 'referral_xml']);
    expect(timings.map((t) => t.step)).toEqual(['verify', 'allocate', 'store']);
    // The answer did not wait for the PDF; the signed request is there already.
    expect((await stored(result.documents[0]!.id)).length).toBe(0);
    expect((await stored(result.documents[1]!.id)).toString('utf8')).toBe(signedXml);
    const listed = await get<{ items: Array<{ id: string; kind: string }> }>(`/api/applications/${seed.applicationId}/documents`);
    expect(listed.items.map((d) => d.id)).toEqual(result.documents.map((d) => d.id));
  });

  it('renders a PDF a crash left unrendered at the next scheduler run, once', async () => {
    const db = portal.database.db;
    expect(await renderPendingReferralPdfs(db)).toBe(1);
    const pdf = await stored(result.documents[0]!.id);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.includes(Buffer.from('DejaVuSans'))).toBe(true);
    expect(await renderPendingReferralPdfs(db)).toBe(0);
    expect(await stored(result.documents[0]!.id)).toEqual(pdf);
  });

  it('renders a PDF still to render on its first download, and stores it', async () => {
    const db = portal.database.db;
    const rendered = await stored(result.documents[0]!.id);
    await db.updateTable('documents').set({ content: Buffer.alloc(0) }).where('id', '=', Number(result.documents[0]!.id)).execute();
    const url = `/api/applications/${seed.applicationId}/documents/${result.documents[0]!.id}`;
    const [first, second] = await Promise.all([0, 1].map(() => portal.app.inject({ method: 'GET', url, headers: auth })));
    expect(first!.headers['content-type']).toBe('application/pdf');
    expect(first!.rawPayload).toEqual(rendered);
    expect(second!.rawPayload).toEqual(rendered);
    expect(await stored(result.documents[0]!.id)).toEqual(rendered);
    expect(await renderPendingReferralPdfs(db)).toBe(0);
  });
});
