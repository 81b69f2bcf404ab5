/**
 * The referral journey through main against the real reference portal (demo mode, SQLite in a
 * temporary folder): certificate login with the demo AUTH key, first-login e-mail, the cabinet, and the
 * referral request built from the portal's data, signed with the SIGN key and accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPLICANT as applicant, startDemoPortalApp, type DemoPortalApp } from './helpers/demo-portal-app.ts';

let app: DemoPortalApp;
const keyFile = (purpose: 'AUTH' | 'SIGN'): string => app.keyFile(purpose);
const dispatch: DemoPortalApp['dispatch'] = (call, input) => app.dispatch(call, input);

beforeAll(async () => {
  app = await startDemoPortalApp();
});

afterAll(async () => {
  await app?.close();
});

async function ok<T>(call: string, input: unknown): Promise<T> {
  const result = await dispatch(call, input);
  if (!result.ok) throw new Error(`${call} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

describe('referral journey against the reference portal', () => {
  it('logs in, sets the e-mail, finds the offer, and submits a signed referral request', async () => {
    const { user } = await ok<{ user: { iin: string; needsEmail: boolean } }>('auth.login', {
      ref: { kind: 'file', path: keyFile('AUTH'), index: 0 }, secret: app.index.password,
    });
    expect(user).toMatchObject({ iin: applicant.iin, needsEmail: true });
    expect((await ok<{ user: { needsEmail: boolean } }>('auth.setEmail', { email: 'parent@example.kz' })).user.needsEmail).toBe(false);

    const journal = await ok<{ items: { id: string }[] }>('cabinet.applications', {});
    expect(journal.items.length).toBeGreaterThan(0);
    let offered: { id: string; offer: { offerId: string } | null } | undefined;
    for (const row of journal.items) {
      const card = await ok<{ id: string; offer: { offerId: string } | null }>('cabinet.application', { applicationId: row.id });
      if (card.offer) offered = card;
    }
    expect(offered?.offer).toBeTruthy();
    const { id: applicationId, offer } = offered!;

    const vacancies = await ok<{ items: { offerId: string }[] }>('cabinet.vacancies', { applicationId });
    expect(vacancies.items.map((v) => v.offerId)).toContain(offer!.offerId);

    const { document } = await ok<{ document: Record<string, string> }>('referral.preview', { applicationId, offerId: offer!.offerId });
    expect(document).toMatchObject({ applicationId, offerId: offer!.offerId, applicantIin: applicant.iin });

    // An offer id that is not among the application's vacancies is refused in main.
    expect(await dispatch('referral.preview', { applicationId, offerId: '999999999' })).toEqual({
      ok: false,
      error: { code: 'REFERRAL_OFFER_NOT_FOUND' },
    });

    // The AUTH key may not sign a referral request: refused in main, before the portal.
    expect(
      await dispatch('referral.signAndSubmit', { applicationId, offerId: offer!.offerId, ref: { kind: 'file', path: keyFile('AUTH'), index: 0 }, secret: app.index.password }),
    ).toEqual({ ok: false, error: { code: 'WRONG_PURPOSE', details: { expected: 'SIGN' } } });

    const { referral } = await ok<{ referral: { applicationId: string; kindergartenId: string; documents: unknown[] } }>(
      'referral.signAndSubmit',
      { applicationId, offerId: offer!.offerId, ref: { kind: 'file', path: keyFile('SIGN'), index: 0 }, secret: app.index.password },
    );
    expect(referral).toMatchObject({ applicationId, kindergartenId: document.kindergartenId });
    expect(referral.documents.length).toBeGreaterThan(0);
  });

  it('refuses to sign again for an application whose referral is issued', async () => {
    const journal = await ok<{ items: { id: string }[] }>('cabinet.applications', {});
    const result = await dispatch('referral.preview', { applicationId: journal.items[0]!.id, offerId: '999999999' });
    expect(result).toEqual({ ok: false, error: { code: 'REFERRAL_ALREADY_ISSUED' } });
  });
});
