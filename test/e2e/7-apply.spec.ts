/**
 * The application wizard (docs/applications.md) in the window against the demo portal: region and
 * services, rules and consents, the six steps with the phone and e-mail confirmed by the codes the
 * demo's outbox delivered (its notification log), a refused disguised upload and a real proof,
 * the review, the SIGN key, and the application in the journal with its queue number. Each step is
 * checked with axe-core and captured in kk, ru and en.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { iinCheckDigit } from '../../signing/identifiers.ts';
import { codeSentTo } from './cabinet.ts';
import { demoKey, e2eInfo } from './env.ts';
import {
  appRoot,
  chooseKey,
  expectError,
  keyDialog,
  LANGUAGES,
  loadKeys,
  openApp,
  pressSign,
  screenshot,
  signIn,
  SIZES,
  switchLanguage,
  t,
} from './helpers.ts';

const kk = t('kk');
test.use({ viewport: SIZES[0] });

async function captureAll(page: Page, screen: string): Promise<void> {
  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    await screenshot(page, lang, screen);
  }
  await switchLanguage(page, 'kk');
}

async function confirmContact(page: Page, channel: string, value: string): Promise<void> {
  const field = page.locator(`[data-contact="${channel}"]`);
  await field.locator(`input[name="${channel}"]`).fill(value);
  await field.locator('[data-action="get-code"]').click();
  await expect(field.getByRole('status')).toBeVisible();
  await field.locator(`input[name="${channel}-code"]`).fill(await codeSentTo(value));
  await field.locator('[data-action="confirm-code"]').click();
  await expect(field.locator('.confirmed')).toBeVisible();
}

const next = (page: Page) => page.locator('[data-action="next"]').click();
const atStep = (page: Page, step: number) =>
  expect(page.locator('section.apply')).toHaveAttribute('data-step', String(step));

test('applies through the six steps, signs, and sees the application in the journal with its queue number', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const info = e2eInfo();
  const person = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-apply-'));
  const png = path.join(dir, 'certificate.png');
  const disguised = path.join(dir, 'photo.jpg');
  await writeFile(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  await writeFile(disguised, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(128)]));
  const first11 = '22031550042';
  const childIin = `${first11}${iinCheckDigit(first11)}`;

  await openApp(page, 'kk');
  await signIn(page, 'kk', person.folder, info.index.password);

  await page.locator('[data-action="new-application"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'apply');
  await page.getByLabel(kk.apply.region).selectOption('almaty-city');
  await expect(page.locator('[data-service]')).toHaveCount(5);
  await page.locator('[data-action="start"]').click();
  await expect(page.getByRole('alert')).toContainText(kk.apply.issues.CONSENT_MISSING);
  for (const name of ['rules', 'personalData', 'contacts'])
    await page.locator(`input[name="${name}"]`).check();
  await captureAll(page, 'apply-start');
  await page.locator('[data-action="start"]').click();

  // Step 1: Next is refused until the phone is confirmed by its code.
  await atStep(page, 1);
  await next(page);
  await expect(page.getByRole('alert').first()).toContainText(kk.apply.issues.REQUIRED);
  await confirmContact(page, 'phone', '+77015550042');
  await confirmContact(page, 'email', 'apply-e2e@example.kz');
  await captureAll(page, 'apply-step1');
  await next(page);

  // Step 2: a wrong check digit is refused before step 3; the draft survives a reload.
  await atStep(page, 2);
  await page.getByLabel(kk.apply.childIin).fill(`${first11}${(Number(iinCheckDigit(first11)) + 1) % 10}`);
  await page.getByLabel(kk.apply.childLastName).fill('Сейітов');
  await page.getByLabel(kk.apply.childFirstName, { exact: true }).fill('Әли');
  await next(page);
  await expect(page.locator('#childIin-error')).toContainText(kk.apply.issues.IIN_INVALID);
  // A child too old for any group is refused here, not only at submit; the IIN's birth date and
  // sex show next to it.
  const tooOld11 = '19010150042';
  await page.getByLabel(kk.apply.childIin).fill(`${tooOld11}${iinCheckDigit(tooOld11)}`);
  await expect(page.locator('#childIin-hint')).toContainText(`01.01.2019, ${kk.apply.sexMale}`);
  await next(page);
  await expect(page.locator('#childIin-error')).toContainText(kk.apply.issues.CHILD_AGE_OUT_OF_RANGE);
  await captureAll(page, 'apply-step2-too-old');
  await page.getByLabel(kk.apply.childIin).fill(childIin);
  await page.waitForTimeout(600); // the draft is saved 300 ms after typing
  await page.reload();
  await expect(appRoot(page)).toHaveAttribute('data-screen', /home|apply/);
  if ((await appRoot(page).getAttribute('data-screen')) === 'home')
    await page.locator('[data-action="new-application"]').click();
  await atStep(page, 2);
  await expect(page.getByLabel(kk.apply.childIin)).toHaveValue(childIin);
  await expect(page.locator('#childIin-hint')).toContainText(`15.03.2022, ${kk.apply.sexMale}`);
  await captureAll(page, 'apply-step2');
  await next(page);

  // Step 3: one organisation (Kazakh language), its category.
  await atStep(page, 3);
  await page.getByLabel(kk.apply.language).selectOption('kk');
  await page.locator('[data-organisation] input').first().check();
  const category = page.getByLabel(kk.apply.category, { exact: true });
  await expect(category.locator('option')).not.toHaveCount(1);
  await category.selectOption({ index: 1 });
  await captureAll(page, 'apply-step3');
  await next(page);

  // Step 4: a benefit; an .exe renamed .jpg is refused by its content, a PNG is taken.
  await atStep(page, 4);
  await page.getByLabel(kk.apply.hasBenefit).check();
  await page.getByLabel(kk.apply.benefitKind).selectOption('large_family');
  await page.getByLabel(kk.apply.proofPath).fill(disguised);
  await page.locator('[data-action="attach"]').click();
  await expectError(page.locator('section.apply'), 'kk', ['UPLOAD_TYPE_REFUSED']);
  await page.getByLabel(kk.apply.proofPath).fill(png);
  await page.locator('[data-action="attach"]').click();
  await expect(page.getByText('certificate.png')).toBeVisible();
  await captureAll(page, 'apply-step4');
  await next(page);

  // Step 5: notifications.
  await atStep(page, 5);
  await page.getByLabel(kk.apply.notify).check();
  await page.getByLabel(kk.apply.notifySms).check();
  await page.getByLabel(kk.apply.notifyLanguage).selectOption('kk');
  await captureAll(page, 'apply-step5');
  await next(page);

  // Step 6: the review shows what is signed; sign with the SIGN key.
  await atStep(page, 6);
  const review = page.locator('[data-review]');
  await expect(review).toContainText(childIin);
  await expect(review).toContainText('+77015550042');
  // Readable words, not the document's codes; the codes stay visible in the document as signed.
  await expect(review.locator('[data-field="region"] dd')).not.toHaveText('almaty-city');
  await expect(review.locator('[data-field="region"] dd')).not.toHaveText('');
  await expect(review).not.toContainText('special_organisation');
  await expect(review.locator('[data-field="consentRules"] dd')).toHaveText(kk.apply.yes);
  await expect(review.locator('[data-field="benefitKind"] dd')).toHaveText(kk.apply.benefitKinds.large_family);
  await expect(review.locator('[data-field="benefitProofId"] dd')).toHaveText('certificate.png');
  await page.locator('.apply-signed-xml summary').click();
  await expect(page.locator('[data-signed-xml]')).toContainText('almaty-city');
  await expect(page.locator('[data-signed-xml]')).toContainText(childIin);
  await captureAll(page, 'apply-step6');
  await page.locator('[data-action="sign"]').click();
  await expect(keyDialog(page)).toBeVisible();
  await loadKeys(page, 'kk', person.folder, info.index.password);
  await chooseKey(page, 'RSA256_');
  await pressSign(page, 'kk');
  const numbers = page.locator('[data-application-number]');
  await expect(numbers).toHaveCount(1);
  const number = (await numbers.first().getAttribute('data-application-number')) ?? '';
  await captureAll(page, 'apply-done');

  await page.getByRole('button', { name: kk.apply.openJournal }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'journal');
  const row = page.locator('.journal-row', { hasText: number });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(kk.statuses.in_queue);
  await expect(row.locator('td.col-queueNumber')).toHaveText(/^\d+$/);
});
