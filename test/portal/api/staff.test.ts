/**
 * Kindergarten staff over HTTP with real signatures: the demo head key of kindergarten № 145 logs in
 * at /api/staff/auth/login, publishes a place (offered to the next eligible child), confirms the
 * child's arrival and marks the child as left; refusals at login; staff and applicant sessions
 * never open each other's routes; every action in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AwaitingReferral,
  PublishVacancyResponse,
  StaffLoginResponse,
} from '../../../protocol/staff-api.ts';
import { getDemoPki, type DemoKeyFilter } from '../../helpers/demo-pki.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith, signedLogin } from '../server/real-signatures.ts';
import { KINDERGARTEN_145_BIN, seedApplication, seedKindergarten145, DAUREN, ZHANAR, HEAD, INDIVIDUAL } from './fixtures.ts';
import { DATABASE_KINDS } from '../../helpers/portal-db.ts';


describe.each(DATABASE_KINDS)('kindergarten staff (%s)', (kind) => {
  let portal: TestPortal;
  let seed: Awaited<ReturnType<typeof seedApplication>>;
  let applicant: Record<string, string>;
  let staff: Record<string, string>;

  const login = (url: string, key: DemoKeyFilter) => loginWith(portal, key, url);
  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    portal.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    const pki = await getDemoPki();
    portal = await startTestPortal(await demoVerifier(), {
      kind,
      start: new Date(Date.parse(pki.index.generatedAt) + 60_000),
    });
    seed = await seedApplication(portal.database.db, DAUREN, '2024-05-13T06:17:04.000Z');
    const token = (await login('/api/auth/login', INDIVIDUAL)).json<{ token: string }>().token;
    applicant = { authorization: `Bearer ${token}` };
  }, 60_000);
  afterAll(() => portal?.close());

  it('refuses the head of an organisation that is not a kindergarten in the database', async () => {
    const res = await login('/api/staff/auth/login', HEAD);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'AUTH_UNKNOWN_ORGANIZATION' });
  });

  it('logs the head of kindergarten № 145 in, as staff of that kindergarten', async () => {
    const kindergartenId = await seedKindergarten145(portal.database.db);
    const res = await login('/api/staff/auth/login', HEAD);
    expect(res.statusCode).toBe(200);
    const body = res.json<StaffLoginResponse>();
    expect(body.staff).toMatchObject({
      iin: ZHANAR,
      bin: KINDERGARTEN_145_BIN,
      kindergartenId: String(kindergartenId),
    });
    expect(res.headers['set-cookie']).toEqual(expect.stringContaining('joldama_staff_session='));
    staff = { authorization: `Bearer ${body.token}` };
    const row = await portal.database.db.selectFrom('staff_sessions').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ iin: ZHANAR, bin: KINDERGARTEN_145_BIN, kindergarten_id: kindergartenId });
    expect((await call('GET', '/api/staff/me', staff)).json()).toMatchObject({
      bin: KINDERGARTEN_145_BIN,
      kindergartenName: '№ 145 арнайы балабақша',
    });
  });

  it('refuses an individual key, a signing key and a replayed challenge at the staff login; the head key at the applicant login', async () => {
    expect((await login('/api/staff/auth/login', INDIVIDUAL)).json()).toMatchObject({
      code: 'AUTH_NOT_STAFF',
    });
    expect((await login('/api/staff/auth/login', { ...HEAD, purpose: 'SIGN' })).json()).toMatchObject({
      code: 'AUTH_WRONG_PURPOSE',
    });
    // One challenge, one login, whichever endpoint burns it.
    const { nonce } = (await portal.app.inject({ method: 'POST', url: '/api/auth/challenge' })).json<{
      nonce: string;
    }>();
    expect(
      (
        await portal.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { signedXml: await signedLogin(portal, INDIVIDUAL, nonce) },
        })
      ).statusCode,
    ).toBe(200);
    const replay = await portal.app.inject({
      method: 'POST',
      url: '/api/staff/auth/login',
      payload: { signedXml: await signedLogin(portal, HEAD, nonce) },
    });
    expect(replay.json()).toMatchObject({ code: 'AUTH_CHALLENGE_REPLAYED' });
    expect((await login('/api/auth/login', HEAD)).json()).toMatchObject({ code: 'AUTH_NOT_INDIVIDUAL' });
    expect(await portal.database.db.selectFrom('staff_sessions').selectAll().execute()).toHaveLength(1);
  });

  it('keeps staff and applicant sessions apart', async () => {
    for (const url of ['/api/me', '/api/applications']) {
      expect((await call('GET', url, staff)).json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect((await call('GET', '/api/staff/me', applicant)).json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await call('GET', '/api/staff/referrals', applicant)).statusCode).toBe(401);
    const publish = await call('POST', '/api/staff/vacancies', applicant, {
      groupYear: 2021,
      category: 'speech',
    });
    expect(publish.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await call('POST', '/api/staff/children/left', {}, { childIin: seed.childIin })).statusCode).toBe(
      401,
    );
    expect(await portal.database.db.selectFrom('vacancies').selectAll().execute()).toHaveLength(0);
    expect((await call('GET', '/api/me', applicant)).statusCode).toBe(200);
  });

  it('publishes a place: offered to the next eligible applicant; refuses a category the kindergarten does not serve', async () => {
    const res = await call('POST', '/api/staff/vacancies', staff, { groupYear: 2021, category: 'speech' });
    expect(res.statusCode).toBe(200);
    expect(res.json<PublishVacancyResponse>()).toMatchObject({
      state: 'offered',
      offeredTo: { applicationId: String(seed.applicationId), applicationNumber: 'KDDO.2021.802010.1' },
    });
    const card = await call('GET', `/api/applications/${seed.applicationId}`, applicant);
    expect(card.json()).toMatchObject({
      application: { status: 'notification_sent' },
      offer: { kindergartenName: '№ 145 арнайы балабақша' },
    });

    const unserved = await call('POST', '/api/staff/vacancies', staff, {
      groupYear: 2021,
      category: 'hearing',
    });
    expect(unserved.statusCode).toBe(409);
    expect(unserved.json()).toMatchObject({ code: 'CATEGORY_NOT_SERVED' });
    const nobody = await call('POST', '/api/staff/vacancies', staff, { groupYear: 2019, category: 'speech' });
    expect(nobody.json<PublishVacancyResponse>()).toMatchObject({ offeredTo: null });
    expect(nobody.json<PublishVacancyResponse>().state).not.toBe('offered');
    expect(
      (await call('POST', '/api/staff/vacancies', staff, { groupYear: 'next', category: 'speech' }))
        .statusCode,
    ).toBe(400);
  });

  it('lists the referral awaiting arrival, confirms the arrival once, then marks the child as left', async () => {
    const offer = await portal.database.db
      .selectFrom('offers')
      .select(['id'])
      .where('application_id', '=', seed.applicationId)
      .where('state', '=', 'active')
      .executeTakeFirstOrThrow();
    const kgId = Number(
      (await call('GET', '/api/staff/me', staff)).json<{ kindergartenId: string }>().kindergartenId,
    );
    const referral = await portal.queue.createReferral({
      applicationId: seed.applicationId,
      offerId: offer.id,
      kindergartenId: kgId,
    });

    const awaiting = (await call('GET', '/api/staff/referrals', staff)).json<{ items: AwaitingReferral[] }>()
      .items;
    expect(awaiting).toEqual([
      expect.objectContaining({
        referralId: String(referral.referralId),
        applicationNumber: 'KDDO.2021.802010.1',
        childIin: seed.childIin,
        groupYear: 2021,
        confirmByProvisional: true, // no administrator has confirmed the calendar yet
      }),
    ]);
    await portal.database.db.updateTable('calendar_years').set({ state: 'confirmed' }).execute();
    const [final] = (await call('GET', '/api/staff/referrals', staff)).json<{ items: AwaitingReferral[] }>().items;
    expect(final?.confirmByProvisional).toBe(false);
    await portal.database.db.updateTable('calendar_years').set({ state: 'draft' }).execute();

    const missing = await call('POST', '/api/staff/referrals/999999/arrival', staff);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'REFERRAL_NOT_FOUND' });
    const confirmed = await call('POST', `/api/staff/referrals/${referral.referralId}/arrival`, staff);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ referralId: String(referral.referralId), state: 'confirmed' });
    expect(
      (await call('POST', `/api/staff/referrals/${referral.referralId}/arrival`, staff)).json(),
    ).toMatchObject({ code: 'REFERRAL_NOT_ISSUED' });
    expect((await call('GET', '/api/staff/referrals', staff)).json()).toEqual({ items: [] });
    expect((await call('GET', `/api/applications/${seed.applicationId}`, applicant)).json()).toMatchObject({
      application: { status: 'enrolled' },
    });

    const left = await call('POST', '/api/staff/children/left', staff, { childIin: seed.childIin });
    expect(left.json()).toEqual({ childIin: seed.childIin, state: 'left' });
    const again = await call('POST', '/api/staff/children/left', staff, { childIin: seed.childIin });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CHILD_NOT_ENROLLED_HERE' });
    expect(
      (await call('POST', '/api/staff/children/left', staff, { childIin: '000000000000' })).json(),
    ).toMatchObject({ code: 'CHILD_NOT_FOUND' });
    expect((await call('GET', `/api/applications/${seed.applicationId}`, applicant)).json()).toMatchObject({
      application: { status: 'left' },
    });
  });

  it('writes each staff action to the audit log under the staff member and the BIN', async () => {
    const rows = await portal.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'staff.%')
      .orderBy('id')
      .execute();
    const mine = rows.filter((r) => r.actor_iin === ZHANAR).map((r) => r.action);
    expect(mine).toEqual([
      'staff.login',
      'staff.vacancy.publish',
      'staff.vacancy.publish',
      'staff.referral.arrival',
      'staff.child.left',
    ]);
    expect(
      rows
        .filter((r) => r.action === 'staff.login.refused')
        .map((r) => JSON.parse(r.details) as { code: string }),
    ).toEqual(
      expect.arrayContaining([
        { code: 'AUTH_UNKNOWN_ORGANIZATION' },
        { code: 'AUTH_NOT_STAFF' },
        { code: 'AUTH_CHALLENGE_REPLAYED' },
      ]),
    );
    for (const r of rows.filter((x) => x.actor_iin === ZHANAR))
      expect(JSON.parse(r.details)).toMatchObject({ bin: KINDERGARTEN_145_BIN });
  });

  it('logs staff out, and lists the staff routes in /openapi.json', async () => {
    expect((await call('POST', '/api/staff/auth/logout', staff)).json()).toEqual({ ok: true });
    expect((await call('GET', '/api/staff/me', staff)).statusCode).toBe(401);
    const paths = Object.keys(
      (await portal.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: object }>().paths,
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/staff/auth/login',
        '/api/staff/vacancies',
        '/api/staff/referrals',
        '/api/staff/referrals/{referralId}/arrival',
        '/api/staff/children/left',
      ]),
    );
  });
});
