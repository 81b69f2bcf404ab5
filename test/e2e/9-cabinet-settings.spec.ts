/**
 * Settings decide where the next notification goes (docs/cabinet.md, Settings): the applicant
 * chooses SMS in Russian, and the next notification (their application leaving the queue) comes
 * by SMS in Russian to the phone they gave, with no e-mail; then e-mail in Kazakh, and the next
 * comes by e-mail in Kazakh, with no SMS. The demo outbox shows what was sent.
 */
import { expect, test, type Page } from '@playwright/test';
import { e2eInfo } from './env.ts';
import { logout, openApp, screenshot, t } from './helpers.ts';
import { demoMessages, firstPasswordLogin, nextMessage, openSection } from './cabinet.ts';

const PASSWORD = 'kiltsoz-2026-settings';
const PHONE = '+77015550101';
const EMAIL = 'madina.settings@example.kz';
const lang = 'en' as const;

/** The applicant leaves the queue with one of their applications, through the portal's API (as another device would). */
async function dequeueOne(iin: string): Promise<void> {
  const { portalUrl } = e2eInfo();
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${portalUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const login = await post('/api/auth/password/login', { iin, password: PASSWORD });
  expect(login.status).toBe(200);
  const { token } = (await login.json()) as { token: string };
  const journal = (await (await fetch(`${portalUrl}/api/applications?pageSize=100`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    items: Array<{ id: string; status: string }>;
  };
  const queued = journal.items.find((a) => a.status === 'in_queue');
  if (!queued) throw new Error('no application in the queue');
  expect((await post(`/api/applications/${queued.id}/dequeue`, { reason: 'Переезд в другой город' }, token)).status).toBe(200);
  await post('/api/auth/logout', {}, token);
}

async function saveNotifications(page: Page, choice: { sms: boolean; email: boolean; language: 'kk' | 'ru' }): Promise<void> {
  const form = page.locator('form').filter({ has: page.getByRole('heading', { name: t(lang).settings.notifications }) });
  await form.getByRole('checkbox', { name: t(lang).settings.sms }).setChecked(choice.sms);
  await form.getByRole('checkbox', { name: t(lang).settings.emailChannel }).setChecked(choice.email);
  await form.getByRole('radio', { name: t(lang).languages[choice.language] }).check();
  await form.getByRole('button', { name: t(lang).settings.saveNotifications }).click();
  await expect(form.getByRole('status')).toHaveText(t(lang).settings.saved);
}

test('the notification channel and language chosen in settings are where and how the next notification goes', async ({ page }) => {
  const info = e2eInfo();
  // A demo applicant whose EDS key has expired: IIN + password is their way in.
  const person = info.index.keys.find((k) => k.status === 'expired' && k.role === 'individual');
  if (!person) throw new Error('no demo applicant with an expired key');
  await openApp(page, lang);
  await firstPasswordLogin(page, lang, person.iin, PASSWORD, EMAIL);
  await openSection(page, 'settings');

  const contacts = page.locator('form').filter({ has: page.getByRole('heading', { name: t(lang).settings.contacts }) });
  await contacts.getByLabel(t(lang).settings.phone, { exact: true }).fill('8 701 555');
  await contacts.getByRole('button', { name: t(lang).settings.saveContacts }).click();
  await expect(contacts.locator('.error-message')).toHaveAttribute('data-error-code', 'PHONE_INVALID');
  await contacts.getByLabel(t(lang).settings.phone, { exact: true }).fill(PHONE);
  await contacts.getByRole('button', { name: t(lang).settings.saveContacts }).click();
  await expect(contacts.getByRole('status')).toHaveText(t(lang).settings.saved);

  // SMS only, in Russian.
  await saveNotifications(page, { sms: true, email: false, language: 'ru' });
  let seen = (await demoMessages()).length;
  await dequeueOne(person.iin);
  const sms = await nextMessage(seen, (m) => m.recipient === PHONE || m.recipient === EMAIL);
  expect(sms).toMatchObject({ channel: 'sms', recipient: PHONE, subject: 'Заявление снято с очереди' });

  // E-mail only, in Kazakh.
  await saveNotifications(page, { sms: false, email: true, language: 'kk' });
  seen = (await demoMessages()).length;
  await dequeueOne(person.iin);
  const mail = await nextMessage(seen, (m) => m.recipient === PHONE || m.recipient === EMAIL);
  expect(mail).toMatchObject({ channel: 'email', recipient: EMAIL, subject: 'Өтініш кезектен алынды' });
  // Neither notification went the other way.
  const sent = (await demoMessages()).filter((m) => m.subject !== 'Joldama' && (m.recipient === PHONE || m.recipient === EMAIL));
  expect(sent.map((m) => m.channel)).toEqual(['sms', 'email']);

  // The feed says it in words (never the code), newest first, unread; "mark all as read" clears the marks.
  await openSection(page, 'feed');
  const items = page.locator('.feed-item');
  await expect(items).toHaveCount(2);
  for (const i of [0, 1]) {
    await expect(items.nth(i)).toContainText(t(lang).history.events.dequeued);
    await expect(items.nth(i)).toHaveAttribute('data-read', 'false');
  }
  await expect(page.locator('.feed-list')).not.toContainText('dequeued');
  await screenshot(page, lang, 'feed-unread');
  await page.getByRole('button', { name: t(lang).feed.markRead }).click();
  await expect(page.locator('.feed-item.unread')).toHaveCount(0);
  await expect(page.getByRole('button', { name: t(lang).feed.markRead })).toHaveCount(0);
  await logout(page, lang);
});
