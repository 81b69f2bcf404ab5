/**
 * The second way in (IIN + password, SMS code at first login), and dequeue with a reason
 * reflected in the card, the history, the feed, the audit log and the outbox.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { stubVerifier } from '../server/stub-verifier.ts';
import { seedApplication } from './fixtures.ts';

const IIN = '900702304562';

describe('IIN + password login and dequeue', () => {
  let portal: TestPortal;
  let seed: Awaited<ReturnType<typeof seedApplication>>;
  beforeEach(async () => {
    portal = await startTestPortal(stubVerifier());
    seed = await seedApplication(portal.database.db, IIN, '2024-05-13T06:17:04.000Z');
  });
  afterEach(() => portal.close());

  const post = (url: string, payload: object, headers: Record<string, string> = {}) => portal.app.inject({ method: 'POST', url, payload, headers });

  async function smsCode(): Promise<string> {
    const sms = await portal.database.db.selectFrom('outbox').select(['recipient', 'body']).where('channel', '=', 'sms').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(sms.recipient).toBe('+77011234567');
    const code = /(\d{6})/.exec(sms.body)?.[1];
    if (!code) throw new Error('no code in the SMS');
    return code;
  }

  async function firstLogin(): Promise<string> {
    const start = await post('/api/auth/password/start', { iin: IIN });
    expect(start.json()).toEqual({ step: 'sms_code', phoneHint: '•••4567' });
    const set = await post('/api/auth/password/set', { iin: IIN, code: await smsCode(), password: 'kiltsoz-2026' });
    expect(set.statusCode).toBe(200);
    return set.json<{ token: string }>().token;
  }

  it('sends an SMS code at first login, then logs in with the password created', async () => {
    const token = await firstLogin();
    expect((await portal.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } })).json()).toMatchObject({
      iin: IIN,
      fullName: 'ӘБІЛОВ ДӘУРЕН',
      needsEmail: true,
    });
    expect((await post('/api/auth/password/start', { iin: IIN })).json()).toEqual({ step: 'password', phoneHint: null });
    expect((await post('/api/auth/password/login', { iin: IIN, password: 'kiltsoz-2026' })).statusCode).toBe(200);
    const wrong = await post('/api/auth/password/login', { iin: IIN, password: 'wrong-password' });
    expect(wrong.json()).toMatchObject({ code: 'AUTH_BAD_PASSWORD' });
    // An unknown IIN gets the same answer as a wrong password.
    expect((await post('/api/auth/password/login', { iin: '880314401231', password: 'kiltsoz-2026' })).json()).toMatchObject({ code: 'AUTH_BAD_PASSWORD' });
    const stored = await portal.database.db.selectFrom('accounts').select('password_hash').executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain('kiltsoz');
  });

  it('refuses a wrong, an expired and a brute-forced code', async () => {
    await post('/api/auth/password/start', { iin: IIN });
    const code = await smsCode();
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await post('/api/auth/password/set', { iin: IIN, code: wrong, password: 'kiltsoz-2026' })).json()).toMatchObject({ code: 'AUTH_CODE_INVALID' });
    portal.clock.now = new Date(portal.clock.now.getTime() + 5 * 60_000 + 1);
    expect((await post('/api/auth/password/set', { iin: IIN, code, password: 'kiltsoz-2026' })).json()).toMatchObject({ code: 'AUTH_CODE_EXPIRED' });
    await post('/api/auth/password/start', { iin: IIN });
    const fresh = await smsCode();
    for (let i = 0; i < 4; i++) await post('/api/auth/password/set', { iin: IIN, code: wrong, password: 'kiltsoz-2026' });
    expect((await post('/api/auth/password/set', { iin: IIN, code: fresh, password: 'kiltsoz-2026' })).json()).toMatchObject({ code: 'AUTH_CODE_ATTEMPTS' });
  });

  it('dequeues an application with a reason', async () => {
    const auth = { authorization: `Bearer ${await firstLogin()}` };
    await portal.app.inject({ method: 'PUT', url: '/api/me/email', headers: auth, payload: { email: 'd@example.kz' } });
    const settings = await portal.app.inject({ method: 'PUT', url: '/api/me/notifications', headers: auth, payload: { sms: false, email: true, language: 'ru' } });
    expect(settings.json()).toMatchObject({ notifications: { sms: false, email: true, language: 'ru' } });
    const url = `/api/applications/${seed.applicationId}`;
    expect((await post(`${url}/dequeue`, { reason: '' }, auth)).statusCode).toBe(400);
    const res = await post(`${url}/dequeue`, { reason: 'Переезд в другой город' }, auth);
    expect(res.json()).toEqual({ id: String(seed.applicationId), status: 'dequeued' });
    const card = (await portal.app.inject({ method: 'GET', url, headers: auth })).json<{ application: { status: string }; canDequeue: boolean }>();
    expect(card).toMatchObject({ application: { status: 'dequeued' }, canDequeue: false });
    const again = await post(`${url}/dequeue`, { reason: 'Переезд в другой город' }, auth);
    expect(again.statusCode).toBe(409);
    const history = (await portal.app.inject({ method: 'GET', url: `${url}/history`, headers: auth })).json<{ items: Array<{ status: string }> }>();
    expect(history.items.map((h) => h.status)).toContain('dequeued');
    const feed = (await portal.app.inject({ method: 'GET', url: '/api/feed', headers: auth })).json<{ items: Array<{ kind: string }> }>();
    expect(feed.items[0]?.kind).toBe('dequeued');
    const audit = await portal.database.db.selectFrom('audit_log').select('action').where('action', '=', 'application.dequeue').execute();
    expect(audit).toHaveLength(1);
    // The applicant chose e-mail only, in Russian: no SMS besides the login code.
    const sent = await portal.database.db.selectFrom('outbox').select(['channel', 'recipient', 'subject']).where('subject', '!=', 'Joldama').execute();
    expect(sent).toEqual([{ channel: 'email', recipient: 'd@example.kz', subject: 'Заявление снято с очереди' }]);
  });
});
