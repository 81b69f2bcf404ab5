/**
 * Two identical referral submissions at once, in the unlucky order: the first claims the signed
 * content, the second (a duplicate of a claimed submission) issues the referral first, and the
 * first's own attempt then meets the queue's refusal. The claimant must answer with the referral
 * its duplicate issued, not with that refusal (seen once in the full suite under load as
 * APPLICATION_NOT_IN_QUEUE from three concurrent identical submissions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitReferral } from '../../../portal/documents/referral-submission.ts';
import type { QueueEngine } from '../../../portal/queue/engine.ts';
import { buildReferralRequestXml } from '../../../protocol/signed-documents.ts';
import type { ApplicationCard, Vacancy } from '../../../protocol/portal-api.ts';
import type { PortalVerifier } from '../../../portal/signed-requests.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith, signWith } from '../server/real-signatures.ts';
import { DAUREN, seedApplication } from './fixtures.ts';

describe('a duplicate referral submission that issues the referral before its claimant', () => {
  let portal: TestPortal;
  let verify: PortalVerifier;
  let seed: Awaited<ReturnType<typeof seedApplication>>;
  let auth: Record<string, string>;
  beforeAll(async () => {
    const pki = await getDemoPki();
    verify = await demoVerifier();
    portal = await startTestPortal(verify, { start: new Date(Date.parse(pki.index.generatedAt) + 60_000) });
    seed = await seedApplication(portal.database.db, DAUREN, '2024-05-13T06:17:04.000Z');
    auth = { authorization: `Bearer ${(await loginWith(portal, { slug: 'abilov-dauren', purpose: 'AUTH' })).json<{ token: string }>().token}` };
    await portal.queue.publishVacancy({ bin: seed.bin, groupYear: 2021, category: 'speech' });
  }, 60_000);
  afterAll(() => portal?.close());

  const get = <T>(url: string) => portal.app.inject({ method: 'GET', url, headers: auth }).then((r) => r.json<T>());

  it('answers the claimant with the referral the duplicate issued', async () => {
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
    const input = { iin: card.applicant.iin, applicationId: card.id, signedXml };
    const ctx = { db: portal.database.db, verify, now: () => portal.clock.now };

    // The claimant stops just before allocating until the duplicate is done.
    let claimantWaiting!: () => void;
    const waiting = new Promise<void>((resolve) => (claimantWaiting = resolve));
    let duplicateDone!: () => void;
    const done = new Promise<void>((resolve) => (duplicateDone = resolve));
    const slowQueue: QueueEngine = {
      ...portal.queue,
      createReferral: async (i) => {
        claimantWaiting();
        await done;
        return portal.queue.createReferral(i);
      },
    };
    const claimant = submitReferral({ ...ctx, queue: slowQueue }, input);
    await waiting;
    const duplicate = await submitReferral({ ...ctx, queue: portal.queue }, input);
    duplicateDone();

    expect(await claimant).toEqual(duplicate);
    expect(await portal.database.db.selectFrom('referrals').select('id').execute()).toEqual([{ id: Number(duplicate.referralId) }]);
  });
});
