/**
 * The PMPK commission's view (docs/pmpk.md, Conclusions), end to end in the window against the demo
 * portal: a family books an examination for a child (over the portal's API, as another person
 * would); the commission's head logs in with the commission's legal-entity key and gets the
 * commission's view instead of the cabinet: the schedule shows the child and the time. From the
 * schedule, a conclusion for that child: a wrong IIN check digit is caught by main (IIN_INVALID), a last
 * valid day of today is refused by the portal (PMPK_VALIDITY_INVALID, translated), a valid one is
 * recorded. Each state captured in kk, ru and en and checked with axe-core; the form by keyboard.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { e2eInfo, type E2eInfo } from './env.ts';
import { iinCheckDigit } from '../../signing/identifiers.ts';
import { loginAs } from './portal-as.ts';
import { DEMO_COMMISSIONS } from '../../demo/portal/pmpk-seed.ts';
import { appRoot, expectError, LANGUAGES, loadKeys, openApp, openKeyDialog, pressSign, screenshot, SIZES, switchLanguage, t } from './helpers.ts';

const kk = t('kk');
const COMMISSION_HEAD_IIN = '780921403217'; // isayeva-saule, head of the demo commission (BIN 070840000131)

test.use({ viewport: SIZES[0] });

async function captureAll(page: Page, screen: string): Promise<void> {
  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    await screenshot(page, lang, screen);
  }
  await switchLanguage(page, 'kk');
}

/** A family (the `nth` individual) books the demo commission's first free slot for a child named by IIN. */
async function bookForChild(info: E2eInfo, childIin: string): Promise<void> {
  const family = info.index.keys.filter((k) => k.status === 'valid' && k.role === 'individual' && k.purposes.includes('AUTH'))[3];
  if (!family) throw new Error('no fourth individual demo key');
  const token = await loginAs(info, { iin: family.iin, role: 'individual' });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const get = async <T>(url: string): Promise<T> => (await (await fetch(`${info.portalUrl}${url}`, { headers })).json()) as T;
  const { items: commissions } = await get<{ items: Array<{ id: string }> }>('/api/pmpk/commissions');
  const { items: slots } = await get<{ items: Array<{ id: string }> }>(`/api/pmpk/commissions/${commissions[0]?.id}/slots`);
  const res = await fetch(`${info.portalUrl}/api/pmpk/bookings`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ child: { iin: childIin, lastName: 'Жаханова', firstName: 'Айлин' }, slotId: slots[0]?.id }),
  });
  if (!res.ok) throw new Error(`booking refused: ${res.status} ${await res.text()}`);
}

test('the commission logs in, sees its schedule, and records a conclusion; an invalid one is refused', async ({ page }) => {
  test.setTimeout(600_000);
  const info = e2eInfo();
  const first11 = '23061550091';
  const childIin = `${first11}${iinCheckDigit(first11)}`;
  await bookForChild(info, childIin);

  const key = info.index.keys.find((k) => k.iin === COMMISSION_HEAD_IIN && k.purposes.includes('AUTH') && k.status === 'valid');
  if (!key) throw new Error('no AUTH key of the demo commission head');
  await openApp(page, 'kk');
  await openKeyDialog(page, 'kk');
  await loadKeys(page, 'kk', path.dirname(path.join(info.demoKeysFolder, key.file)), info.index.password);
  await pressSign(page, 'kk');

  // The commission's view, not the applicant's cabinet: no e-mail asked, no cabinet sections.
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'commission');
  await expect(page.getByRole('heading', { level: 1, name: kk.commission.title })).toBeVisible();
  await expect(page.locator('[data-section]')).toHaveCount(0);
  const row = page.locator('tr[data-booking]', { hasText: childIin });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Жаханова Айлин');
  // The commission's own name in the UI language: Kazakh in kk, Russian in ru and en (docs/domain.md).
  const name = page.locator('[data-commission-name]');
  await expect(name).toHaveText(DEMO_COMMISSIONS[0].name_kk);
  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    await expect(name).toHaveText(lang === 'kk' ? DEMO_COMMISSIONS[0].name_kk : DEMO_COMMISSIONS[0].name_ru);
    await screenshot(page, lang, 'commission-schedule');
  }
  await switchLanguage(page, 'kk');

  // From the schedule: the child's IIN goes into the form. A wrong check digit is caught here.
  await row.locator('[data-action="conclude-for"]').click();
  const form = page.locator('[data-form="conclusion"]');
  const iinField = form.getByLabel(kk.commission.childIin);
  await expect(iinField).toHaveValue(childIin);
  await iinField.fill(`${first11}${(Number(iinCheckDigit(first11)) + 1) % 10}`);
  await form.getByLabel(kk.commission.category).selectOption('hearing');
  await form.getByLabel(kk.commission.validUntil).fill('01.01.2099');
  await form.locator('[data-action="record-conclusion"]').click();
  await expectError(form, 'kk', ['IIN_INVALID']);
  await captureAll(page, 'commission-form-invalid');
  // Nothing chosen: each field says what it needs.
  await iinField.fill('123');
  await form.getByLabel(kk.commission.category).selectOption('');
  await form.locator('[data-action="record-conclusion"]').click();
  await expect(form.getByText(kk.commission.iinInvalid)).toBeVisible();
  await expect(form.getByText(kk.commission.categoryMissing)).toBeVisible();
  await expect(iinField).toHaveAttribute('aria-invalid', 'true');

  // By keyboard: the IIN, the category, today as the last valid day: the portal refuses.
  await iinField.fill(childIin);
  await iinField.focus();
  await page.keyboard.press('Tab');
  await expect(form.getByLabel(kk.commission.category)).toBeFocused();
  await form.getByLabel(kk.commission.category).selectOption('hearing');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());
  const [yyyy, mm, dd] = today.split('-') as [string, string, string];
  // The date field (dd.MM.yyyy in every language, never the browser's own date input): typed as
  // digits, the dots come by themselves. An impossible day is named before the portal is asked.
  const dateField = form.getByLabel(kk.commission.validUntil);
  await expect(dateField).toHaveAttribute('type', 'text');
  await dateField.fill('');
  await dateField.pressSequentially(`3104${Number(yyyy) + 1}`);
  await expect(dateField).toHaveValue(`31.04.${Number(yyyy) + 1}`);
  await dateField.press('Enter');
  await expect(form.getByText(kk.dateField.impossible)).toBeVisible();
  await expect(dateField).toHaveAttribute('aria-invalid', 'true');
  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    await expect(form.getByText(t(lang).dateField.impossible)).toBeVisible();
    await expect(form.getByText(t(lang).dateField.format)).toBeVisible();
    await form.getByText(t(lang).dateField.impossible).scrollIntoViewIfNeeded();
    await screenshot(page, lang, 'commission-date-impossible');
  }
  await switchLanguage(page, 'kk');
  await dateField.fill('');
  await dateField.pressSequentially(`${dd}${mm}${yyyy}`);
  await expect(dateField).toHaveValue(`${dd}.${mm}.${yyyy}`);
  await dateField.press('Enter');
  await expectError(form, 'kk', ['PMPK_VALIDITY_INVALID']);
  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    await expect(form.locator('.error-message')).toContainText(t(lang).errors.PMPK_VALIDITY_INVALID.title);
    await form.locator('.error-message').scrollIntoViewIfNeeded();
    await screenshot(page, lang, 'commission-refused');
  }
  await switchLanguage(page, 'kk');

  // A year ahead: recorded.
  const nextYear = `${dd}.${mm}.${Number(yyyy) + 1}`;
  await form.getByLabel(kk.commission.validUntil).fill(nextYear);
  await form.locator('[data-action="record-conclusion"]').click();
  const recorded = page.locator('[data-result="conclusion"]');
  await expect(recorded).toContainText(kk.categories.hearing);
  await expect(recorded).toContainText(nextYear);
  await expect(form.locator('.error-message')).toHaveCount(0);
  await recorded.scrollIntoViewIfNeeded();
  await captureAll(page, 'commission-recorded');

  await page.locator('[data-action="logout"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
});
