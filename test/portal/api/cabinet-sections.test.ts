/**
 * The cabinet's sections beside the journal (docs/cabinet.md): the feed's read mark, "My
 * referrals", and the password change from settings, which ends the person's other sessions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { stubVerifier } from '../server/stub-verifier.ts';
import { seedApplication } from './fixtures.ts';
import type { ApplicationStatus } from '../../../portal/db/schema.ts';
import { PASSWORD_BACKOFF } from '../../../portal/auth/password-backoff.ts';

const IIN = '900702304562';
const PASSWORD = 'kiltsoz-2026';

describe('cabinet sections', () => {
  let portal: TestPortal;
  let seed: Awaited<ReturnType<typeof seedApplication>>;
  beforeEach(async () => {
    portal = await startTestPortal(stubVerifier());
    seed = await seedApplication(portal.database.db, IIN, '2024-05-13T06:17:04.000Z');
  });
  afterEach(() => portal.close());

  const inject = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    portal.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });

  /** First login with the SMS code from the outbox; the session's token. */
  async function firstLogin(): Promise<string> {
    await portal.app.inject({ method: 'POST', url: '/api/auth/password/start', payload: { iin: IIN } });
    const sms = await portal.database.db.selectFrom('outbox').select('body').where('channel', '=', 'sms').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const code = /(\d{6})/.exec(sms.body)?.[1] ?? '';
    const set = await portal.app.inject({ method: 'POST', url: '/api/auth/password/set', payload: { iin: IIN, code, password: PASSWORD } });
    expect(set.statusCode).toBe(200);
    return set.json<{ token: string }>().token;
  }

  const login = async (password: string) => portal.app.inject({ method: 'POST', url: '/api/auth/password/login', payload: { iin: IIN, password } });

  async function addHistory(status: string, at: string): Promise<void> {
    await portal.database.db
      .insertInto('application_history')
      .values({ application_id: seed.applicationId, at, event: 'status_changed', status: status as ApplicationStatus, actor: 'system', details: null })
      .execute();
  }

  type Feed = { items: Array<{ id: string; status: string | null; read: boolean; applicationNumber: string }> };

  it('marks the feed read up to an event, only forward and never past the newest event', async () => {
    const token = await firstLogin();
    await addHistory('in_queue', '2024-05-13T06:17:04.000Z');
    await addHistory('notification_sent', '2024-06-01T06:00:00.000Z');
    await addHistory('referral_issued', '2024-06-02T06:00:00.000Z');
    const feed = (await inject('GET', '/api/feed', token)).json<Feed>();
    expect(feed.items.map((e) => [e.status, e.read])).toEqual([
      ['referral_issued', false],
      ['notification_sent', false],
      ['in_queue', false],
    ]);
    expect(feed.items[0]?.applicationNumber).toBe('KDDO.2021.802010.1');
    const [newest, middle] = feed.items;
    expect((await inject('POST', '/api/feed/read', token, { upTo: middle?.id })).json()).toEqual({ ok: true });
    expect((await inject('GET', '/api/feed', token)).json<Feed>().items.map((e) => e.read)).toEqual([false, true, true]);
    // An older mark sent late does not unread anything.
    const oldest = feed.items[2]?.id ?? '';
    await inject('POST', '/api/feed/read', token, { upTo: oldest });
    expect((await inject('GET', '/api/feed', token)).json<Feed>().items.map((e) => e.read)).toEqual([false, true, true]);
    // A mark beyond the person's own events stops at their newest: an event added later is unread.
    await inject('POST', '/api/feed/read', token, { upTo: String(Number(newest?.id) + 1000) });
    await addHistory('enrolled', '2024-06-03T06:00:00.000Z');
    expect((await inject('GET', '/api/feed', token)).json<Feed>().items.map((e) => e.read)).toEqual([false, true, true, true]);
    expect((await inject('POST', '/api/feed/read', token, { upTo: '01' })).statusCode).toBe(400);
  });

  it('lists every referral of the person, newest first, and none of anybody else', async () => {
    const token = await firstLogin();
    const db = portal.database.db;
    const vacancy = async () =>
      (await db
        .insertInto('vacancies')
        .values({ kindergarten_id: seed.kindergartenId, group_year: 2021, category: 'speech', published_at: '2024-06-01T00:00:00.000Z', state: 'taken', taken_by_application_id: seed.applicationId })
        .returning('id')
        .executeTakeFirstOrThrow()).id;
    const offer = async (vacancyId: number) =>
      (await db
        .insertInto('offers')
        .values({ vacancy_id: vacancyId, application_id: seed.applicationId, kind: 'personal', created_at: '2024-06-01T00:00:00.000Z', expires_at: null, state: 'accepted' })
        .returning('id')
        .executeTakeFirstOrThrow()).id;
    for (const [issuedAt, state] of [
      ['2024-06-01T06:00:00.000Z', 'cancelled'],
      ['2024-07-01T06:00:00.000Z', 'issued'],
    ] as const) {
      const vacancyId = await vacancy();
      await db
        .insertInto('referrals')
        .values({ application_id: seed.applicationId, kindergarten_id: seed.kindergartenId, vacancy_id: vacancyId, offer_id: await offer(vacancyId), issued_at: issuedAt, confirm_by: issuedAt, state, state_changed_at: issuedAt })
        .execute();
    }
    const list = (await inject('GET', '/api/referrals', token)).json<{ items: Array<{ state: string; applicationId: string; childName: string; kindergartenName: string }> }>();
    expect(list.items.map((r) => r.state)).toEqual(['issued', 'cancelled']);
    expect(list.items[0]).toMatchObject({ applicationId: String(seed.applicationId), childName: 'ӘБІЛОВА АЙСҰЛУ', kindergartenName: '«Балапан» арнайы балабақшасы' });
    // Someone else's session sees none of them.
    await db.insertInto('accounts').values({ iin: '880314401231', full_name: 'X', email: null, password_hash: null, created_at: '2024-01-01T00:00:00.000Z', last_login_at: null }).execute();
    const other = await import('../../../portal/auth/sessions.ts').then((m) => m.createSession(db, '880314401231', portal.clock.now));
    expect((await inject('GET', '/api/referrals', other.token)).json()).toEqual({ items: [] });
  });

  it('changes the password given the current one and ends the other sessions, not this one', async () => {
    const here = await firstLogin();
    const elsewhere = (await login(PASSWORD)).json<{ token: string }>().token;
    const wrong = await inject('POST', '/api/me/password', here, { currentPassword: 'not-it-at-all', newPassword: 'jana-kiltsoz-1' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'CURRENT_PASSWORD_WRONG' });
    expect((await inject('POST', '/api/me/password', here, { currentPassword: PASSWORD, newPassword: 'short' })).statusCode).toBe(400);
    const changed = await inject('POST', '/api/me/password', here, { currentPassword: PASSWORD, newPassword: 'jana-kiltsoz-1' });
    expect(changed.json()).toEqual({ ok: true });
    expect((await inject('GET', '/api/me', here)).statusCode).toBe(200);
    expect((await inject('GET', '/api/me', elsewhere)).statusCode).toBe(401);
    expect((await login(PASSWORD)).json()).toMatchObject({ code: 'AUTH_BAD_PASSWORD' });
    expect((await login('jana-kiltsoz-1')).statusCode).toBe(200);
    const audit = await portal.database.db.selectFrom('audit_log').select('details').where('action', '=', 'account.password').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('kiltsoz');
  });

  it('guesses of the current password count toward the login back-off', async () => {
    const token = await firstLogin();
    for (let i = 0; i < PASSWORD_BACKOFF.freeFailures; i++) {
      expect((await inject('POST', '/api/me/password', token, { currentPassword: `guess-${i}-wrong`, newPassword: 'jana-kiltsoz-1' })).json()).toMatchObject({ code: 'CURRENT_PASSWORD_WRONG' });
    }
    // Even the right password waits now, in settings and at the login alike.
    expect((await inject('POST', '/api/me/password', token, { currentPassword: PASSWORD, newPassword: 'jana-kiltsoz-1' })).json()).toMatchObject({ code: 'AUTH_PASSWORD_BACKOFF' });
    expect((await login(PASSWORD)).json()).toMatchObject({ code: 'AUTH_PASSWORD_BACKOFF' });
  });

  it('an account without a password (EDS key logins) sets one without a current password', async () => {
    const db = portal.database.db;
    await db.insertInto('accounts').values({ iin: IIN, full_name: 'ӘБІЛОВ ДӘУРЕН', email: null, password_hash: null, created_at: '2024-01-01T00:00:00.000Z', last_login_at: null }).execute();
    const { createSession } = await import('../../../portal/auth/sessions.ts');
    const session = await createSession(db, IIN, portal.clock.now);
    expect((await inject('POST', '/api/me/password', session.token, { currentPassword: '', newPassword: 'jana-kiltsoz-1' })).json()).toEqual({ ok: true });
    expect((await login('jana-kiltsoz-1')).statusCode).toBe(200);
  });

  it('shows in settings the phone SMS go to: the registered one until the person sets their own', async () => {
    const token = await firstLogin();
    const me = async () => (await inject('GET', '/api/me', token)).json<{ phones: string[] }>().phones;
    expect(await me()).toEqual(['+77011234567']);
    const put = await portal.app.inject({ method: 'PUT', url: '/api/me/phones', payload: { phones: ['+77021234567'] }, headers: { authorization: `Bearer ${token}` } });
    expect(put.statusCode).toBe(200);
    expect(await me()).toEqual(['+77021234567']);
  });
});
