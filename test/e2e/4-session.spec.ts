/**
 * A lapsed session: whatever the user was doing, SESSION_EXPIRED sends them to login with a
 * notice, and after signing in again they are back where they were with what they had typed.
 * The lapse is made by answering one bridge call with SESSION_EXPIRED (main's real answer when
 * the portal session has ended); everything else is the real app. auth.login's answer is marked
 * needsEmail so that the e-mail form (a screen with typed state) shows for a returning person.
 */
import { expect, test, type Page } from '@playwright/test';
import { demoKey, e2eInfo } from './env.ts';
import { appRoot, openApp, signIn, t } from './helpers.ts';

const lang = 'ru' as const;

async function markNeedsEmail(page: Page): Promise<void> {
  await page.route('**/api/rpc/auth.login', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { ok: boolean; value?: { user: { needsEmail: boolean } } };
    if (body.ok && body.value) body.value.user.needsEmail = true;
    await route.fulfill({ response, json: body });
  });
}

test('a lapsed session returns to login, then back to the screen with its typed text', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  await markNeedsEmail(page);
  await openApp(page, lang);
  await signIn(page, lang, key.folder, info.index.password, { home: false });
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'email');

  await page.route('**/api/rpc/auth.setEmail', (route) =>
    route.fulfill({ json: { ok: false, error: { code: 'SESSION_EXPIRED' } } }),
  );
  const email = page.getByRole('textbox', { name: t(lang).email.label });
  await email.fill('half-typed@example.kz');
  await page.getByRole('button', { name: t(lang).email.save }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  await expect(page.getByRole('status').filter({ hasText: t(lang).login.sessionExpired })).toBeVisible();

  await page.unroute('**/api/rpc/auth.setEmail');
  await signIn(page, lang, key.folder, info.index.password, { home: false });
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'email');
  await expect(email).toHaveValue('half-typed@example.kz');
  await page.getByRole('button', { name: t(lang).email.save }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');
  await page.locator('[data-action="logout"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
});
