/**
 * Each language end to end, with a screenshot of every screen: login, key dialog (empty, with
 * keys, with an error), first-login e-mail, cabinet. Each language signs in as a different demo
 * person, so each meets the first-login e-mail form. The language can change mid-dialog.
 */
import { expect, test } from '@playwright/test';
import { demoKey, e2eInfo } from './env.ts';
import {
  appRoot,
  expectError,
  keyDialog,
  LANGUAGES,
  loadKeys,
  logout,
  openApp,
  openKeyDialog,
  pressSign,
  screenshot,
  t,
} from './helpers.ts';

LANGUAGES.forEach((lang, i) => {
  test(`every screen in ${lang}`, async ({ page }) => {
    const info = e2eInfo();
    // Person 0 is the login spec's; 1..3 are first logins here.
    const key = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' }, i + 1);
    await openApp(page, lang);
    await expect(page.locator('html')).toHaveAttribute('lang', new RegExp(`^${lang}`));
    await screenshot(page, lang, 'login');

    const dialog = await openKeyDialog(page, lang);
    await expect(dialog.getByText(t(lang).keyDialog.windowTitle)).toBeVisible();
    await expect(dialog.getByLabel(t(lang).keyDialog.storageType)).toHaveValue('pc');
    // Tokens are offered beside key files (the policy allows both by default).
    await expect(dialog.getByRole('option', { name: t(lang).keyDialog.storageToken })).toBeEnabled();
    await screenshot(page, lang, 'key-dialog');

    await loadKeys(page, lang, key.folder, 'wrong-password');
    await expectError(dialog, lang, ['WRONG_PASSWORD']);
    await screenshot(page, lang, 'error');

    await loadKeys(page, lang, key.folder, info.index.password);
    await expect(dialog.getByRole('listbox').getByRole('option', { selected: true })).toContainText(key.owner);
    await expect(dialog.getByRole('heading', { name: t(lang).keyDialog.selectedKeyData })).toBeVisible();
    await screenshot(page, lang, 'key-dialog-keys');

    await pressSign(page, lang);
    await expect(appRoot(page)).toHaveAttribute('data-screen', 'email');
    await expect(page.getByRole('heading', { level: 1, name: t(lang).email.title })).toBeVisible();
    await screenshot(page, lang, 'email');
    await page.getByRole('textbox', { name: t(lang).email.label }).fill(`person${i + 1}@example.kz`);
    await page.getByRole('button', { name: t(lang).email.save }).click();

    await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');
    await expect(page.getByRole('heading', { name: t(lang).journal.title })).toBeVisible();
    await logout(page, lang);
  });
});

test('the language switches inside the open key dialog, keeping what was typed', async ({ page }) => {
  await openApp(page, 'kk');
  const dialog = await openKeyDialog(page, 'kk');
  await dialog.getByLabel(t('kk').keyDialog.storagePath).fill('/some/where');
  await dialog.locator('[data-lang="ru"]').click();
  await expect(dialog.getByRole('heading', { name: t('ru').keyDialog.authTitle, exact: true })).toBeVisible();
  await expect(dialog.getByLabel(t('ru').keyDialog.storagePath)).toHaveValue('/some/where');
  await expect(dialog.getByRole('button', { name: t('ru').keyDialog.refresh })).toBeVisible();
  await dialog.locator('[data-lang="en"]').click();
  await expect(dialog.getByRole('button', { name: t('en').keyDialog.cancel })).toBeVisible();
  await dialog.getByRole('button', { name: t('en').keyDialog.cancel }).click();
  await expect(keyDialog(page)).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: t('en').login.title })).toBeVisible();
});
