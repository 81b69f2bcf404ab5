/** Rate limits on the login routes and every route that verifies a signature, security headers, typed 404s, OpenAPI and health. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestPortal, type TestPortal } from './helpers.ts';
import { APPLICANT, stubVerifier } from './stub-verifier.ts';
import { upsertAccountOnLogin } from '../../../portal/auth/accounts.ts';
import { createSession } from '../../../portal/auth/sessions.ts';

describe('HTTP hardening', () => {
  let portal: TestPortal;
  beforeEach(async () => {
    portal = await startTestPortal(stubVerifier(), { extra: { loginRateLimit: 3 } });
  });
  afterEach(() => portal.close());

  it('rate-limits the login routes per client', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await portal.app.inject({ method: 'POST', url: '/api/auth/challenge' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await portal.app.inject({ method: 'POST', url: '/api/auth/challenge' });
    expect(limited.json()).toEqual({ code: 'RATE_LIMITED', message: expect.any(String) });
    // Other routes are not limited by the login budget.
    expect((await portal.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('rate-limits every route that verifies a signature, the referral request behind a session too', async () => {
    const { db } = portal.database;
    await upsertAccountOnLogin(db, APPLICANT.iin!, APPLICANT.commonName, portal.clock.now);
    const auth = { authorization: `Bearer ${(await createSession(db, APPLICANT.iin!, portal.clock.now)).token}` };
    const routes = [
      { url: '/api/auth/login', headers: {} },
      { url: '/api/staff/auth/login', headers: {} },
      { url: '/api/applications/1/referral', headers: auth },
    ];
    for (const { url, headers } of routes) {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await portal.app.inject({ method: 'POST', url, headers, payload: { signedXml: '<a/>' } })).statusCode);
      expect(codes.slice(0, 3), url).not.toContain(429);
      expect(codes[3], url).toBe(429);
    }
  });

  it('sends security headers and typed errors', async () => {
    const res = await portal.app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'NOT_FOUND', message: 'No such resource.' });
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const bad = await portal.app.inject({ method: 'GET', url: '/api/applications?pageSize=10001', headers: { authorization: 'Bearer x' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('reports readiness from the database', async () => {
    expect((await portal.app.inject({ method: 'GET', url: '/health/ready' })).json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
    await portal.database.close();
    const down = await portal.app.inject({ method: 'GET', url: '/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'unavailable' });
    portal.database.close = async () => {};
  });
});
