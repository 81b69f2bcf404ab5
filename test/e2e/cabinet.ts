/**
 * Shared steps for the cabinet specs: the demo portal's message log (the demo outbox: every SMS and
 * e-mail the portal sends, one JSON line each, delivered every few seconds) and the first IIN +
 * password login through the login screen.
 */
import { readFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import type { Language } from '../../renderer/src/i18n/index.ts';
import { e2eInfo, type E2eInfo } from './env.ts';
import { appRoot, t } from './helpers.ts';

export interface DemoMessage {
  channel: 'sms' | 'email';
  recipient: string;
  subject: string;
  body: string;
}

/** Every message the demo portal has delivered so far (`info`: another app than the suite's, e.g. one with its own clock). */
export async function demoMessages(info: E2eInfo = e2eInfo()): Promise<DemoMessage[]> {
  const text = await readFile(info.notificationLog, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DemoMessage);
}

/** The first message after the first `after` ones that `match` accepts (waits for the outbox's delivery). */
export async function nextMessage(after: number, match: (m: DemoMessage) => boolean): Promise<DemoMessage> {
  let found: DemoMessage | undefined;
  await expect
    .poll(async () => (found = (await demoMessages()).slice(after).find(match)), { timeout: 30_000, intervals: [250, 500, 1000] })
    .toBeTruthy();
  return found as DemoMessage;
}

/** The six-digit code of the newest SMS code message after `after`. */
export async function smsCode(after: number): Promise<string> {
  const sms = await nextMessage(after, (m) => m.channel === 'sms' && /: \d{6}$/.test(m.body));
  return /(\d{6})$/.exec(sms.body)?.[1] ?? '';
}

/** The code in the newest message the demo sent to `recipient`, once there is one other than `not` (waits for the outbox's delivery). */
export async function codeSentTo(recipient: string, { info = e2eInfo(), not = '' }: { info?: E2eInfo; not?: string } = {}): Promise<string> {
  let code = '';
  await expect
    .poll(
      async () => {
        const mine = (await demoMessages(info)).filter((m) => m.recipient === recipient);
        code = /(\d{6})/.exec(mine.at(-1)?.body ?? '')?.[1] ?? '';
        return code !== '' && code !== not;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return code;
}

export const passwordSection = (page: Page) => page.locator('section.login-method').filter({ has: page.getByRole('heading', { level: 2 }) }).nth(1);

/** Type the IIN and press "Next". */
export async function enterIin(page: Page, lang: Language, iin: string): Promise<void> {
  const form = passwordSection(page);
  await form.getByLabel(t(lang).passwordLogin.iin).fill(iin);
  await form.getByRole('button', { name: t(lang).passwordLogin.next }).click();
}

/** The first login of `iin` by IIN and password: the SMS code from the demo outbox, the new password; ends on the cabinet home. */
export async function firstPasswordLogin(page: Page, lang: Language, iin: string, password: string, email: string): Promise<void> {
  const seen = (await demoMessages()).length;
  await enterIin(page, lang, iin);
  const form = passwordSection(page);
  await expect(form.getByLabel(t(lang).passwordLogin.code)).toBeVisible();
  await form.getByLabel(t(lang).passwordLogin.code).fill(await smsCode(seen));
  await form.getByLabel(t(lang).passwordLogin.newPassword).fill(password);
  await form.getByLabel(t(lang).passwordLogin.repeatPassword).fill(password);
  await form.getByRole('button', { name: t(lang).passwordLogin.login }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'email');
  await page.getByRole('textbox', { name: t(lang).email.label }).fill(email);
  await page.getByRole('button', { name: t(lang).email.save }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');
}

export async function openSection(page: Page, section: 'home' | 'feed' | 'journal' | 'referrals' | 'settings'): Promise<void> {
  await page.locator(`.app-nav [data-section="${section}"]`).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', section);
}
