/**
 * PMPK examinations (seed 000), end to end in the window against the demo portal: from the
 * application card, book an examination (a commission, then a free date and time, confirmed),
 * see it in «ПМПК-дағы тексерулер кестесі» and on the card, cancel it from the card (confirmed),
 * and see it cancelled in the schedule. Then, with no application, from the service list: book for a
 * child named by IIN, see it in the schedule, cancel it there. Each new screen and dialog captured in kk, ru and en and
 * checked with axe-core; the time is chosen with the keyboard.
 */
import { expect, test, type Page } from '@playwright/test';
import { demoKey, e2eInfo } from './env.ts';
import { iinCheckDigit } from '../../signing/identifiers.ts';
import { appRoot, LANGUAGES, loadKeys, openApp, openKeyDialog, pressSign, reachHome, screenshot, SIZES, switchLanguage, t } from './helpers.ts';

const kk = t('kk');

test.use({ viewport: SIZES[0] });

async function captureAll(page: Page, screen: string): Promise<void> {
  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    await screenshot(page, lang, screen);
  }
  await switchLanguage(page, 'kk');
}

test('book, see and cancel a PMPK examination', async ({ page }) => {
  test.setTimeout(600_000);
  const info = e2eInfo();
  // Person 2 has two applications and is nobody else's subject in the other specs' bookings.
  const person = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' }, 2);
  await openApp(page, 'kk');
  await openKeyDialog(page, 'kk');
  await loadKeys(page, 'kk', person.folder, info.index.password);
  await pressSign(page, 'kk');
  await reachHome(page, 'kk');

  // The schedule starts empty.
  const nav = page.getByRole('navigation');
  await nav.getByRole('button', { name: kk.nav.pmpk }).click();
  await expect(page.getByRole('heading', { level: 1, name: kk.pmpk.scheduleTitle })).toBeVisible();
  await expect(page.getByText(kk.pmpk.empty)).toBeVisible();
  await captureAll(page, 'pmpk-schedule-empty');

  // From the application card.
  await nav.getByRole('button', { name: kk.nav.journal }).click();
  const row = page.locator('.journal-row', { has: page.locator('[data-status="in_queue"]') }).first();
  const number = (await row.locator('.row-open').textContent()) ?? '';
  await row.locator('.row-open').click();
  const box = page.getByRole('region', { name: kk.pmpk.cardTitle });
  await expect(box).toContainText(kk.pmpk.cardNone);
  await box.getByRole('button', { name: kk.pmpk.book }).click();
  await expect(page.getByRole('heading', { level: 1, name: kk.pmpk.bookTitle })).toBeVisible();
  await expect(page.locator('[data-slot]').first()).toBeVisible();

  // Booking without a time says so; the first commission is chosen; the time by keyboard.
  await page.locator('[data-action="book"]').click();
  await expect(page.getByRole('alert').filter({ hasText: kk.pmpk.chooseSlotFirst })).toBeVisible();
  await captureAll(page, 'pmpk-book');
  const firstSlot = page.locator('[data-slot] input').first();
  await firstSlot.focus();
  await page.keyboard.press('Space');
  await expect(firstSlot).toBeChecked();
  await page.keyboard.press('ArrowRight');
  const secondSlot = page.locator('[data-slot] input').nth(1);
  await expect(secondSlot).toBeChecked();
  await expect(secondSlot).toBeFocused();
  const time = ((await page.locator('[data-slot]').nth(1).locator('span').first().textContent()) ?? '').trim();

  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    await page.locator('[data-action="book"]').click();
    const dialog = page.getByRole('alertdialog');
    await expect(dialog.getByRole('heading', { name: t(lang).pmpk.confirmTitle })).toBeVisible();
    await screenshot(page, lang, 'pmpk-book-confirm');
    await dialog.getByRole('button', { name: t(lang).confirm.no }).click();
    await expect(dialog).toHaveCount(0);
  }
  await switchLanguage(page, 'kk');
  await page.locator('[data-action="book"]').click();
  await page.getByRole('alertdialog').getByRole('button', { name: kk.confirm.yes }).click();

  // The schedule shows the booking.
  await expect(page.getByRole('heading', { level: 1, name: kk.pmpk.scheduleTitle })).toBeVisible();
  const booking = page.locator('.booking[data-state="booked"]');
  await expect(booking).toHaveCount(1);
  await expect(booking).toContainText(time);
  await expect(booking).toContainText(number);
  await captureAll(page, 'pmpk-schedule');

  // Cancelled from the application card, after the confirmation (No is focused first).
  await booking.getByRole('button', { name: number }).click();
  await expect(box).toContainText(time);
  const confirm = page.getByRole('alertdialog');
  for (const lang of LANGUAGES) {
    await switchLanguage(page, lang);
    await page.locator('[data-action="cancel-booking"]').click();
    await expect(confirm).toContainText(time);
    await expect(confirm.getByRole('button', { name: t(lang).confirm.no })).toBeFocused();
    await screenshot(page, lang, 'pmpk-cancel-confirm');
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
  }
  await switchLanguage(page, 'kk');
  await box.getByRole('button', { name: kk.pmpk.cancel }).click();
  await confirm.getByRole('button', { name: kk.confirm.yes }).click();
  await expect(confirm).toHaveCount(0);
  await expect(box).toContainText(kk.pmpk.cardNone);

  await nav.getByRole('button', { name: kk.nav.pmpk }).click();
  await expect(page.locator('.booking[data-state="cancelled"]')).toHaveCount(1);
  await expect(page.locator('.booking[data-state="booked"]')).toHaveCount(0);
  await expect(page.locator('[data-action="cancel-booking"]')).toHaveCount(0);
});

test('book an examination from the service list for a child with no application, see it in the schedule, cancel it', async ({ page }) => {
  test.setTimeout(600_000);
  const info = e2eInfo();
  const person = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' }, 2);
  const first11 = '23041050077';
  const childIin = `${first11}${iinCheckDigit(first11)}`;
  await openApp(page, 'kk');
  await openKeyDialog(page, 'kk');
  await loadKeys(page, 'kk', person.folder, info.index.password);
  await pressSign(page, 'kk');
  await reachHome(page, 'kk');

  // The service list opens the booking screen for the PMPK service; the navigation marks PMPK.
  // (The offers load above the button and move it: wait for them so the click lands on it.)
  await expect(page.getByText(kk.cabinet.noOffer)).toBeVisible();
  await page.locator('[data-action="new-application"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'apply');
  await page.getByLabel(kk.apply.region).selectOption('almaty-city');
  await page.locator('[data-service="pmpk_booking"]').getByRole('button', { name: kk.pmpk.book }).click();
  await expect(page.getByRole('heading', { level: 1, name: kk.pmpk.bookTitle })).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('button', { name: kk.nav.pmpk })).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('[data-slot]').first()).toBeVisible();

  // Nothing filled in: both the child and the time are asked for.
  await page.locator('[data-action="book"]').click();
  await expect(page.getByRole('alert').filter({ hasText: kk.pmpk.childMissing })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: kk.pmpk.chooseSlotFirst })).toBeVisible();
  await page.getByLabel(kk.apply.childIin).fill(childIin);
  await page.getByLabel(kk.apply.childLastName).fill('Бекова');
  await page.getByLabel(kk.apply.childFirstName, { exact: true }).fill('Аяла');
  await page.locator('[data-slot] input').first().check();
  await captureAll(page, 'pmpk-book-child');
  const time = ((await page.locator('[data-slot]').first().locator('span').first().textContent()) ?? '').trim();
  await page.locator('[data-action="book"]').click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('Бекова Аяла');
  await dialog.getByRole('button', { name: kk.confirm.yes }).click();

  // The schedule lists it, with no application.
  await expect(page.getByRole('heading', { level: 1, name: kk.pmpk.scheduleTitle })).toBeVisible();
  const booking = page.locator('.booking[data-state="booked"]', { hasText: 'Бекова Аяла' });
  await expect(booking).toHaveCount(1);
  await expect(booking).toContainText(time);
  await expect(booking).toContainText(kk.pmpk.noApplication);
  await captureAll(page, 'pmpk-schedule-child');

  // Cancelled from the schedule.
  await booking.locator('[data-action="cancel-booking"]').click();
  await page.getByRole('alertdialog').getByRole('button', { name: kk.confirm.yes }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(page.locator('.booking[data-state="cancelled"]', { hasText: 'Бекова Аяла' })).toHaveCount(1);
  await expect(page.locator('.booking[data-state="booked"]')).toHaveCount(0);
});
