/**
 * Kindergarten staff's published places over HTTP with real signatures (the demo head key of
 * kindergarten № 145): the list with each place's state, withdrawing an offered place (the offer
 * is cancelled, the applicant told and back in the queue), refusals (taken, already withdrawn,
 * another kindergarten's place, no reason), sessions kept apart, audit, /openapi.json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  PublishedVacancy,
  PublishVacancyResponse,
  StaffLoginResponse,
  WithdrawVacancyResponse,
} from '../../../protocol/staff-api.ts';
import { DATABASE_KINDS } from '../../helpers/portal-db.ts';
import { getDemoPki, type DemoKeyFilter } from '../../helpers/demo-pki.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith } from '../server/real-signatures.ts';
import { KINDERGARTEN_145_BIN, seedApplication, seedKindergarten145, DAUREN, ZHANAR, HEAD, INDIVIDUAL } from './fixtures.ts';

const REASON = 'Топ жөндеуге жабылды';

describe.each(DATABASE_KINDS)('staff: published vacancies (%s)', (kind) => {
  let portal: TestPortal;
  let seed: Awaited<ReturnType<typeof seedApplication>>;
  let kindergartenId: number;
  let applicant: Record<string, string>;
  let staff: Record<string, string>;
  let offered: PublishVacancyResponse;
  let open: PublishVacancyResponse;

  const login = (url: string, key: DemoKeyFilter) => loginWith(portal, key, url);
  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    portal.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const list = async (query = '') =>
    (await call('GET', `/api/staff/vacancies${query}`, staff)).json<{ items: PublishedVacancy[] }>().items;
  /** As an administrator would: the deadlines over these years are then final. */
  const confirmEveryStoredYear = () =>
    portal.database.db
      .updateTable('calendar_years')
      .set({ state: 'confirmed', confirmed_at: portal.clock.now.toISOString(), confirmed_by: 'test' })
      .execute();
  const withdraw = (vacancyId: string, payload: object = { reason: REASON }) =>
    call('POST', `/api/staff/vacancies/${vacancyId}/withdraw`, staff, payload);

  beforeAll(async () => {
    const pki = await getDemoPki();
    portal = await startTestPortal(await demoVerifier(), {
      kind,
      start: new Date(Date.parse(pki.index.generatedAt) + 60_000),
    });
    seed = await seedApplication(portal.database.db, DAUREN, '2024-05-13T06:17:04.000Z');
    kindergartenId = await seedKindergarten145(portal.database.db);
    applicant = {
      authorization: `Bearer ${(await login('/api/auth/login', INDIVIDUAL)).json<{ token: string }>().token}`,
    };
    staff = {
      authorization: `Bearer ${(await login('/api/staff/auth/login', HEAD)).json<StaffLoginResponse>().token}`,
    };
  }, 60_000);
  afterAll(() => portal?.close());

  it('lists the places the kindergarten published, newest first, with their state', async () => {
    offered = (
      await call('POST', '/api/staff/vacancies', staff, { groupYear: 2021, category: 'speech' })
    ).json();
    portal.clock.now = new Date(portal.clock.now.getTime() + 1000);
    open = (
      await call('POST', '/api/staff/vacancies', staff, { groupYear: 2019, category: 'speech' })
    ).json();
    // Another kindergarten's place stays out of this list.
    await portal.queue.publishVacancy({ bin: seed.bin, groupYear: 2019, category: 'speech' });

    const items = await list();
    expect(items).toEqual([
      {
        vacancyId: open.vacancyId,
        groupYear: 2019,
        category: 'speech',
        placeType: 'general',
        publishedAt: expect.any(String),
        state: 'open',
        offeredTo: null,
        takenBy: null,
        withdrawable: true,
      },
      {
        vacancyId: offered.vacancyId,
        groupYear: 2021,
        category: 'speech',
        placeType: 'general',
        publishedAt: expect.any(String),
        state: 'offered',
        offeredTo: {
          applicationId: String(seed.applicationId),
          applicationNumber: 'KDDO.2021.802010.1',
          expiresAt: expect.any(String),
          deadlineProvisional: true, // no administrator has confirmed the calendar yet
        },
        takenBy: null,
        withdrawable: true,
      },
    ]);
    expect((await list('?state=offered')).map((v) => v.vacancyId)).toEqual([offered.vacancyId]);
    await confirmEveryStoredYear();
    expect((await list('?state=offered'))[0]?.offeredTo?.deadlineProvisional).toBe(false);
    await portal.database.db.updateTable('calendar_years').set({ state: 'draft' }).execute();
    expect((await list('?limit=1')).map((v) => v.vacancyId)).toEqual([open.vacancyId]);
    const bad = await call('GET', '/api/staff/vacancies?state=gone', staff);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('withdraws the offered place: the applicant is told, keeps the queue place, and the card shows no offer', async () => {
    const res = await withdraw(offered.vacancyId);
    expect(res.statusCode).toBe(200);
    expect(res.json<WithdrawVacancyResponse>()).toEqual({
      vacancyId: offered.vacancyId,
      state: 'withdrawn',
      previousState: 'offered',
      returnedToQueue: { applicationId: String(seed.applicationId), applicationNumber: 'KDDO.2021.802010.1' },
    });
    expect((await call('GET', `/api/applications/${seed.applicationId}`, applicant)).json()).toMatchObject({
      application: { status: 'in_queue' },
      offer: null,
    });
    expect(
      (await call('GET', `/api/applications/${seed.applicationId}/vacancies`, applicant)).json(),
    ).toEqual({ items: [], asOf: expect.any(String) });
    const feed = (await call('GET', '/api/feed', applicant)).json<{ items: Array<{ kind: string }> }>();
    expect(feed.items[0]?.kind).toBe('offer_cancelled');
    const sms = await portal.database.db
      .selectFrom('outbox')
      .select(['recipient', 'subject', 'body'])
      .where('channel', '=', 'sms')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(sms).toEqual({
      recipient: '+77011234567',
      subject: 'Орын ұсынысы жойылды',
      body: '№ 145 арнайы балабақша №KDDO.2021.802010.1 өтініш бойынша ұсынылған орынды қайтарып алды; бала кезектегі орнында қалады.',
    });
    expect((await list('?state=withdrawn')).map((v) => [v.vacancyId, v.withdrawable])).toEqual([
      [offered.vacancyId, false],
    ]);
  });

  it("withdraws the open place; refuses it twice, another kindergarten's place and a missing reason", async () => {
    expect((await withdraw(open.vacancyId)).json()).toMatchObject({
      previousState: 'open',
      returnedToQueue: null,
    });
    const again = await withdraw(open.vacancyId);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'VACANCY_ALREADY_WITHDRAWN' });

    const foreign = await portal.database.db
      .selectFrom('vacancies')
      .select('id')
      .where('kindergarten_id', '=', seed.kindergartenId)
      .executeTakeFirstOrThrow();
    const notOurs = await withdraw(String(foreign.id));
    expect(notOurs.statusCode).toBe(404);
    expect(notOurs.json()).toMatchObject({ code: 'VACANCY_NOT_FOUND' });
    expect((await withdraw('999999')).json()).toMatchObject({ code: 'VACANCY_NOT_FOUND' });
    expect((await withdraw('abc')).statusCode).toBe(400);
    for (const payload of [{}, { reason: ' ' }, { reason: REASON, extra: 1 }]) {
      const res = await withdraw(open.vacancyId, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('refuses to withdraw a place a referral holds', async () => {
    const again = (
      await call('POST', '/api/staff/vacancies', staff, { groupYear: 2021, category: 'speech' })
    ).json<PublishVacancyResponse>();
    expect(again.offeredTo?.applicationId).toBe(String(seed.applicationId)); // its queue place kept
    const offer = await portal.database.db
      .selectFrom('offers')
      .select('id')
      .where('vacancy_id', '=', Number(again.vacancyId))
      .executeTakeFirstOrThrow();
    await portal.queue.createReferral({
      applicationId: seed.applicationId,
      offerId: offer.id,
      kindergartenId,
    });
    const res = await withdraw(again.vacancyId);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'VACANCY_TAKEN' });
    const [listed] = await list('?state=taken');
    expect(listed).toMatchObject({
      vacancyId: again.vacancyId,
      takenBy: { applicationId: String(seed.applicationId), applicationNumber: 'KDDO.2021.802010.1' },
      withdrawable: false,
    });
  });

  it('opens the list and the withdrawal to staff sessions only', async () => {
    expect((await call('GET', '/api/staff/vacancies', applicant)).json()).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const res = await call('POST', `/api/staff/vacancies/${open.vacancyId}/withdraw`, applicant, {
      reason: REASON,
    });
    expect(res.statusCode).toBe(401);
  });

  it('audits each withdrawal under the staff member and the BIN, and lists the routes in /openapi.json', async () => {
    const rows = await portal.database.db
      .selectFrom('audit_log')
      .select(['actor_iin', 'subject', 'details'])
      .where('action', '=', 'staff.vacancy.withdraw')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => ({ ...r, details: JSON.parse(r.details) as unknown }))).toEqual([
      {
        actor_iin: ZHANAR,
        subject: offered.vacancyId,
        details: {
          bin: KINDERGARTEN_145_BIN,
          reason: REASON,
          previousState: 'offered',
          returnedToQueue: 'KDDO.2021.802010.1',
        },
      },
      {
        actor_iin: ZHANAR,
        subject: open.vacancyId,
        details: { bin: KINDERGARTEN_145_BIN, reason: REASON, previousState: 'open', returnedToQueue: null },
      },
    ]);
    const paths = (await portal.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>().paths;
    expect(Object.keys(paths['/api/staff/vacancies'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(paths['/api/staff/vacancies/{vacancyId}/withdraw']).toHaveProperty('post');
  });
});
