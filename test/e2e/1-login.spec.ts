/**
 * The happy path (AUTH key → first-login e-mail → cabinet home → logout) and each key the user
 * cannot log in with: a wrong or empty password, an expired key, a revoked key (checked when the
 * list is shown), a SIGN key (the login-specific reason). Sign is disabled, with the reason, for a
 * key that cannot do the action; an error goes when another key is chosen.
 */
import { expect, test, type Page } from '@playwright/test';
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

function signButton(page: Page) {
  return keyDialog(page).getByRole('button', { name: t(lang).keyDialog.sign, exact: true });
}

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

  await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');
  // The portal's name for the applicant, not the certificate's capitals.
  await expect(page.getByRole('heading', { level: 1 })).not.toContainText(key.owner);
  await expect(page.getByText(`${t(lang).keyDialog.iin}: ${key.iin}`)).toBeVisible();
  await expect(page.getByText('aigul@example.kz')).toBeVisible();
  await expect(page.getByRole('heading', { name: t(lang).cabinet.offerTitle })).toBeVisible();

  await logout(page, lang);
  // The session is gone in main too: a fresh tab starts at login.
  await page.reload();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
});

test('a wrong password and an empty one are told apart', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, '');
  await expect(keyDialog(page).getByText(t(lang).keyDialog.passwordEmpty)).toBeVisible();
  await expect(keyDialog(page).getByLabel(t(lang).keyDialog.password, { exact: true })).toBeFocused();
  await expect(keyDialog(page).locator('.error-message')).toHaveCount(0);
  await loadKeys(page, lang, key.folder, 'not-the-password');
  await expectError(keyDialog(page), lang, ['WRONG_PASSWORD']);
  await expect(keyDialog(page).getByText(t(lang).keyDialog.passwordEmpty)).toHaveCount(0);
  await expect(keyDialog(page).getByRole('listbox')).toHaveCount(0);
});

test('an expired key cannot sign, and says why', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'expired', purpose: 'AUTH' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, info.index.password);
  await chooseKey(page, 'AUTH_RSA256_');
  await expect(keyDialog(page).getByRole('listbox').getByRole('option', { selected: true })).toContainText(t(lang).keyDialog.statusExpired);
  await expect(signButton(page)).toBeDisabled();
  await expect(keyDialog(page).getByText(t(lang).keyDialog.cannotExpired)).toBeVisible();
});

test('a revoked key is found revoked when the list is shown, and cannot sign', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'revoked', purpose: 'AUTH' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, info.index.password);
  await chooseKey(page, 'AUTH_RSA256_');
  const selected = keyDialog(page).getByRole('listbox').getByRole('option', { selected: true });
  await expect(selected.locator('[data-revocation]')).toHaveAttribute('data-revocation', 'revoked');
  await expect(selected).toContainText(t(lang).keyDialog.statusRevoked);
  await expect(signButton(page)).toBeDisabled();
  await expect(keyDialog(page).getByText(t(lang).keyDialog.cannotRevoked)).toBeVisible();
  await screenshot(page, lang, 'key-dialog-revoked');
});

test('a SIGN key offered for login gets the login-specific reason; Enter on the list signs with a usable key', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'valid', purpose: 'SIGN', role: 'individual' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, info.index.password);
  await chooseKey(page, 'RSA256_');
  await expect(keyDialog(page).getByRole('listbox').getByRole('option', { selected: true })).toContainText(t(lang).keyDialog.notForLogin);
  await expect(signButton(page)).toBeDisabled();
  await expect(keyDialog(page).getByText(t(lang).keyDialog.cannotLogin)).toBeVisible();
  await screenshot(page, lang, 'error-wrong-purpose');
  // Enter on the list does nothing for this key; with the AUTH key it signs in.
  await keyDialog(page).getByRole('listbox').press('Enter');
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  await chooseKey(page, 'AUTH_RSA256_');
  await keyDialog(page).getByRole('listbox').press('Enter');
  await expect(appRoot(page)).not.toHaveAttribute('data-screen', 'login');
});

test('an error goes away when another key is chosen; the first-login e-mail screen can log out', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, info.index.password);
  await chooseKey(page, 'AUTH_RSA256_');
  await page.route('**/api/rpc/auth.login', (route) => route.fulfill({ json: { ok: false, error: { code: 'AUTH_CHALLENGE_EXPIRED' } } }));
  await pressSign(page, lang);
  await expectError(keyDialog(page), lang, ['AUTH_CHALLENGE_EXPIRED']);
  await chooseKey(page, 'RSA256_');
  await expect(keyDialog(page).locator('.error-message')).toHaveCount(0);
  await page.unroute('**/api/rpc/auth.login');
  // The person gave an e-mail in the first test: answer as for a first login, so the form shows.
  await page.route('**/api/rpc/auth.login', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { ok: boolean; value?: { user: { needsEmail: boolean } } };
    if (body.value) body.value.user.needsEmail = true;
    await route.fulfill({ response, json: body });
  });
  await chooseKey(page, 'AUTH_RSA256_');
  await pressSign(page, lang);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'email');
  await page.getByRole('button', { name: t(lang).nav.logout }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
});
