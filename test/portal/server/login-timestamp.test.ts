/**
 * The signed login document's timestamp against the portal clock: accepted within the challenge
 * lifetime plus 5 minutes of clock skew either way, refused outside with AUTH_TIMESTAMP_OUT_OF_RANGE
 * (challenge burnt, refusal audited, no session), on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLoginXml } from '../../../protocol/signed-documents.ts';
import { CHALLENGE_TTL_MS } from '../../../portal/auth/challenges.ts';
import {
  isLoginTimestampInWindow,
  LOGIN_CLOCK_SKEW_MS,
  loginTimestampWindow,
} from '../../../portal/auth/login-timestamp.ts';
import { DATABASE_KINDS } from '../../helpers/portal-db.ts';
import { ORIGIN, startTestPortal, type TestPortal } from './helpers.ts';
import { stubSign, stubVerifier } from './stub-verifier.ts';

const NOW = new Date('2026-11-24T06:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

describe('login timestamp window', () => {
  it('spans one challenge lifetime back plus the skew, and the skew ahead', () => {
    expect(loginTimestampWindow(NOW)).toEqual({
      earliest: new Date('2026-11-24T05:50:00.000Z'),
      latest: new Date('2026-11-24T06:05:00.000Z'),
    });
    expect(isLoginTimestampInWindow(at(0), NOW)).toBe(true);
    expect(isLoginTimestampInWindow(at(LOGIN_CLOCK_SKEW_MS), NOW)).toBe(true);
    expect(isLoginTimestampInWindow(at(LOGIN_CLOCK_SKEW_MS + 1), NOW)).toBe(false);
    expect(isLoginTimestampInWindow(at(-CHALLENGE_TTL_MS - LOGIN_CLOCK_SKEW_MS), NOW)).toBe(true);
    expect(isLoginTimestampInWindow(at(-CHALLENGE_TTL_MS - LOGIN_CLOCK_SKEW_MS - 1), NOW)).toBe(false);
    // An offset is an instant like any other: 11:04+05:00 is 06:04Z.
    expect(isLoginTimestampInWindow('2026-11-24T11:04:00+05:00', NOW)).toBe(true);
    expect(isLoginTimestampInWindow('2026-11-24T11:06:00+05:00', NOW)).toBe(false);
  });
});

describe.each(DATABASE_KINDS)('certificate login timestamp (%s)', (kind) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal(stubVerifier(), { kind, start: NOW });
  });
  afterAll(() => portal?.close());

  async function loginSignedAt(timestamp: string, url = '/api/auth/login') {
    const { nonce } = (await portal.app.inject({ method: 'POST', url: '/api/auth/challenge' })).json<{
      nonce: string;
    }>();
    const signedXml = stubSign(buildLoginXml({ nonce, origin: ORIGIN, timestamp }));
    return { nonce, res: await portal.app.inject({ method: 'POST', url, payload: { signedXml } }) };
  }

  it.each([
    ['six minutes in the future', at(6 * 60_000)],
    ['a day in the future', at(86_400_000)],
    ['eleven minutes old', at(-11 * 60_000)],
    ['a year old', '2025-11-24T06:00:00Z'],
  ])('refuses a login document dated %s; the challenge is burnt', async (_what, timestamp) => {
    const { nonce, res } = await loginSignedAt(timestamp);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      code: 'AUTH_TIMESTAMP_OUT_OF_RANGE',
      message: expect.stringContaining('clock'),
    });
    expect(res.cookies.find((c) => c.name === 'joldama_session')).toBeUndefined();
    const challenge = await portal.database.db
      .selectFrom('auth_challenges')
      .select('used_at')
      .where('nonce', '=', nonce)
      .executeTakeFirstOrThrow();
    expect(challenge.used_at).toBe(NOW.toISOString());
  });

  it('refuses the same at the staff login (one check for both)', async () => {
    const { res } = await loginSignedAt(at(10 * 60_000), '/api/staff/auth/login');
    expect(res.json()).toMatchObject({ code: 'AUTH_TIMESTAMP_OUT_OF_RANGE' });
  });

  it('accepts a clock up to 5 minutes ahead or behind', async () => {
    for (const timestamp of [at(5 * 60_000), at(-5 * 60_000), '2026-11-24T10:56:00+05:00']) {
      const { res } = await loginSignedAt(timestamp);
      expect(res.statusCode, timestamp).toBe(200);
    }
  });

  it('audits each refusal with its code, and opens no session for it', async () => {
    const refused = await portal.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', 'in', ['login.refused', 'staff.login.refused'])
      .orderBy('id')
      .execute();
    expect(refused.map((r) => [r.action, JSON.parse(r.details) as unknown])).toEqual([
      ...Array.from({ length: 4 }, () => ['login.refused', { code: 'AUTH_TIMESTAMP_OUT_OF_RANGE' }]),
      ['staff.login.refused', { code: 'AUTH_TIMESTAMP_OUT_OF_RANGE' }],
    ]);
    expect(await portal.database.db.selectFrom('sessions').selectAll().execute()).toHaveLength(3);
  });
});
