/**
 * Limits per person on the IIN + password way in, on SQLite and PostgreSQL: the SMS-code guess
 * budget holds under concurrent guesses and across new codes, codes to one IIN have a cooldown and
 * a daily cap that a restart does not forget, and password tries back off per account.
 */
import { afterEach, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildPortal } from '../../../portal/server/app.ts';
import { hashPassword } from '../../../portal/auth/password-login.ts';
import { SMS_CODE_RULES } from '../../../portal/auth/sms-codes.ts';
import { PASSWORD_BACKOFF } from '../../../portal/auth/password-backoff.ts';
import { ORIGIN, startTestPortal, type TestPortal } from '../server/helpers.ts';
import { stubVerifier } from '../server/stub-verifier.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { DAUREN, seedApplication } from './fixtures.ts';

const PASSWORD = 'kiltsoz-2026';

withTestDatabases((kind) => {
  let portal: TestPortal;
  afterEach(() => portal?.close());

  async function start(): Promise<TestPortal> {
    portal = await startTestPortal(stubVerifier(), { kind, extra: { loginRateLimit: 10_000 } });
    await seedApplication(portal.database.db, DAUREN, '2024-05-13T06:17:04.000Z');
    return portal;
  }
  const post = (url: string, payload: object, app: FastifyInstance = portal.app) => app.inject({ method: 'POST', url, payload });
  const advance = (ms: number) => {
    portal.clock.now = new Date(portal.clock.now.getTime() + ms);
  };
  async function lastCode(): Promise<string> {
    const sms = await portal.database.db.selectFrom('outbox').select('body').where('channel', '=', 'sms').orderBy('id', 'desc').executeTakeFirstOrThrow();
    return /(\d{6})/.exec(sms.body)![1]!;
  }
  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');
  const passwordHash = async () =>
    (await portal.database.db.selectFrom('accounts').select('password_hash').where('iin', '=', DAUREN).executeTakeFirst())?.password_hash ?? null;
  const codesOf = async (responses: Array<{ json(): unknown }>) => responses.map((r) => (r.json() as { code?: string }).code ?? 'ok');
  const count = (codes: string[], code: string) => codes.filter((c) => c === code).length;

  it('forty concurrent guesses use the budget once each: the right code afterwards sets no password', async () => {
    await start();
    expect((await post('/api/auth/password/start', { iin: DAUREN })).statusCode).toBe(200);
    const code = await lastCode();
    const guesses = await Promise.all(
      Array.from({ length: 40 }, () => post('/api/auth/password/set', { iin: DAUREN, code: wrongFor(code), password: PASSWORD })),
    );
    const codes = await codesOf(guesses);
    expect(count(codes, 'AUTH_CODE_INVALID')).toBe(SMS_CODE_RULES.guessesPerWindow);
    expect(count(codes, 'AUTH_CODE_ATTEMPTS')).toBe(40 - SMS_CODE_RULES.guessesPerWindow);
    const right = await post('/api/auth/password/set', { iin: DAUREN, code, password: PASSWORD });
    expect(right.json()).toMatchObject({ code: 'AUTH_CODE_ATTEMPTS' });
    expect(await passwordHash()).toBeNull();
  });

  it('the guess budget is the person’s: a new code does not renew it', async () => {
    await start();
    await post('/api/auth/password/start', { iin: DAUREN });
    const first = await lastCode();
    for (let i = 0; i < 3; i++) await post('/api/auth/password/set', { iin: DAUREN, code: wrongFor(first), password: PASSWORD });
    advance(SMS_CODE_RULES.cooldownMs);
    expect((await post('/api/auth/password/start', { iin: DAUREN })).statusCode).toBe(200);
    const second = await lastCode();
    for (let i = 0; i < 2; i++) await post('/api/auth/password/set', { iin: DAUREN, code: wrongFor(second), password: PASSWORD });
    expect((await post('/api/auth/password/set', { iin: DAUREN, code: second, password: PASSWORD })).json()).toMatchObject({ code: 'AUTH_CODE_ATTEMPTS' });
    expect(await passwordHash()).toBeNull();
    // A day later the person may try again, with a new code.
    advance(SMS_CODE_RULES.windowMs);
    await post('/api/auth/password/start', { iin: DAUREN });
    expect((await post('/api/auth/password/set', { iin: DAUREN, code: await lastCode(), password: PASSWORD })).statusCode).toBe(200);
    expect(await passwordHash()).toMatch(/^scrypt\$/);
  });

  it('a code is taken once: a second use of the right code is refused', async () => {
    await start();
    await post('/api/auth/password/start', { iin: DAUREN });
    const code = await lastCode();
    const both = await Promise.all([1, 2].map(() => post('/api/auth/password/set', { iin: DAUREN, code, password: PASSWORD })));
    expect((await codesOf(both)).sort()).toEqual(['AUTH_CODE_INVALID', 'ok']);
  });

  it('one code a minute and five a day to one IIN, remembered across a restart', async () => {
    await start();
    const sent = async () => (await portal.database.db.selectFrom('outbox').select('id').where('channel', '=', 'sms').execute()).length;
    const burst = await Promise.all(Array.from({ length: 5 }, () => post('/api/auth/password/start', { iin: DAUREN })));
    expect((await codesOf(burst)).sort()).toEqual(['AUTH_CODE_TOO_SOON', 'AUTH_CODE_TOO_SOON', 'AUTH_CODE_TOO_SOON', 'AUTH_CODE_TOO_SOON', 'ok']);
    expect(await sent()).toBe(1);
    for (let i = 1; i < SMS_CODE_RULES.perWindow; i++) {
      advance(SMS_CODE_RULES.cooldownMs);
      expect((await post('/api/auth/password/start', { iin: DAUREN })).statusCode).toBe(200);
    }
    expect(await sent()).toBe(SMS_CODE_RULES.perWindow);
    // A restart: a new server over the same database.
    await portal.app.close();
    portal.app = await buildPortal({ db: portal.database.db, origin: ORIGIN, verify: stubVerifier(), queue: portal.queue, now: () => portal.clock.now, logger: false });
    advance(SMS_CODE_RULES.cooldownMs);
    const capped = await post('/api/auth/password/start', { iin: DAUREN });
    expect(capped.statusCode).toBe(429);
    expect(capped.json()).toMatchObject({ code: 'AUTH_CODE_DAILY_LIMIT' });
    expect(await sent()).toBe(SMS_CODE_RULES.perWindow);
    advance(SMS_CODE_RULES.windowMs);
    expect((await post('/api/auth/password/start', { iin: DAUREN })).statusCode).toBe(200);
  });

  it('password tries back off per account, known or not, also in a burst', async () => {
    await start();
    await portal.database.db
      .insertInto('accounts')
      .values({ iin: DAUREN, full_name: 'ӘБІЛОВ ДӘУРЕН', email: null, password_hash: await hashPassword(PASSWORD), created_at: portal.clock.now.toISOString(), last_login_at: null })
      .execute();
    for (const iin of [DAUREN, '880314401231']) {
      for (let i = 0; i < 5; i++) expect((await post('/api/auth/password/login', { iin, password: 'wrong-password' })).json(), iin).toMatchObject({ code: 'AUTH_BAD_PASSWORD' });
      const waiting = await post('/api/auth/password/login', { iin, password: PASSWORD });
      expect(waiting.statusCode, iin).toBe(429);
      expect(waiting.json(), iin).toMatchObject({ code: 'AUTH_PASSWORD_BACKOFF' });
    }
    advance(60_000);
    expect((await post('/api/auth/password/login', { iin: DAUREN, password: PASSWORD })).statusCode).toBe(200);
    // The success cleared the count. Twenty wrong passwords at once: each try is counted before its
    // password is checked, so no more than the free failures are ever checked.
    const burst = await Promise.all(Array.from({ length: 20 }, () => post('/api/auth/password/login', { iin: DAUREN, password: 'wrong-password' })));
    const codes = await codesOf(burst);
    expect(count(codes, 'AUTH_BAD_PASSWORD')).toBeGreaterThanOrEqual(1);
    expect(count(codes, 'AUTH_BAD_PASSWORD')).toBeLessThanOrEqual(PASSWORD_BACKOFF.freeFailures);
    expect(count(codes, 'AUTH_BAD_PASSWORD') + count(codes, 'AUTH_PASSWORD_BACKOFF')).toBe(20);
  });
});
