/**
 * The calls the window's journey screens make, through main's dispatch against the real demo
 * portal: the portal's information, the whole journal, live offers with working days left, key
 * revocation when keys are listed, sign and send with an answer lost on the way and the retry (one
 * referral), General documents (download, the app's own verification), history, and dequeue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDENTITIES } from '../../demo/pki/identities.ts';
import { DEMO_SUPPORT_CONTACTS } from '../../demo/portal/start.ts';
import { DEMO_APPLICANT, startDemoPortalApp, type DemoPortalApp } from './helpers/demo-portal-app.ts';

let app: DemoPortalApp;
/** When set, the next referral POST reaches the portal but its answer is lost on the way back. */
let loseNextReferralAnswer = false;

const lossyFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (loseNextReferralAnswer && init?.method === 'POST' && /\/referral$/.test(new URL(String(input)).pathname)) {
    loseNextReferralAnswer = false;
    await response.arrayBuffer();
    throw new TypeError('fetch failed: connection reset');
  }
  return response;
};

beforeAll(async () => {
  app = await startDemoPortalApp({ fetch: lossyFetch });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

async function ok<T>(call: string, input: unknown = {}): Promise<T> {
  const result = await app.dispatch(call, input);
  if (!result.ok) throw new Error(`${call} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

async function login(iin: string): Promise<void> {
  await ok('auth.login', { ref: { kind: 'file', path: app.keyFile('AUTH', iin), index: 0 }, secret: app.index.password });
  await ok('auth.setEmail', { email: 'parent@example.kz' });
}

type Offer = { applicationId: string; offerId: string; expiresAt: string; workingDaysLeft: number };
type Referral = { referral: { referralId: string; documents: Array<{ id: string; kind: string }> }; timings: Array<{ step: string; ms: number }> };

describe('the journey calls against the demo portal', () => {
  it('gives the portal\'s support contacts and offer period, before any login', async () => {
    expect(await ok('portal.info')).toEqual({ support: DEMO_SUPPORT_CONTACTS, offerWorkingDays: 3 });
  });

  it('lists keys and checks their revocation: the revoked demo person\'s key is revoked, the applicant\'s good', async () => {
    const { keys } = await ok<{ keys: Array<{ iin?: string; fingerprintSha256: string }> }>('keys.list', {
      path: `${app.pkiDir}/keys`,
      password: app.index.password,
    });
    const revokedIin = DEMO_IDENTITIES.find((p) => p.status === 'revoked')!.iin;
    const status = async (iin: string) =>
      (await ok<{ status: string }>('keys.revocation', { fingerprintSha256: keys.find((k) => k.iin === iin)!.fingerprintSha256 })).status;
    expect(await status(revokedIin)).toBe('revoked');
    expect(await status(DEMO_APPLICANT.iin)).toBe('good');
    // A certificate main did not list is not checked.
    expect(await ok('keys.revocation', { fingerprintSha256: 'A'.repeat(64) })).toEqual({ status: 'unknown' });
  });

  it('names the applicant as the portal registered them, not in the certificate\'s capitals', async () => {
    const { user } = await ok<{ user: { commonName: string } }>('auth.login', { ref: { kind: 'file', path: app.keyFile('AUTH'), index: 0 }, secret: app.index.password });
    expect(user.commonName).toBe('Жанбырбаева Айгүл Серікқызы');
  });

  it('signs and sends; the answer is lost; the retry sends the same request: one referral, one set of documents', async () => {
    await login(DEMO_APPLICANT.iin);
    const { items: offers } = await ok<{ items: Offer[] }>('cabinet.offers');
    expect(offers).toHaveLength(1);
    const offer = offers[0]!;
    expect(offer.workingDaysLeft).toBe(3);
    const journal = await ok<{ items: Array<{ id: string; status: string }>; total: number }>('cabinet.journal');
    expect(journal.total).toBe(journal.items.length);
    expect(journal.items).toContainEqual(expect.objectContaining({ id: offer.applicationId, status: 'notification_sent' }));

    const sign = { applicationId: offer.applicationId, offerId: offer.offerId, ref: { kind: 'file', path: app.keyFile('SIGN'), index: 0 }, secret: app.index.password };
    expect(await app.dispatch('referral.retry', { applicationId: offer.applicationId, offerId: offer.offerId })).toEqual({
      ok: false,
      error: { code: 'REFERRAL_NOTHING_TO_RETRY' },
    });
    loseNextReferralAnswer = true;
    expect(await app.dispatch('referral.signAndSubmit', sign)).toEqual({ ok: false, error: { code: 'PORTAL_UNREACHABLE' } });

    const retried = await ok<Referral>('referral.retry', { applicationId: offer.applicationId, offerId: offer.offerId });
    expect(retried.referral.documents.map((d) => d.kind)).toEqual(['referral_pdf', 'referral_xml']);
    // The portal had done it: it answers from the stored result (no verify, no allocation again).
    expect(retried.timings.map((t) => t.step)).toEqual(['submit']);
    const { items: documents } = await ok<{ items: Array<{ id: string }> }>('cabinet.documents', { applicationId: offer.applicationId });
    expect(documents.map((d) => d.id)).toEqual(retried.referral.documents.map((d) => d.id));
    // Nothing is left to retry, and signing again for the issued offer is refused before the portal.
    expect(await app.dispatch('referral.retry', { applicationId: offer.applicationId, offerId: offer.offerId })).toMatchObject({
      ok: false,
      error: { code: 'REFERRAL_NOTHING_TO_RETRY' },
    });
    expect(await app.dispatch('referral.signAndSubmit', sign)).toEqual({ ok: false, error: { code: 'REFERRAL_ALREADY_ISSUED' } });
    expect(await ok('cabinet.offers')).toEqual({ items: [] });
    const history = await ok<{ items: Array<{ status: string }> }>('cabinet.history', { applicationId: offer.applicationId });
    expect(history.items.map((h) => h.status)).toContain('referral_issued');
  });

  it('downloads the referral\'s PDF and signed XML, and verifies the XML itself', async () => {
    const { items: journal } = await ok<{ items: Array<{ id: string; status: string }> }>('cabinet.journal');
    const applicationId = journal.find((r) => r.status === 'referral_issued')!.id;
    // The portal filters by status (the window asks it to once the journal is longer than it is given).
    const issued = await ok<{ items: Array<{ id: string; status: string }>; total: number }>('cabinet.journal', { status: 'referral_issued' });
    expect(issued.items.map((r) => r.id)).toContain(applicationId);
    expect(issued.items.every((r) => r.status === 'referral_issued')).toBe(true);
    expect(issued.total).toBe(journal.filter((r) => r.status === 'referral_issued').length);
    expect(await ok('cabinet.journal', { status: 'dequeued' })).toEqual({ items: [], total: 0 });
    const { items } = await ok<{ items: Array<{ id: string; kind: string }> }>('cabinet.documents', { applicationId });
    const pdfId = items.find((d) => d.kind === 'referral_pdf')!.id;
    const xmlId = items.find((d) => d.kind === 'referral_xml')!.id;

    const pdf = await ok<{ filename: string; contentType: string; base64: string }>('documents.download', { applicationId, documentId: pdfId });
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.filename).toMatch(/^referral-.+\.pdf$/);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    const report = await ok<Record<string, unknown>>('documents.verify', { applicationId, documentId: xmlId });
    expect(report).toMatchObject({
      indication: 'TOTAL_PASSED',
      signer: { iin: DEMO_APPLICANT.iin },
      signedContent: { applicationId, applicantIin: DEMO_APPLICANT.iin },
    });
    expect(await app.dispatch('documents.verify', { applicationId, documentId: pdfId })).toEqual({ ok: false, error: { code: 'DOCUMENT_NOT_XML' } });
  });

  it('dequeues an application with the applicant\'s reason', async () => {
    const other = DEMO_IDENTITIES.filter((p) => p.role === 'individual')[1]!;
    await login(other.iin);
    const { items } = await ok<{ items: Array<{ id: string; status: string }> }>('cabinet.journal');
    const queued = items.find((r) => r.status === 'in_queue')!;
    expect(await ok('cabinet.dequeue', { applicationId: queued.id, reason: 'Отбасы көшті' })).toEqual({ id: queued.id, status: 'dequeued' });
    const card = await ok<{ application: { status: string }; canDequeue: boolean }>('cabinet.application', { applicationId: queued.id });
    expect(card).toMatchObject({ application: { status: 'dequeued' }, canDequeue: false });
    expect(await app.dispatch('cabinet.dequeue', { applicationId: queued.id, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
