/**
 * An offer that lapses while the applicant's screen still shows it: the portal's clock is started
 * a minute and a half before the offer's deadline, the applicant opens the list, confirms and loads her key
 * before the deadline, and presses «Қол қою» after it. The portal answers OFFER_NOT_ACTIVE; the app
 * shows the translated refusal on the list (not in the key dialog, which closes) and reloads it:
 * the personal offer and its deadline are gone. While the dialog waits, it also shows that the
 * authentication (AUTH) key cannot sign: Sign disabled, with the reason in kk, ru and en. On the
 * way there, the deadline (over the demo's unconfirmed holiday calendar) is marked provisional.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { addWorkingDays, almatyDate, calendarFromRows } from '../../portal/calendar/working-days.ts';
import { yearRows } from '../../portal/calendar/holidays.ts';
import { startDemoAppProcess, type DemoAppProcess } from './demo-app-process.ts';
import { appRoot, chooseKey, expectError, keyDialog, LANGUAGES, loadKeys, pressSign, signIn, SIZES, t } from './helpers.ts';

const kk = t('kk');
/** Portal time between its start and the deadline: enough to sign in and reach the key dialog on a busy machine. */
const LEAD_MS = 90_000;
test.use({ viewport: SIZES[0] });

test('an offer that lapses while the list is open: signing gets the translated OFFER_NOT_ACTIVE and the list is reloaded', async ({ page }) => {
  test.setTimeout(300_000);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'joldama-e2e-stale-'));
  // The demo seeds its offer when the portal first starts: 10:00 in Almaty today, so the deadline is a known midnight.
  const offeredAt = new Date(`${almatyDate(new Date())}T10:00:00+05:00`);
  const calendar = calendarFromRows([...yearRows(offeredAt.getUTCFullYear()), ...yearRows(offeredAt.getUTCFullYear() + 1)]);
  const lapsesAt = addWorkingDays(offeredAt, 3, calendar);
  let app: DemoAppProcess | undefined;
  try {
    app = await startDemoAppProcess(['--data-dir', dataDir, '--clock', offeredAt.toISOString()]);
    await app.stop();
    const portalStart = new Date(lapsesAt.getTime() - LEAD_MS);
    app = await startDemoAppProcess(['--data-dir', dataDir, '--clock', portalStart.toISOString()]);
    // The portal's clock started no later than now, so it is at least this far along.
    const ready = Date.now();
    const portalNow = () => portalStart.getTime() + (Date.now() - ready);
    const { info } = app;
    const offered = info.index.keys.find((k) => k.role === 'individual' && k.status === 'valid')!;
    const folder = path.dirname(path.join(info.demoKeysFolder, offered.file));

    await page.goto(info.url);
    await signIn(page, 'kk', folder, info.index.password);
    // The demo's holiday calendar is not confirmed by an administrator: the deadline is marked provisional
    // on the home card, in the journal row, on the application card, in the notice and over the list.
    const provisional = kk.offer.provisional;
    await expect(page.locator('.offer-card [data-provisional]')).toHaveText(provisional);
    await page.getByRole('navigation').getByRole('button', { name: kk.nav.journal }).click();
    const row = page.locator('.journal-row', { has: page.locator('[data-provisional]') });
    await expect(row).toHaveCount(1);
    await expect(row.locator('[data-provisional]')).toHaveAttribute('title', provisional);
    await expect(row.locator('[data-provisional]')).toContainText(kk.offer.provisionalShort);
    await row.locator('.row-open').click();
    await expect(page.locator('.offer-box [data-provisional]')).toHaveText(provisional);
    await page.getByRole('button', { name: kk.application.choose }).click();
    await expect(page.getByRole('alertdialog').locator('[data-provisional]')).toHaveText(provisional);
    await page.getByRole('alertdialog').getByRole('button', { name: kk.offer.ok }).click();
    await expect(appRoot(page)).toHaveAttribute('data-screen', 'vacancies');
    await expect(page.locator('.offer-deadline')).toBeVisible();
    await expect(page.locator('.offer-deadline [data-provisional]')).toHaveText(provisional);
    const place = page.locator('.vacancy', { has: page.locator('.badge-personal') });
    await place.getByRole('radio').check();
    await page.getByRole('button', { name: kk.vacancies.signAndSend }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: kk.confirm.yes }).click();
    await loadKeys(page, 'kk', folder, info.index.password);
    await expect(keyDialog(page).getByRole('button', { name: kk.keyDialog.sign, exact: true })).toBeEnabled();
    expect(portalNow(), 'the key dialog was reached only after the deadline: the machine is too slow for LEAD_MS').toBeLessThan(lapsesAt.getTime());

    // The screen is now stale: wait until the portal's clock is past the deadline, then sign.
    await page.waitForTimeout(lapsesAt.getTime() - portalNow() + 2_000);

    // Meanwhile: the authentication key cannot sign; Sign is disabled and says why, in each language.
    const dialog = keyDialog(page);
    const signButton = dialog.getByRole('button', { name: kk.keyDialog.sign, exact: true });
    await chooseKey(page, 'AUTH_RSA256_');
    for (const lang of LANGUAGES) {
      await dialog.locator(`[data-lang="${lang}"]`).click();
      await expect(dialog.locator('.sign-blocked')).toHaveText(t(lang).keyDialog.cannotSign);
      await expect(dialog.getByRole('button', { name: t(lang).keyDialog.sign, exact: true })).toBeDisabled();
    }
    await dialog.locator('[data-lang="kk"]').click();
    await chooseKey(page, 'RSA256_');
    await expect(dialog.locator('.sign-blocked')).toHaveCount(0);
    await expect(signButton).toBeEnabled();
    await pressSign(page, 'kk');
    await expect(keyDialog(page)).toHaveCount(0);
    await expectError(page.locator('.vacancies'), 'kk', ['OFFER_NOT_ACTIVE']);
    // Reloaded: no personal offer and no deadline (though the portal's scheduler may not have tidied it up yet).
    await expect(page.locator('.offer-deadline')).toHaveCount(0);
    await expect(page.locator('.badge-personal')).toHaveCount(0);
  } finally {
    await app?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
