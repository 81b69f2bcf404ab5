/**
 * The portal's and main's refusals of bad input, in the window (#14, "Bad input everywhere gets a
 * clear translated message"), each with its translated title and what to do, and nothing the person
 * typed lost:
 *  - step 4 of the wizard: a proof over 5 MB (UPLOAD_TOO_LARGE, from main) and an .exe renamed .jpg
 *    (UPLOAD_TYPE_REFUSED, the portal judges the content), in Russian;
 *  - signing an application with two organisations of the same kind (QUEUE_KIND_TWICE, the portal),
 *    in English; one of them unchosen, the same draft is signed and registered;
 *  - a PMPK time whose last place another family books over the portal's API while this one is
 *    confirming (PMPK_SLOT_TAKEN), in Kazakh; another time is then booked and cancelled.
 * Each message captured in kk, ru and en and checked with axe-core.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { iinCheckDigit } from '../../signing/identifiers.ts';
import { PROOF_MAX_BYTES } from '../../protocol/application-api.ts';
import { demoKey, e2eInfo, type E2eInfo } from './env.ts';
import { codeSentTo } from './cabinet.ts';
import { loginAs } from './portal-as.ts';
import { appRoot, chooseKey, expectError, keyDialog, LANGUAGES, loadKeys, openApp, pressSign, screenshot, signIn, SIZES, switchLanguage, t } from './helpers.ts';
import type { Language } from '../../renderer/src/i18n/index.ts';

const kk = t('kk');
test.use({ viewport: SIZES[0] });

const withIin = (first11: string) => `${first11}${iinCheckDigit(first11)}`;

/**
 * Each language: the message still shown with its title and what to do, captured and checked with
 * axe; back to Kazakh. Inside a modal its own language switcher is used (the page behind is inert).
 */
async function captureError(page: Page, scope: Locator, code: string, screen: string, switcher?: Locator): Promise<void> {
  const choose = async (lang: Language) => {
    if (!switcher) return switchLanguage(page, lang);
    await switcher.locator(`[data-lang="${lang}"]`).click();
    await expect(page.locator('html')).toHaveAttribute('lang', new RegExp(`^${lang}`));
  };
  for (const lang of LANGUAGES) {
    await choose(lang);
    const text = (t(lang).errors as Record<string, { title: string; action: string }>)[code];
    await expect(scope.locator('.error-message')).toContainText(text?.title ?? '?');
    await expect(scope.locator('.error-message')).toContainText(text?.action ?? '?');
    await scope.locator('.error-message').scrollIntoViewIfNeeded();
    await screenshot(page, lang, screen);
  }
  await choose('kk');
}

/** Two organisations of one kind, taking Kazakh, that both serve a category: the portal refuses them together. */
async function twoOfOneKind(info: E2eInfo, iin: string): Promise<{ ids: [string, string]; category: string }> {
  const token = await loginAs(info, { iin, role: 'individual' });
  const res = await fetch(`${info.portalUrl}/api/organisations?language=kk`, { headers: { authorization: `Bearer ${token}` } });
  const { items } = (await res.json()) as { items: Array<{ id: string; kind: string; categories: string[] }> };
  for (const a of items)
    for (const b of items) {
      const shared = a.categories.find((c) => b.categories.includes(c));
      if (a.id < b.id && a.kind === b.kind && shared) return { ids: [a.id, b.id], category: shared };
    }
  throw new Error('the demo has no two organisations of one kind sharing a category');
}

test('the wizard: an oversized and a disguised proof, then two queues of one kind, each refused with its message; nothing typed is lost', async ({ page }) => {
  test.setTimeout(600_000);
  const info = e2eInfo();
  // Person 3 applies nowhere else in the window (other specs use them over the API only).
  const person = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' }, 3);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-refusals-'));
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const big = path.join(dir, 'scan.png');
  const disguised = path.join(dir, 'photo.jpg');
  const good = path.join(dir, 'certificate.png');
  await writeFile(big, Buffer.concat([png, Buffer.alloc(PROOF_MAX_BYTES)]));
  await writeFile(disguised, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(128)]));
  await writeFile(good, png);
  const childIin = withIin('22052050064');
  const phone = '+77015550064';
  const twins = await twoOfOneKind(info, person.iin);

  await openApp(page, 'kk');
  await signIn(page, 'kk', person.folder, info.index.password);
  await page.locator('[data-action="new-application"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'apply');
  await page.getByLabel(kk.apply.region).selectOption('almaty-city');
  for (const name of ['rules', 'personalData', 'contacts']) await page.locator(`input[name="${name}"]`).check();
  await page.locator('[data-action="start"]').click();
  const wizard = page.locator('section.apply');
  const atStep = (step: number) => expect(wizard).toHaveAttribute('data-step', String(step));
  const next = () => page.locator('[data-action="next"]').click();

  await atStep(1);
  const contact = page.locator('[data-contact="phone"]');
  await contact.locator('input[name="phone"]').fill(phone);
  await contact.locator('[data-action="get-code"]').click();
  await expect(contact.getByRole('status')).toBeVisible();
  await contact.locator('input[name="phone-code"]').fill(await codeSentTo(phone, { info }));
  await contact.locator('[data-action="confirm-code"]').click();
  await expect(contact.locator('.confirmed')).toBeVisible();
  await next();

  await atStep(2);
  await page.getByLabel(kk.apply.childIin).fill(childIin);
  await page.getByLabel(kk.apply.childLastName).fill('Сәрсенбаева');
  await page.getByLabel(kk.apply.childFirstName, { exact: true }).fill('Дана');
  await next();

  // Step 3: two organisations of one kind (the window lets the person choose; the portal's rule decides).
  await atStep(3);
  await page.getByLabel(kk.apply.language).selectOption('kk');
  for (const id of twins.ids) await page.locator(`[data-organisation="${id}"] input`).check();
  await page.getByLabel(kk.apply.category, { exact: true }).selectOption(twins.category);
  await next();

  // Step 4, in Russian: over 5 MB (main reads no further), then an .exe named .jpg; the benefit stays chosen.
  await atStep(4);
  const ru = t('ru');
  await switchLanguage(page, 'ru');
  await page.getByLabel(ru.apply.hasBenefit).check();
  await page.getByLabel(ru.apply.benefitKind).selectOption('large_family');
  await page.getByLabel(ru.apply.proofPath).fill(big);
  await page.locator('[data-action="attach"]').click();
  await expectError(wizard, 'ru', ['UPLOAD_TOO_LARGE']);
  await expect(page.getByLabel(ru.apply.proofPath)).toHaveValue(big);
  await expect(page.getByLabel(ru.apply.benefitKind)).toHaveValue('large_family');
  await captureError(page, wizard, 'UPLOAD_TOO_LARGE', 'apply-upload-too-large');
  await switchLanguage(page, 'ru');
  await expect(page.getByLabel(ru.apply.proofPath)).toHaveValue(big);
  await page.getByLabel(ru.apply.proofPath).fill(disguised);
  await page.locator('[data-action="attach"]').click();
  await expectError(wizard, 'ru', ['UPLOAD_TYPE_REFUSED']);
  await expect(page.getByLabel(ru.apply.benefitKind)).toHaveValue('large_family');
  await captureError(page, wizard, 'UPLOAD_TYPE_REFUSED', 'apply-upload-disguised');
  await page.getByLabel(kk.apply.proofPath).fill(good);
  await page.locator('[data-action="attach"]').click();
  await expect(page.getByText('certificate.png')).toBeVisible();
  await expect(wizard.locator('.error-message')).toHaveCount(0);
  await next();

  await atStep(5);
  await page.getByLabel(kk.apply.notify).check();
  await page.getByLabel(kk.apply.notifySms).check();
  await page.getByLabel(kk.apply.notifyLanguage).selectOption('kk');
  await next();

  // Step 6, in English: signed, and refused by the portal: two queues of one kind.
  await atStep(6);
  await expect(page.locator('[data-review]')).toContainText(childIin);
  const en = t('en');
  const sign = async (lang: Language) => {
    await page.locator('[data-action="sign"]').click();
    await expect(keyDialog(page)).toBeVisible();
    await loadKeys(page, lang, person.folder, info.index.password);
    await chooseKey(page, 'RSA256_');
    await pressSign(page, lang);
  };
  await switchLanguage(page, 'en');
  await sign('en');
  await expectError(keyDialog(page), 'en', ['QUEUE_KIND_TWICE']);
  await expect(keyDialog(page).getByRole('button', { name: en.keyDialog.sign, exact: true })).toBeEnabled();
  await captureError(page, keyDialog(page), 'QUEUE_KIND_TWICE', 'apply-kind-twice', keyDialog(page));
  await page.keyboard.press('Escape');
  await expect(keyDialog(page)).toHaveCount(0);

  // Nothing typed is lost: the review still shows it, and back at step 3 both choices are there.
  await expect(page.locator('[data-review]')).toContainText(childIin);
  await expect(page.locator('[data-review]')).toContainText(phone);
  const back = page.getByRole('button', { name: kk.apply.back });
  for (const step of [5, 4, 3]) {
    await back.click();
    await atStep(step);
  }
  for (const id of twins.ids) await expect(page.locator(`[data-organisation="${id}"] input`)).toBeChecked();
  await page.locator(`[data-organisation="${twins.ids[1]}"] input`).uncheck();
  await back.click();
  await atStep(2);
  await expect(page.getByLabel(kk.apply.childIin)).toHaveValue(childIin);
  await expect(page.getByLabel(kk.apply.childFirstName, { exact: true })).toHaveValue('Дана');
  for (const step of [3, 4, 5]) {
    await next();
    await atStep(step);
    if (step === 4) await expect(page.getByText('certificate.png')).toBeVisible();
  }
  await next();
  await atStep(6);
  await sign('kk');
  await expect(page.locator('[data-application-number]')).toHaveCount(1);
});

test('a PMPK time taken by another family while this one confirms: PMPK_SLOT_TAKEN, the child kept, another time booked', async ({ page }) => {
  test.setTimeout(600_000);
  const info = e2eInfo();
  const person = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' }, 3);
  const rival = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' }, 1);
  const childIin = withIin('23071150064');

  await openApp(page, 'kk');
  await signIn(page, 'kk', person.folder, info.index.password);
  // The offers load above the button and move it: wait for them so the click lands on it.
  await expect(page.getByText(kk.cabinet.noOffer).or(page.locator('.offer-list'))).toBeVisible();
  await page.locator('[data-action="new-application"]').click();
  await page.getByLabel(kk.apply.region).selectOption('almaty-city');
  await page.locator('[data-service="pmpk_booking"]').getByRole('button', { name: kk.pmpk.book }).click();
  await expect(page.getByRole('heading', { level: 1, name: kk.pmpk.bookTitle })).toBeVisible();

  // The last commission (one place a time), its first time; the child named by IIN.
  await page.locator('[data-commission] input').last().check();
  const commissionId = (await page.locator('[data-commission]').last().getAttribute('data-commission')) ?? '';
  await page.getByLabel(kk.apply.childIin).fill(childIin);
  await page.getByLabel(kk.apply.childLastName).fill('Сәрсенбаев');
  await page.getByLabel(kk.apply.childFirstName, { exact: true }).fill('Нұрсұлтан');
  const slot = page.locator('[data-slot]').first();
  const slotId = (await slot.getAttribute('data-slot')) ?? '';
  await slot.locator('input').check();
  await page.locator('[data-action="book"]').click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('Сәрсенбаев Нұрсұлтан');

  // Meanwhile another family books every free place of that time over the portal's API.
  const token = await loginAs(info, { iin: rival.iin, role: 'individual' });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const slots = (await (await fetch(`${info.portalUrl}/api/pmpk/commissions/${commissionId}/slots`, { headers })).json()) as { items: Array<{ id: string; free: number }> };
  const free = slots.items.find((s) => s.id === slotId)?.free ?? 0;
  expect(free).toBeGreaterThan(0);
  for (let i = 0; i < free; i++) {
    const res = await fetch(`${info.portalUrl}/api/pmpk/bookings`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ child: { iin: withIin(`2308115007${i}`), lastName: 'Әбілова', firstName: 'Айша' }, slotId }),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  // Asking again could only be refused again: the dialog closes, the page says why, no time is chosen.
  await confirm.getByRole('button', { name: kk.confirm.yes }).click();
  const screen = page.locator('section[aria-labelledby="pmpk-book-title"]');
  await expectError(screen, 'kk', ['PMPK_SLOT_TAKEN']);
  await expect(confirm).toHaveCount(0);
  await expect(page.locator('[data-slot] input:checked')).toHaveCount(0);
  await captureError(page, screen, 'PMPK_SLOT_TAKEN', 'pmpk-slot-taken');

  // The child is kept; the taken time is gone from the list; another is booked.
  await expect(page.getByLabel(kk.apply.childIin)).toHaveValue(childIin);
  await expect(page.getByLabel(kk.apply.childFirstName, { exact: true })).toHaveValue('Нұрсұлтан');
  await expect(page.locator(`[data-slot="${slotId}"]`)).toHaveCount(0);
  await page.locator('[data-slot] input').first().check();
  await page.locator('[data-action="book"]').click();
  await confirm.getByRole('button', { name: kk.confirm.yes }).click();
  await expect(page.getByRole('heading', { level: 1, name: kk.pmpk.scheduleTitle })).toBeVisible();
  const booking = page.locator('.booking[data-state="booked"]', { hasText: 'Сәрсенбаев Нұрсұлтан' });
  await expect(booking).toHaveCount(1);
  await booking.locator('[data-action="cancel-booking"]').click();
  await page.getByRole('alertdialog').getByRole('button', { name: kk.confirm.yes }).click();
  await expect(page.locator('.booking[data-state="cancelled"]', { hasText: 'Сәрсенбаев Нұрсұлтан' })).toHaveCount(1);
});
