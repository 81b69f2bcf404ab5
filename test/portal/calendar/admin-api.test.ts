/**
 * The administrator API over HTTP with real signatures: the staff of an organisation named in the
 * portal's adminBins log in with its legal-entity key and import and confirm calendar years; the
 * health check warns and the card marks an offer's deadline provisional until the years are
 * confirmed; no other key or token opens these routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminLoginResponse, CalendarYearDetail } from '../../../protocol/admin-api.ts';
import type { ApplicationCard } from '../../../protocol/portal-api.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import { DAUREN, HEAD, INDIVIDUAL, KINDERGARTEN_145_BIN, seedApplication } from '../api/fixtures.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith } from '../server/real-signatures.ts';

const KURBAN = (year: number, date: string) => ({
  date,
  kind: 'holiday_no_transfer',
  name: `Құрбан айт ${year}`,
});

describe('administrators keep the working-day calendar', () => {
  let portal: TestPortal;
  let admin: Record<string, string>;
  let applicant: Record<string, string>;
  let seed: Awaited<ReturnType<typeof seedApplication>>;
  beforeAll(async () => {
    const pki = await getDemoPki();
    portal = await startTestPortal(await demoVerifier(), {
      start: new Date(Date.parse(pki.index.generatedAt) + 60_000),
      // The demo head's organisation stands for the education department here.
      extra: { adminBins: [KINDERGARTEN_145_BIN] },
    });
    seed = await seedApplication(portal.database.db, DAUREN, '2024-05-13T06:17:04.000Z');
    const login = await loginWith(portal, HEAD, '/api/admin/auth/login');
    expect(login.statusCode).toBe(200);
    expect(login.json<AdminLoginResponse>().admin).toMatchObject({ bin: KINDERGARTEN_145_BIN });
    admin = { authorization: `Bearer ${login.json<AdminLoginResponse>().token}` };
    applicant = {
      authorization: `Bearer ${(await loginWith(portal, INDIVIDUAL)).json<{ token: string }>().token}`,
    };
  }, 60_000);
  afterAll(() => portal?.close());

  const call = (
    method: 'GET' | 'PUT' | 'POST',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => portal.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it('refuses other keys and tokens', async () => {
    expect((await loginWith(portal, INDIVIDUAL, '/api/admin/auth/login')).json()).toMatchObject({
      code: 'AUTH_NOT_ADMIN',
    });
    expect((await call('GET', '/api/admin/calendar', applicant)).statusCode).toBe(401);
    expect((await call('GET', '/api/admin/calendar', {})).statusCode).toBe(401);
    expect((await call('GET', '/api/applications', admin)).statusCode).toBe(401);
    expect((await call('GET', '/api/staff/me', admin)).statusCode).toBe(401);
    const refused = await portal.database.db
      .selectFrom('audit_log')
      .select(['actor_iin', 'details'])
      .where('action', '=', 'admin.login.refused')
      .execute();
    expect(refused.map((r) => [r.actor_iin, JSON.parse(r.details)])).toEqual([[null, { code: 'AUTH_NOT_ADMIN' }]]);
  });

  it('warns while the current or next year is unconfirmed, marks the offer deadline provisional, and stops once both are confirmed', async () => {
    const now = portal.clock.now;
    const [current, next] = [now.getUTCFullYear(), now.getUTCFullYear() + 1];
    const health = async () =>
      (await portal.app.inject({ method: 'GET', url: '/health/ready' })).json<{
        checks: object;
        warnings?: string[];
      }>();
    const before = await health();
    expect(before.checks).toEqual({ database: 'ok', calendar: 'unconfirmed' });
    expect(before.warnings?.[0]).toContain('WORKING-DAY CALENDAR NOT CONFIRMED');

    await portal.queue.publishVacancy({ bin: seed.bin, groupYear: 2021, category: 'speech' });
    const card = async () =>
      (await call('GET', `/api/applications/${seed.applicationId}`, applicant)).json<ApplicationCard>();
    expect((await card()).offer).toMatchObject({ deadlineProvisional: true });

    const list = (await call('GET', '/api/admin/calendar', admin)).json<{
      items: Array<{ year: number; state: string }>;
    }>();
    expect(list.items.filter((y) => y.year === current || y.year === next).map((y) => y.state)).toEqual([
      'draft',
      'draft',
    ]);

    for (const [y, date] of [
      [current, `${current}-06-10`],
      [next, `${next}-05-30`],
    ] as const) {
      const put = await call('PUT', `/api/admin/calendar/${y}`, admin, { days: [KURBAN(y, date)] });
      expect(put.statusCode).toBe(200);
      expect(put.json<CalendarYearDetail>().year).toMatchObject({
        state: 'draft',
        entered: [KURBAN(y, date)],
      });
      const confirmed = await call('POST', `/api/admin/calendar/${y}/confirm`, admin);
      expect(confirmed.json<CalendarYearDetail>().year).toMatchObject({ state: 'confirmed' });
    }
    expect(await health()).toEqual({ status: 'ok', checks: { database: 'ok', calendar: 'confirmed' } });
    expect((await card()).offer).toMatchObject({ deadlineProvisional: false });
    const actions = await portal.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'calendar.%')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'calendar.import',
      'calendar.confirm',
      'calendar.import',
      'calendar.confirm',
    ]);
  });

  it('answers invalid imports and unknown years with their codes', async () => {
    const bad = await call('PUT', '/api/admin/calendar/2035', admin, {
      days: [{ ...KURBAN(2035, '2036-01-01') }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'CALENDAR_INVALID' });
    const unknown = await call('POST', '/api/admin/calendar/2045/confirm', admin);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'CALENDAR_YEAR_NOT_FOUND' });
    const missing = (await call('GET', '/api/admin/calendar/2045', admin)).json<CalendarYearDetail>();
    expect(missing.year.state).toBe('missing');
    expect(missing.days.map((d) => d.date)).toContain('2045-12-16');
  });

  it('says who is logged in, and logs out with the cookie on its own path', async () => {
    const login = await loginWith(portal, HEAD, '/api/admin/auth/login');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^joldama_admin_session=[\w-]{43};/);
    expect(cookie).toContain('Path=/api/admin;');
    expect(cookie).toContain('HttpOnly');
    const jar = { cookie: cookie.slice(0, cookie.indexOf(';')) };
    expect((await call('GET', '/api/admin/me', jar)).json()).toEqual(login.json<AdminLoginResponse>().admin);
    const logout = await call('POST', '/api/admin/auth/logout', jar);
    expect(logout.json()).toEqual({ ok: true });
    expect(String(logout.headers['set-cookie'])).toMatch(/^joldama_admin_session=;.*Path=\/api\/admin/);
    expect((await call('GET', '/api/admin/me', jar)).statusCode).toBe(401);
    // Only that session ended.
    expect((await call('GET', '/api/admin/me', admin)).statusCode).toBe(200);
  });
});

describe('a portal without administrators', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    const pki = await getDemoPki();
    portal = await startTestPortal(await demoVerifier(), {
      start: new Date(Date.parse(pki.index.generatedAt) + 60_000),
    });
  }, 60_000);
  afterAll(() => portal?.close());

  it('refuses even an organisation key', async () => {
    expect((await loginWith(portal, HEAD, '/api/admin/auth/login')).json()).toMatchObject({
      code: 'AUTH_NOT_ADMIN',
    });
  });
});
