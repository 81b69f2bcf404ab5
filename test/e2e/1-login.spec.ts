/**
 * The happy path (AUTH key → first-login e-mail → cabinet → logout) and each refusal the user
 * can meet: wrong password, expired key, revoked key, a SIGN key offered for login.
 */
import { expect, test } from '@playwright/test';
import { demoKey, e2eInfo } from './env.ts';
import {
  appRoot,
  chooseKey,
  expectError,
  keyDialog,
  loadKeys,
  logout,
  openApp,
  openKeyDialog,
  pressSign,
  screenshot,
  t,
} from './helpers.ts';

const lang = 'kk' as const;

test('log in with a demo AUTH key, give the first-login e-mail, see the cabinet, log out', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, info.index.password);

  const dialog = keyDialog(page);
  const options = dialog.getByRole('listbox').getByRole('option');
  await expect(options).toHaveCount(2); // the person's AUTH and SIGN files
  await expect(dialog.getByRole('listbox')).toBeFocused();
  const selected = dialog.getByRole('listbox').getByRole('option', { selected: true });
  await expect(selected).toContainText(key.owner);
  await expect(selected).toContainText(key.iin);
  await expect(selected).toContainText(t(lang).keyDialog.purposeAuth);
  await expect(selected).toContainText(t(lang).keyDialog.statusValid);
  const details = dialog.locator('.key-details');
  await expect(details).toContainText(t(lang).keyDialog.selectedKeyData);
  await expect(details).toContainText(key.iin);
  await expect(details).toContainText(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} – \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}/);
  await expect(details).toContainText('RSA');

  // Laptop / kiosk sizes: the whole dialog, Sign included, fits without scrolling the page.
  for (const [width, height] of [[1024, 768], [1920, 1080]] as const) {
    await page.setViewportSize({ width, height });
    await expect(dialog.getByRole('button', { name: t(lang).keyDialog.sign, exact: true })).toBeInViewport();
    await expect(details).toBeInViewport();
    await screenshot(page, lang, `key-dialog-${width}x${height}`);
  }

  await pressSign(page, lang);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'email');
  const email = page.getByRole('textbox', { name: t(lang).email.label });
  await email.fill('not-an-address');
  await page.getByRole('button', { name: t(lang).email.save }).click();
  await expect(page.getByText(t(lang).email.invalid)).toBeVisible();
  await expect(email).toBeFocused();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await email.fill('aigul@example.kz');
  await page.getByRole('button', { name: t(lang).email.save }).click();

  await expect(appRoot(page)).toHaveAttribute('data-screen', 'cabinet');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(key.owner);
  await expect(page.getByText(`${t(lang).keyDialog.iin}: ${key.iin}`)).toBeVisible();
  await expect(page.getByText('aigul@example.kz')).toBeVisible();
  await expect(page.getByText(t(lang).cabinet.comingSoon)).toHaveCount(3);

  await logout(page, lang);
  // The session is gone in main too: a fresh tab starts at login.
  await page.reload();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
});

test('a wrong password says so and what to do', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, 'not-the-password');
  await expectError(keyDialog(page), lang, ['WRONG_PASSWORD']);
  await expect(keyDialog(page).getByRole('listbox')).toHaveCount(0);
});

test('an expired key is refused with a translated message', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'expired', purpose: 'AUTH' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, info.index.password);
  await chooseKey(page, 'AUTH_RSA256_');
  await expect(keyDialog(page).getByRole('listbox').getByRole('option', { selected: true })).toContainText(t(lang).keyDialog.statusExpired);
  await pressSign(page, lang);
  await expectError(keyDialog(page), lang, ['CERT_EXPIRED', 'AUTH_CERT_EXPIRED']);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
});

test('a revoked key is refused by the portal (AUTH_CERT_REVOKED)', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'revoked', purpose: 'AUTH' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, info.index.password);
  await chooseKey(page, 'AUTH_RSA256_');
  await pressSign(page, lang);
  await expectError(keyDialog(page), lang, ['AUTH_CERT_REVOKED']);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
});

test('a SIGN key offered for login is refused', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'valid', purpose: 'SIGN', role: 'individual' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, info.index.password);
  await chooseKey(page, 'RSA256_');
  await expect(keyDialog(page).getByRole('listbox').getByRole('option', { selected: true })).toContainText(t(lang).keyDialog.notForLogin);
  await pressSign(page, lang);
  await expectError(keyDialog(page), lang, ['WRONG_PURPOSE', 'AUTH_WRONG_PURPOSE']);
  await screenshot(page, lang, 'error-wrong-purpose');
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
});
