/**
 * IIN + password login and the cabinet's settings through main's dispatch against the real demo
 * portal (docs/cabinet.md): the IIN's check digit refused before the portal is asked, the first
 * login with the SMS code from the demo's message log, the password change,
 * notification choices, the feed's read mark, and the policy turning the way in off.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatch } from '../../main/dispatch.ts';
import { DEMO_IDENTITIES } from '../../demo/pki/identities.ts';
import { fakeContext } from './helpers/fake-context.ts';
import { startDemoPortalApp, type DemoPortalApp } from './helpers/demo-portal-app.ts';

const person = DEMO_IDENTITIES.filter((p) => p.role === 'individual')[1]!;
const PASSWORD = 'kiltsoz-2026-secret';

let app: DemoPortalApp;
const requests: string[] = [];

beforeAll(async () => {
  app = await startDemoPortalApp({
    fetch: (input, init) => {
      requests.push(String(input));
      return fetch(input, init);
    },
  });
}, 120_000);
afterAll(() => app?.close());

/** The newest SMS in the demo's message log holding a six-digit code (the outbox delivers every 5 s). */
async function smsCode(after: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const lines = (await readFile(app.notificationLog, 'utf8').catch(() => '')).split('\n').filter(Boolean).slice(after);
    const code = lines
      .map((l) => JSON.parse(l) as { channel: string; body: string })
      .map((m) => (m.channel === 'sms' ? /код[^:]*: (\d{6})$/i.exec(m.body)?.[1] : undefined))
      .find(Boolean);
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no SMS code in the demo message log');
}

const logLines = async () => (await readFile(app.notificationLog, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

describe('IIN + password through main', () => {
  it('refuses an IIN whose check digit is wrong without asking the portal', async () => {
    const before = requests.length;
    const wrong = `${person.iin.slice(0, 11)}${(Number(person.iin[11]) + 1) % 10}`;
    expect(await app.dispatch('auth.passwordStart', { iin: wrong })).toEqual({ ok: false, error: { code: 'IIN_INVALID' } });
    expect(await app.dispatch('auth.passwordLogin', { iin: wrong, password: PASSWORD })).toEqual({ ok: false, error: { code: 'IIN_INVALID' } });
    expect(requests.length).toBe(before);
  });

  it('first login: the SMS code, a new password; then the password alone; the password never in an address', async () => {
    const seen = await logLines();
    const start = await app.dispatch('auth.passwordStart', { iin: person.iin });
    expect(start).toMatchObject({ ok: true, value: { step: 'sms_code' } });
    const code = await smsCode(seen);
    const wrongCode = code === '000000' ? '111111' : '000000';
    expect(await app.dispatch('auth.passwordCreate', { iin: person.iin, code: wrongCode, password: PASSWORD })).toEqual({ ok: false, error: { code: 'AUTH_CODE_INVALID' } });
    const beforeCreate = requests.length;
    const created = await app.dispatch('auth.passwordCreate', { iin: person.iin, code, password: PASSWORD });
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true, value: { user: { iin: person.iin } } });
    // A session begun by password takes the feed's baseline before the login is answered too (cabinet-watch.ts).
    expect(requests.slice(beforeCreate).at(-1)).toMatch(/\/api\/feed\?limit=1$/);
    expect(await app.dispatch('auth.session', {})).toMatchObject({ ok: true, value: { user: { iin: person.iin } } });

    expect(await app.dispatch('auth.passwordStart', { iin: person.iin })).toEqual({ ok: true, value: { step: 'password', phoneHint: null } });
    expect(await app.dispatch('auth.passwordLogin', { iin: person.iin, password: 'not-the-password' })).toEqual({ ok: false, error: { code: 'AUTH_BAD_PASSWORD' } });
    const beforeLogin = requests.length;
    expect(await app.dispatch('auth.passwordLogin', { iin: person.iin, password: PASSWORD })).toMatchObject({ ok: true });
    expect(requests.slice(beforeLogin).at(-1)).toMatch(/\/api\/feed\?limit=1$/);
    // The password travels in request bodies only, never in an address main called.
    expect(JSON.stringify(requests)).not.toContain(PASSWORD);
  });

  it('settings: notification channel and language, e-mail, phones, password change', async () => {
    await app.dispatch('auth.passwordLogin', { iin: person.iin, password: PASSWORD });
    const set = await app.dispatch('account.setNotifications', { sms: true, email: false, language: 'ru' });
    expect(set).toMatchObject({ ok: true, value: { iin: person.iin, notifications: { sms: true, email: false, language: 'ru' } } });
    expect(await app.dispatch('account.get', {})).toMatchObject({ ok: true, value: { notifications: { language: 'ru' } } });
    expect(await app.dispatch('account.setPhones', { phones: ['+77011112233'] })).toMatchObject({ ok: true, value: { phones: ['+77011112233'] } });
    expect((await app.dispatch('account.setPhones', { phones: ['8 701 111'] })).ok).toBe(false);
    expect(await app.dispatch('account.setEmail', { email: 'ata-ana@example.kz' })).toMatchObject({ ok: true, value: { email: 'ata-ana@example.kz' } });
    expect(await app.dispatch('auth.session', {})).toMatchObject({ ok: true, value: { user: { needsEmail: false } } });

    const wrongChange = await app.dispatch('account.changePassword', { currentPassword: 'wrong-one-1', newPassword: 'jana-kiltsoz-1' });
    expect(wrongChange, JSON.stringify(wrongChange)).toEqual({ ok: false, error: { code: 'CURRENT_PASSWORD_WRONG' } });
    // A wrong current password is not a lapsed session: this one goes on.
    expect(await app.dispatch('account.get', {})).toMatchObject({ ok: true });
    expect(await app.dispatch('account.changePassword', { currentPassword: PASSWORD, newPassword: 'jana-kiltsoz-1' })).toEqual({ ok: true, value: {} });
    // This session goes on; the new password is the one that opens the cabinet.
    expect(await app.dispatch('account.get', {})).toMatchObject({ ok: true });
    expect(await app.dispatch('auth.passwordLogin', { iin: person.iin, password: 'jana-kiltsoz-1' })).toMatchObject({ ok: true });
  });

  it('the feed: readable parts, newest first, marked read', async () => {
    const feed = await app.dispatch('cabinet.feed', {});
    if (!feed.ok) throw new Error(JSON.stringify(feed));
    const items = (feed.value as { items: Array<{ id: string; at: string; read: boolean; applicationNumber: string }> }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => !e.read && e.applicationNumber.length > 0)).toBe(true);
    expect([...items].sort((a, b) => b.at.localeCompare(a.at)).map((e) => e.id)).toEqual(items.map((e) => e.id));
    expect(await app.dispatch('cabinet.feedRead', { upTo: items[0]!.id })).toEqual({ ok: true, value: {} });
    const again = await app.dispatch('cabinet.feed', {});
    expect(again.ok && (again.value as { items: Array<{ read: boolean }> }).items.every((e) => e.read)).toBe(true);
    expect(await app.dispatch('cabinet.referrals', {})).toEqual({ ok: true, value: { items: [] } });
  });
});

describe('the policy', () => {
  it('an administrator who turned the password way off gets LOGIN_METHOD_DISABLED, and the key way likewise', async () => {
    const base = fakeContext();
    const passwordOff = createDispatch({ ...base, policy: { ...base.policy, loginMethods: ['certificate'] } }, { log: { warn: () => {}, error: () => {} } });
    expect(await passwordOff('auth.passwordStart', { iin: person.iin })).toEqual({ ok: false, error: { code: 'LOGIN_METHOD_DISABLED' } });
    expect(await passwordOff('app.info', {})).toMatchObject({ ok: true, value: { policy: { loginMethods: ['certificate'] } } });
    const keyOff = createDispatch({ ...base, policy: { ...base.policy, loginMethods: ['password'] } }, { log: { warn: () => {}, error: () => {} } });
    expect(await keyOff('auth.login', { ref: { kind: 'file', path: '/k.p12', index: 0 }, secret: 'x' })).toEqual({ ok: false, error: { code: 'LOGIN_METHOD_DISABLED' } });
  });
});
