/**
 * An SMS code that expired before it was typed (docs/applications.md, step 1; codes are valid 5
 * minutes): with an app and a demo portal of their own, the applicant asks for the phone's code,
 * the app is stopped and started again with the portal's clock 6 minutes on (the draft and the
 * sent code are kept in its data folder), and the old code is refused with the translated
 * CONTACT_CODE_EXPIRED in the field; a new code then confirms the phone. The message is captured
 * and checked with axe in kk, ru and en.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startDemoAppProcess, type DemoAppProcess } from './demo-app-process.ts';
import { codeSentTo } from './cabinet.ts';
import type { E2eInfo } from './env.ts';
import { appRoot, expectError, LANGUAGES, screenshot, signIn, SIZES, switchLanguage, t } from './helpers.ts';

const kk = t('kk');
const PHONE = '+77015550077';
test.use({ viewport: SIZES[0] });

async function openWizardAtStep1(page: Page, info: E2eInfo): Promise<void> {
  const person = info.index.keys.find((k) => k.role === 'individual' && k.status === 'valid' && k.purposes.includes('AUTH'))!;
  await page.goto(info.url);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  await signIn(page, 'kk', path.dirname(path.join(info.demoKeysFolder, person.file)), info.index.password);
  await page.locator('[data-action="new-application"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'apply');
}

test('a phone code typed after it expired: the translated CONTACT_CODE_EXPIRED in the field, and a new code confirms', async ({ page }) => {
  test.setTimeout(420_000);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'joldama-e2e-code-'));
  let app: DemoAppProcess | undefined;
  try {
    app = await startDemoAppProcess(['--data-dir', dataDir]);
    await openWizardAtStep1(page, app.info);
    await page.getByLabel(kk.apply.region).selectOption('almaty-city');
    for (const name of ['rules', 'personalData', 'contacts']) await page.locator(`input[name="${name}"]`).check();
    await page.locator('[data-action="start"]').click();
    await expect(page.locator('section.apply')).toHaveAttribute('data-step', '1');
    const field = page.locator('[data-contact="phone"]');
    await field.locator('input[name="phone"]').fill(PHONE);
    await page.waitForTimeout(600); // the draft is saved 300 ms after typing
    await field.locator('[data-action="get-code"]').click();
    await expect(field.getByRole('status')).toBeVisible();
    const oldCode = await codeSentTo(PHONE, { info: app.info });
    await app.stop();

    // Six minutes later on the portal's clock: the code's five minutes are over.
    app = await startDemoAppProcess(['--data-dir', dataDir, '--clock', new Date(Date.now() + 6 * 60_000).toISOString()]);
    await openWizardAtStep1(page, app.info);
    await expect(page.locator('section.apply')).toHaveAttribute('data-step', '1');
    await expect(field.locator('input[name="phone"]')).toHaveValue(PHONE);
    await field.locator('input[name="phone-code"]').fill(oldCode);
    await field.locator('[data-action="confirm-code"]').click();
    await expectError(field, 'kk', ['CONTACT_CODE_EXPIRED']);
    for (const lang of LANGUAGES) {
      await switchLanguage(page, lang);
      await expect(field.locator('.error-message')).toContainText(t(lang).errors.CONTACT_CODE_EXPIRED.title);
      await screenshot(page, lang, 'apply-code-expired');
    }
    await switchLanguage(page, 'kk');

    await field.locator('[data-action="get-code"]').click();
    await field.locator('input[name="phone-code"]').fill(await codeSentTo(PHONE, { info: app.info, not: oldCode }));
    await field.locator('[data-action="confirm-code"]').click();
    await expect(field.locator('.confirmed')).toBeVisible();
    await expect(field.locator('.error-message')).toHaveCount(0);
  } finally {
    await app?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
