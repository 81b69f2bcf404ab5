/**
 * The applicant's journey (seed 003), end to end in the window against the demo portal: login →
 * cabinet home with the live offer → journal → application card (three tabs) → the notice and «ОК»
 * → the vacancy list → «Растау» → the key dialog in signing mode → sign and send, with the answer
 * lost on the way and sent again (one referral) → the referral in General documents with the app's
 * own verification → PDF and signed XML downloaded, the XML verified by `joldama verify` → the
 * journal shows the new status. A stale second window signing the same offer gets no second
 * referral. Every screen and dialog is captured in kk, ru and en at 1280×800 and 1024×640 and
 * checked with axe-core. Then dequeue with its confirmation, as another applicant.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { demoKey, e2eInfo } from './env.ts';
import {
  appRoot,
  expectError,
  expectFitsWithoutScrolling,
  keyDialog,
  LANGUAGES,
  loadKeys,
  openApp,
  openKeyDialog,
  pressSign,
  reachHome,
  screenshot,
  signIn,
  SIZES,
  switchLanguage,
  t,
} from './helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const kk = t('kk');

test.describe.configure({ mode: 'serial' });
test.use({ viewport: SIZES[0] });

/** Each language in turn: switch, capture, and come back to Kazakh. */
async function captureAll(page: Page, screen: string): Promise<void> {
  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    await screenshot(page, lang, screen);
  }
  await switchLanguage(page, 'kk');
}

/** A modal captured in each language: it is opened after the language is chosen, and closed again. */
async function captureModal(page: Page, screen: string, open: () => Promise<void>, close: () => Promise<void>): Promise<void> {
  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    await open();
    await screenshot(page, lang, screen);
    await close();
  }
  await switchLanguage(page, 'kk');
}

test('the referral journey, seed 003, in the window', async ({ page, context }) => {
  test.setTimeout(600_000);
  const info = e2eInfo();
  const person = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  const hosts = new Set<string>();
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol === 'http:' || url.protocol === 'https:') hosts.add(url.hostname);
  });

  await openApp(page, 'kk');
  await captureAll(page, 'login');
  await openKeyDialog(page, 'kk');
  await loadKeys(page, 'kk', person.folder, info.index.password);
  await expectFitsWithoutScrolling(page, keyDialog(page));
  await screenshot(page, 'kk', 'key-dialog-auth');
  await pressSign(page, 'kk');
  await reachHome(page, 'kk');

  // Cabinet home: the live offer first, with its deadline and the working days left.
  const offerCard = page.locator('.offer-card');
  await expect(offerCard.getByRole('heading', { name: kk.cabinet.offerTitle })).toBeVisible();
  await expect(offerCard).toContainText(/\d{2}\.\d{2}\.\d{4}/);
  await expect(offerCard).toContainText(/\d+ жұмыс күні қалды/);
  await expect(page.locator('.support')).toContainText('support@joldama.example');
  await captureAll(page, 'home');

  // The journal: twelve columns, the offer's status badge with its deadline, sort and filter.
  await page.getByRole('navigation').getByRole('button', { name: kk.nav.journal }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'journal');
  const table = page.locator('.journal-table');
  await expect(table.locator('thead th')).toHaveCount(12);
  for (const name of Object.values(kk.journal.columns)) await expect(table.locator('thead')).toContainText(name);
  const offered = page.locator('.journal-row', { has: page.locator('[data-status="notification_sent"]') });
  await expect(offered).toHaveCount(1);
  await expect(offered).toContainText(kk.statuses.notification_sent);
  await expect(offered.locator('.status-deadline')).toContainText(/\d{2}\.\d{2}\.\d{4}/);
  await table.locator('th.col-number button').click();
  await expect(table.locator('th.col-number')).toHaveAttribute('aria-sort', 'ascending');
  await page.getByLabel(kk.journal.statusFilter).selectOption('dequeued');
  await expect(page.getByText(kk.journal.noMatch)).toBeVisible();
  await page.getByLabel(kk.journal.statusFilter).selectOption('');
  await captureAll(page, 'journal');
  const number = (await offered.locator('.row-open').textContent()) ?? '';
  await offered.locator('.row-open').click();

  // The application card: the three tabs, every block, the offer.
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'application');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(number);
  for (const label of [kk.application.applicantBlock, kk.application.childBlock, kk.application.applicationBlock]) {
    await expect(page.getByRole('heading', { name: label, exact: true })).toBeVisible();
  }
  for (const label of [kk.application.actualAddress, kk.application.benefitQueueNumber, kk.application.statusChangedAt, kk.application.region]) {
    await expect(page.locator('dt', { hasText: label }).first()).toBeVisible();
  }
  await expect(page.locator('dd', { hasText: `${kk.statuses.decisionMade} (${kk.statuses.notification_sent})` })).toBeVisible();
  await expect(page.locator('.offer-box')).toContainText(/\d+ жұмыс күні қалды/);
  await captureAll(page, 'application');
  await page.getByRole('tab', { name: kk.application.tabHistory }).click();
  await expect(page.getByRole('cell', { name: kk.history.events.offer_made })).toBeVisible();
  await captureAll(page, 'history');
  await page.getByRole('tab', { name: kk.application.tabDocuments }).click();
  await expect(page.getByText(kk.documents.empty)).toBeVisible();
  await captureAll(page, 'documents-empty');
  await page.getByRole('tab', { name: kk.application.tabInfo }).click();

  // «Кезектен алу» asks first, and Esc gives focus back to the button.
  const dequeueButton = page.getByRole('button', { name: kk.application.dequeue });
  await captureModal(
    page,
    'dequeue-dialog',
    () => page.locator('[data-screen] .page-actions button.danger-outline').click(),
    () => page.keyboard.press('Escape'),
  );
  await dequeueButton.click();
  await expect(page.getByRole('alertdialog').getByRole('button', { name: kk.confirm.no })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(dequeueButton).toBeFocused();

  // The notice and «ОК» before the list.
  const noticeOk = page.getByRole('alertdialog').getByRole('button', { name: kk.offer.ok });
  await captureModal(
    page,
    'offer-notice',
    async () => {
      await page.locator('.page-actions .button.primary').click();
      await expect(page.getByRole('alertdialog')).toBeVisible();
    },
    async () => {
      await page.getByRole('alertdialog').locator('.button.primary').click();
      await page.getByRole('button', { name: /Болдырмау|Отмена|Cancel/ }).click();
    },
  );
  await page.getByRole('button', { name: kk.application.choose }).click();
  await expect(page.getByRole('alertdialog')).toContainText('3 жұмыс күні');
  await noticeOk.click();

  // The list: every field, the warning, filters, a map link (nothing loaded from a map server).
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'vacancies');
  await expect(page.getByRole('heading', { level: 1, name: kk.vacancies.title })).toBeVisible();
  await expect(page.getByText(kk.vacancies.warning)).toBeVisible();
  const place = page.locator('.vacancy').first();
  for (const label of [kk.vacancies.phone, kk.vacancies.type, kk.vacancies.address, kk.vacancies.language, kk.vacancies.placeType, kk.vacancies.website, kk.vacancies.location]) {
    await expect(place.locator('dt', { hasText: label })).toBeVisible();
  }
  await expect(place).toContainText(kk.vacancies.typeCorrectional);
  await expect(place).toContainText(kk.vacancies.kindPersonal);
  await expect(place.getByRole('link', { name: kk.vacancies.mapLink })).toHaveAttribute('href', /^https:\/\/www\.openstreetmap\.org\//);
  // The filters offer the languages and districts of the places listed.
  await page.getByLabel(kk.vacancies.filterLanguage).selectOption('kk');
  await expect(page.locator('.vacancy')).toHaveCount(1);
  const district = (await place.locator('dt', { hasText: kk.vacancies.district }).locator('+ dd').textContent()) ?? '';
  await page.getByLabel(kk.vacancies.filterDistrict).selectOption(district);
  await expect(page.locator('.vacancy')).toHaveCount(1);
  // In Russian the address and district are the Russian ones (docs/domain.md, Names and addresses in two languages).
  const detail = (label: string) => place.locator('dt', { hasText: label }).locator('+ dd');
  await switchLanguage(page, 'ru');
  await expect(detail(t('ru').vacancies.address)).toHaveText(/^г\. Алматы, [^,]+ район, (ул|пр|мкр)\. [^,]+, \d+$/);
  await expect(detail(t('ru').vacancies.district)).toHaveText(/ район$/);
  await switchLanguage(page, 'kk');
  await expect(detail(kk.vacancies.address)).toHaveText(/^Алматы қ\., [^,]+ ауданы, /);
  await captureAll(page, 'vacancies');
  await page.getByRole('button', { name: kk.vacancies.signAndSend }).click();
  await expect(page.getByText(kk.vacancies.chooseFirst)).toBeVisible();
  await place.getByRole('radio').check();

  // «Растау»: name, address and language; then the key dialog in signing mode.
  const confirm = page.getByRole('alertdialog');
  await captureModal(
    page,
    'confirm',
    () => page.locator('.sticky-actions .button.primary').click(),
    () => confirm.locator('.button.secondary').click(),
  );
  await page.getByRole('button', { name: kk.vacancies.signAndSend }).click();
  await expect(confirm.getByRole('heading', { name: kk.confirm.title })).toBeVisible();
  await expect(confirm).toContainText('Оқыту тілі - Қазақша');
  await expect(confirm).toContainText((await place.getByRole('heading').textContent()) ?? '');

  // A second window on the same offer, left at «Растау» (it will sign after the first one has).
  const stale = await context.newPage();
  await stale.setViewportSize(SIZES[0]);
  await stale.goto(info.url);
  await expect(appRoot(stale)).toHaveAttribute('data-screen', 'home');
  await stale.getByRole('button', { name: kk.cabinet.chooseKindergarten }).click();
  await stale.getByRole('alertdialog').getByRole('button', { name: kk.offer.ok }).click();
  await stale.locator('.vacancy').first().getByRole('radio').check();
  await stale.getByRole('button', { name: kk.vacancies.signAndSend }).click();
  await expect(stale.getByRole('alertdialog')).toBeVisible();

  await confirm.getByRole('button', { name: kk.confirm.yes }).click();
  const dialog = keyDialog(page);
  await expect(dialog.getByRole('heading', { name: kk.keyDialog.signTitle, exact: true })).toBeVisible();
  await expect(dialog).toContainText(kk.keyDialog.windowTitleXml);
  await expect(dialog.locator('.signing-summary')).toContainText(number);
  await loadKeys(page, 'kk', person.folder, info.index.password);
  const selected = dialog.getByRole('listbox').getByRole('option', { selected: true });
  await expect(selected).toContainText(kk.keyDialog.purposeSign);
  await expect(selected.locator('[data-revocation]')).toHaveAttribute('data-revocation', 'good');
  await expectFitsWithoutScrolling(page, dialog);
  for (const lang of LANGUAGES) {
    await dialog.locator(`[data-lang="${lang}"]`).click();
    await screenshot(page, lang, 'key-dialog-sign');
  }
  await dialog.locator('[data-lang="kk"]').click();

  // The answer is lost on the way back: the signed request is kept and sent again.
  await fetch(`${info.faultUrl}/__e2e/fault`, { method: 'POST' });
  await pressSign(page, 'kk');
  await expect(page.getByRole('heading', { name: kk.signing.lostTitle })).toBeVisible();
  await expectError(page.locator('.lost'), 'kk', ['PORTAL_UNREACHABLE']);
  await captureAll(page, 'send-again');
  await page.getByRole('button', { name: kk.signing.resend }).click();
  await expect(page.getByRole('heading', { name: kk.signing.doneTitle })).toBeVisible();
  await captureAll(page, 'referral-issued');

  // The stale window signs the same offer: told the referral is issued, nothing new is made.
  await stale.getByRole('alertdialog').getByRole('button', { name: kk.confirm.yes }).click();
  await expectError(stale.locator('.vacancies'), 'kk', ['REFERRAL_ALREADY_ISSUED']);
  await stale.close();

  // General documents: the referral, the app's own verification, PDF and XML to download.
  await page.getByRole('button', { name: kk.signing.openDocuments }).click();
  await expect(page.getByRole('tab', { name: kk.application.tabDocuments })).toHaveAttribute('aria-selected', 'true');
  const rows = page.locator('.documents tbody tr');
  await expect(rows).toHaveCount(2);
  const report = page.locator('.verification');
  await expect(report).toHaveAttribute('data-indication', 'TOTAL_PASSED');
  await expect(report).toContainText(kk.documents.indications.TOTAL_PASSED);
  await expect(report).toContainText(person.iin);
  await expect(report).toContainText(number);
  await captureAll(page, 'documents');

  const downloads = await mkdtemp(path.join(os.tmpdir(), 'joldama-downloads-'));
  const saved: Record<string, string> = {};
  for (const kind of ['referral_pdf', 'referral_xml']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`.documents tbody tr[data-kind="${kind}"]`).getByRole('button').click()]);
    saved[kind] = path.join(downloads, download.suggestedFilename());
    await download.saveAs(saved[kind]);
  }
  expect((await readFile(saved.referral_pdf!)).subarray(0, 5).toString()).toBe('%PDF-');
  expect(path.basename(saved.referral_xml!)).toMatch(/\.xml$/);
  const ca = path.join(info.demoKeysFolder, 'ca');
  const verified = await run(process.execPath, [
    path.join(repoRoot, 'bin', 'joldama.js'),
    'verify',
    saved.referral_xml!,
    '--trust',
    path.join(ca, 'demo-root.pem'),
    '--trust',
    path.join(ca, 'demo-ca.pem'),
    '--crl',
    path.join(ca, 'demo-ca.crl'),
    '--purpose',
    'SIGN',
  ]);
  expect(verified.stdout).toContain('VALID');

  // The journal shows the new status; the portal's offers list is empty.
  await page.getByRole('navigation').getByRole('button', { name: kk.nav.journal }).click();
  await expect(page.locator('.journal-row', { hasText: number })).toContainText(kk.statuses.referral_issued);
  await page.getByRole('navigation').getByRole('button', { name: kk.nav.home }).click();
  await expect(page.getByText(kk.cabinet.noOffer)).toBeVisible();

  // Only the app's own address was ever asked for (no map tiles, no web fonts).
  expect([...hosts]).toEqual(['127.0.0.1']);
});

test('dequeue, with the confirmation saying what it means', async ({ page }) => {
  const info = e2eInfo();
  const person = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' }, 1);
  await openApp(page, 'kk');
  await signIn(page, 'kk', person.folder, info.index.password);
  await page.getByRole('navigation').getByRole('button', { name: kk.nav.journal }).click();
  const queued = page.locator('.journal-row', { has: page.locator('[data-status="in_queue"]') }).first();
  const number = (await queued.locator('.row-open').textContent()) ?? '';
  await queued.locator('.row-open').click();
  await page.getByRole('button', { name: kk.application.dequeue }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText(kk.application.dequeueText);
  const confirmButton = dialog.getByRole('button', { name: kk.application.dequeueConfirm });
  await expect(confirmButton).toBeDisabled();
  await dialog.getByLabel(kk.application.dequeueReason).fill('Отбасы басқа қалаға көшті');
  await confirmButton.click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('dd', { hasText: kk.statuses.dequeued })).toBeVisible();
  await expect(page.getByRole('button', { name: kk.application.dequeue })).toHaveCount(0);
  await page.getByRole('navigation').getByRole('button', { name: kk.nav.journal }).click();
  await expect(page.locator('.journal-row', { hasText: number })).toContainText(kk.statuses.dequeued);
});
