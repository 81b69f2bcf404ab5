/**
 * The key password does not outlive the key dialog: when the dialog closes (cancelled, or after
 * signing in) its password field is emptied, so no detached input still holds what was typed.
 */
import { expect, test, type Page } from '@playwright/test';
import { demoKey, e2eInfo } from './env.ts';
import { keyDialog, loadKeys, openApp, openKeyDialog, pressSign, t } from './helpers.ts';

const lang = 'en' as const;

/** Keeps a reference to the dialog's password input, which outlives its removal from the page. */
async function holdPasswordField(page: Page): Promise<void> {
  await keyDialog(page).getByLabel(t(lang).keyDialog.password, { exact: true }).evaluate((input) => {
    (window as unknown as { heldPasswordField: HTMLInputElement }).heldPasswordField = input as HTMLInputElement;
  });
}
const heldValue = (page: Page) => page.evaluate(() => (window as unknown as { heldPasswordField: HTMLInputElement }).heldPasswordField.value);

test('the password field is emptied when the key dialog is cancelled', async ({ page }) => {
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await keyDialog(page).getByLabel(t(lang).keyDialog.password, { exact: true }).fill('typed secret');
  await holdPasswordField(page);
  expect(await heldValue(page)).toBe('typed secret');
  await keyDialog(page).getByRole('button', { name: t(lang).keyDialog.cancel, exact: true }).click();
  await expect(keyDialog(page)).toHaveCount(0);
  expect(await heldValue(page)).toBe('');
});

test('the password field is emptied when the dialog closes after signing in', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, info.index.password);
  await holdPasswordField(page);
  await pressSign(page, lang);
  await expect(keyDialog(page)).toHaveCount(0);
  expect(await heldValue(page)).toBe('');
});
