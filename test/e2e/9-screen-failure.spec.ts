/**
 * A screen that fails while drawing (here: main's journal answer in a shape the screen cannot
 * draw) shows the translated INTERNAL_ERROR with "Try again" in its own place; the sections and
 * the session stay, and "Try again" draws it afresh from a new answer (shared/ScreenBoundary.tsx).
 * Captured in kk, ru and en at both sizes and checked with axe.
 * Without the boundary React unmounts the whole window and leaves a blank page.
 */
import { expect, test } from '@playwright/test';
import { openSection } from './cabinet.ts';
import { demoKey, e2eInfo } from './env.ts';
import { appRoot, LANGUAGES, logout, openApp, screenshot, signIn, switchLanguage, t } from './helpers.ts';

const lang = 'ru' as const;

test('a screen that fails to draw says so in its place; the cabinet stays and "Try again" recovers', async ({ page }) => {
  const info = e2eInfo();
  const person = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  await openApp(page, lang);
  await signIn(page, lang, person.folder, info.index.password);

  // A row without its fields: the journal cannot draw its cells.
  await page.route('**/api/rpc/cabinet.journal', (route) => route.fulfill({ json: { ok: true, value: { items: [{ id: 'x' }], total: 1 } } }));
  await openSection(page, 'journal');
  const failed = page.locator('main .screen-failed');
  await expect(failed.locator('[data-error-code="INTERNAL_ERROR"]')).toContainText(t(lang).errors.INTERNAL_ERROR.title);
  await expect(page.getByRole('navigation')).toBeVisible();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'journal');
  // In each language, at both sizes, with axe's check.
  for (const other of LANGUAGES) {
    await switchLanguage(page, other);
    await expect(failed.locator('[data-error-code="INTERNAL_ERROR"]')).toContainText(t(other).errors.INTERNAL_ERROR.title);
    await screenshot(page, other, 'screen-failed');
  }
  await switchLanguage(page, lang);

  // Another section still works, and so does the journal once main answers as it should.
  await openSection(page, 'feed');
  await expect(failed).toHaveCount(0);
  await openSection(page, 'journal');
  await expect(failed).toBeVisible();
  await page.unroute('**/api/rpc/cabinet.journal');
  await failed.getByRole('button', { name: t(lang).nav.retry }).click();
  await expect(page.locator('.journal-table thead th')).toHaveCount(12);
  await expect(failed).toHaveCount(0);
  await logout(page, lang);
});
