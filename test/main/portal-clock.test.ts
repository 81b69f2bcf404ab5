/**
 * A portal whose clock is not the computer's (a demo moved with --clock, or a computer whose clock
 * is off): the desktop app dates its login document on the portal's time from the challenge, so the
 * login is not refused as AUTH_TIMESTAMP_OUT_OF_RANGE.
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
      file: app.keyFile('AUTH'),
      keyIndex: 0,
      password: app.index.password,
    });
    expect(result).toMatchObject({ ok: true, value: { user: { needsEmail: true } } });
  });
});
