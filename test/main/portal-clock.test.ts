/**
 * A portal whose clock is not the computer's (a demo moved with --clock, or a computer whose clock
 * is off): the desktop app dates its login document on the portal's time from the challenge, and
 * its referral request on the portal's time of the places it read, so neither is refused as out of
 * the portal's window (AUTH_TIMESTAMP_OUT_OF_RANGE, SIGN_TIMESTAMP_OUT_OF_RANGE).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoPortalApp, type DemoPortalApp } from './helpers/demo-portal-app.ts';

const DAY = 86_400_000;
let app: DemoPortalApp;

beforeAll(async () => {
  // Three days ahead: far outside the login timestamp window, well inside the demo keys' validity.
  app = await startDemoPortalApp({ clock: new Date(Date.now() + 3 * DAY).toISOString() });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('a portal three days ahead of the computer', () => {
  it('takes the certificate login: the document is dated on the portal clock', async () => {
    const result = await app.dispatch('auth.login', {
      ref: { kind: 'file', path: app.keyFile('AUTH'), index: 0 }, secret: app.index.password,
    });
    expect(result).toMatchObject({ ok: true, value: { user: { needsEmail: true } } });
  });

  it('takes the signed referral request: it is dated on the portal clock', async () => {
    const ok = async <T>(call: string, input: unknown): Promise<T> => {
      const result = await app.dispatch(call, input);
      if (!result.ok) throw new Error(`${call} failed: ${JSON.stringify(result.error)}`);
      return result.value as T;
    };
    await ok('auth.setEmail', { email: 'parent@example.kz' });
    const journal = await ok<{ items: { id: string }[] }>('cabinet.applications', {});
    let offered: { id: string; offer: { offerId: string } | null } | undefined;
    for (const row of journal.items) {
      const card = await ok<{ id: string; offer: { offerId: string } | null }>('cabinet.application', { applicationId: row.id });
      if (card.offer) offered = card;
    }
    if (!offered?.offer) throw new Error('the demo applicant has no offer');
    const result = await app.dispatch('referral.signAndSubmit', {
      applicationId: offered.id, offerId: offered.offer.offerId, ref: { kind: 'file', path: app.keyFile('SIGN'), index: 0 }, secret: app.index.password,
    });
    expect(result).toMatchObject({ ok: true, value: { referral: { applicationId: offered.id } } });
  });
});
