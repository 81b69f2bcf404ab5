/**
 * Logging in by IIN and password for the first time (docs/cabinet.md): the login screen offers the
 * EDS key first and IIN + password second; a wrong check digit is refused in words; the SMS code
 * comes from the demo outbox; a wrong code is refused; the new password opens the cabinet, whose
 * event feed, referrals and settings are looked at (axe, screenshots) in kk, ru and en; then the
 * password alone opens it.
 */
import { expect, test } from '@playwright/test';
import { e2eInfo } from './env.ts';
import { appRoot, expectError, expectNavOnOneLine, LANGUAGES, logout, openApp, screenshot, switchLanguage, t } from './helpers.ts';
import { demoMessages, enterIin, openSection, passwordSection, smsCode } from './cabinet.ts';

const PASSWORD = 'kiltsoz-2026-e2e';

test('first login by IIN and password with the SMS code from the demo outbox; the cabinet sections in three languages', async ({ page }) => {
  // Six screens in three languages at two sizes, with axe, and the navigation measured at both sizes.
  test.setTimeout(300_000);
  const info = e2eInfo();
  // A demo applicant whose EDS key is revoked: IIN + password is their way in.
  const person = info.index.keys.find((k) => k.status === 'revoked' && k.role === 'individual');
  if (!person) throw new Error('no demo applicant with a revoked key');

  await openApp(page, 'kk');
  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    const methods = page.locator('section.login-method h2');
    await expect(methods).toHaveText([t(lang).passwordLogin.keyTitle, t(lang).passwordLogin.passwordTitle]);
    await screenshot(page, lang, 'login-methods');
  }

  const lang = 'ru' as const;
  await switchLanguage(page, lang);
  const wrongCheck = `${person.iin.slice(0, 11)}${(Number(person.iin[11]) + 1) % 10}`;
  await enterIin(page, lang, wrongCheck);
  await expectError(passwordSection(page), lang, ['IIN_INVALID']);

  // The right IIN, a wrong code first.
  const seen = (await demoMessages()).length;
  await enterIin(page, lang, person.iin);
  const form = passwordSection(page);
  await expect(form.getByLabel(t(lang).passwordLogin.code)).toBeVisible();
  await expect(form.getByRole('status')).toContainText('•••');
  await screenshot(page, lang, 'login-sms-code');
  const code = await smsCode(seen);
  await form.getByLabel(t(lang).passwordLogin.code).fill(code === '000000' ? '111111' : '000000');
  await form.getByLabel(t(lang).passwordLogin.newPassword).fill(PASSWORD);
  await form.getByLabel(t(lang).passwordLogin.repeatPassword).fill(PASSWORD);
  await form.getByRole('button', { name: t(lang).passwordLogin.login }).click();
  await expectError(form, lang, ['AUTH_CODE_INVALID']);
  // The typed passwords were emptied after sending.
  await expect(form.getByLabel(t(lang).passwordLogin.newPassword)).toHaveValue('');

  await form.getByLabel(t(lang).passwordLogin.code).fill(code);
  await form.getByLabel(t(lang).passwordLogin.newPassword).fill(PASSWORD);
  await form.getByLabel(t(lang).passwordLogin.repeatPassword).fill(PASSWORD);
  await form.getByRole('button', { name: t(lang).passwordLogin.login }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'email');
  await page.getByRole('textbox', { name: t(lang).email.label }).fill('kasymov@example.kz');
  await page.getByRole('button', { name: t(lang).email.save }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');

  for (const l of LANGUAGES) {
    await switchLanguage(page, l);
    await openSection(page, 'home');
    await expect(page.getByRole('heading', { level: 2, name: t(l).sections.feed })).toBeVisible();
    await expectNavOnOneLine(page);
    await screenshot(page, l, 'cabinet-home-sections');
    await openSection(page, 'feed');
    await expect(page.getByRole('heading', { level: 1, name: t(l).feed.title })).toBeVisible();
    // This applicant's applications have no status change yet (9-cabinet-settings makes some).
    await expect(page.getByText(t(l).feed.empty)).toBeVisible();
    await screenshot(page, l, 'feed');
    await openSection(page, 'referrals');
    await expect(page.getByRole('heading', { level: 1, name: t(l).referrals.title })).toBeVisible();
    await screenshot(page, l, 'referrals');
    await openSection(page, 'settings');
    await expect(page.getByRole('heading', { level: 2, name: t(l).settings.password })).toBeVisible();
    await screenshot(page, l, 'settings');
  }

  // Next time: IIN, then the password alone.
  await switchLanguage(page, lang);
  await logout(page, lang);
  await enterIin(page, lang, person.iin);
  await passwordSection(page).getByLabel(t(lang).passwordLogin.password, { exact: true }).fill('not-the-password');
  await passwordSection(page).getByRole('button', { name: t(lang).passwordLogin.login }).click();
  await expectError(passwordSection(page), lang, ['AUTH_BAD_PASSWORD']);
  await passwordSection(page).getByLabel(t(lang).passwordLogin.password, { exact: true }).fill(PASSWORD);
  await passwordSection(page).getByRole('button', { name: t(lang).passwordLogin.login }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');
  await logout(page, lang);
});
