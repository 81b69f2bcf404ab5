/**
 * Keyboard only: Tab, Shift+Tab, Enter, Space, arrows and Esc, no mouse. Focus moves sensibly:
 * into the dialog when it opens, to the key list when keys are found, back to the opener when
 * it closes; Tab stays inside the dialog.
 */
import { expect, test, type Page } from '@playwright/test';
import { demoKey, e2eInfo } from './env.ts';
import { appRoot, keyDialog, openApp, t } from './helpers.ts';

const lang = 'en' as const;

/** Press Tab until the focused element matches, as a keyboard user would (bounded). */
async function tabTo(page: Page, accessibleName: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press(key);
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null;
      return (label ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
    });
    if (name === accessibleName) return;
  }
  throw new Error(`Tab never reached "${accessibleName}"`);
}

test('sign in and out with the keyboard alone', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  await openApp(page, lang);
  await page.locator('body').focus();

  // Focus starts in the first field to fill: the path, or the password when a path is
  // remembered from an earlier sign-in. Esc cancels and gives focus back to the opener.
  await tabTo(page, t(lang).login.signInButton);
  await page.keyboard.press('Enter');
  await expect(keyDialog(page)).toBeVisible();
  const pathField = keyDialog(page).getByLabel(t(lang).keyDialog.storagePath);
  const passwordField = keyDialog(page).getByLabel(t(lang).keyDialog.password, { exact: true });
  const remembered = await pathField.inputValue();
  await expect(remembered ? passwordField : pathField).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(keyDialog(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: t(lang).login.signInButton })).toBeFocused();

  // Space opens it again; the path is typed over whatever was remembered.
  await page.keyboard.press('Space');
  const dialog = keyDialog(page);
  if (remembered) await tabTo(page, t(lang).keyDialog.storagePath, 'Shift+Tab');
  await expect(pathField).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(key.folder);
  await tabTo(page, t(lang).keyDialog.password);
  await page.keyboard.type(info.index.password);
  await page.keyboard.press('Enter'); // Enter in the password field refreshes the key list
  const list = dialog.getByRole('listbox');
  await expect(list).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  await expect(dialog.getByRole('listbox').getByRole('option', { selected: true })).toContainText(t(lang).keyDialog.purposeAuth);

  await tabTo(page, t(lang).keyDialog.sign);
  await page.keyboard.press('Enter');

  // First login: the e-mail field has focus; an existing account goes straight to the cabinet.
  await expect(appRoot(page)).not.toHaveAttribute('data-screen', 'login');
  if ((await appRoot(page).getAttribute('data-screen')) === 'email') {
    await expect(page.getByRole('textbox', { name: t(lang).email.label })).toBeFocused();
    await page.keyboard.type('keyboard@example.kz');
    await page.keyboard.press('Enter');
  }
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');
  await tabTo(page, t(lang).nav.logout);
  await page.keyboard.press('Enter');
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
});

test('Tab and Shift+Tab stay inside the key dialog', async ({ page }) => {
  await openApp(page, lang);
  await page.getByRole('button', { name: t(lang).login.signInButton }).focus();
  await page.keyboard.press('Enter');
  const dialog = keyDialog(page);
  await expect(dialog).toBeVisible();
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
    const inside = await dialog.evaluate((d) => d.contains(document.activeElement));
    expect(inside, `focus left the dialog after ${i + 1} presses`).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
