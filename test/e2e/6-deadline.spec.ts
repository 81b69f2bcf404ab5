/**
 * The offer's deadline on the portal's clock, with an app and a demo portal of its own: the portal
 * starts the day before a public holiday, so the three working days skip it (the cabinet shows that
 * deadline and "3 working days left"); the portal is started again past the deadline: the offer has
 * lapsed, the applicant is back in the queue, and the places are open to every queued child of the
 * group year (free choice). Another applicant sees them as free-choice places; a third takes one
 * first (over the portal's API), so signing for it gets the translated PLACE_TAKEN; the other
 * free-choice place is then taken from the app.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addWorkingDays, almatyDate, calendarFromRows, isWorkingDay } from '../../portal/calendar/working-days.ts';
import { yearRows } from '../../portal/calendar/holidays.ts';
import { startDemoAppProcess, type DemoAppProcess } from './demo-app-process.ts';
import type { E2eInfo } from './env.ts';
import { appRoot, expectError, keyDialog, loadKeys, pressSign, signIn, SIZES, t } from './helpers.ts';
import { publishPlace, takePlace } from './portal-as.ts';

const kk = t('kk');
const DAY = 86_400_000;
test.use({ viewport: SIZES[0] });

/** 10:00 in Almaty on the last working day before the next public holiday at least two days away. */
function dayBeforeHoliday(now: Date): Date {
  const year = now.getUTCFullYear();
  const rows = [...yearRows(year), ...yearRows(year + 1)];
  const calendar = calendarFromRows(rows);
  const earliest = almatyDate(new Date(now.getTime() + 2 * DAY));
  for (const row of rows) {
    const before = almatyDate(new Date(Date.parse(`${row.date}T12:00:00+05:00`) - DAY));
    if (row.day_off === 1 && row.date >= earliest && isWorkingDay(before, calendar)) return new Date(`${before}T10:00:00+05:00`);
  }
  throw new Error('no public holiday in the calendar ahead');
}

function peopleOf(info: E2eInfo) {
  const individuals = [...new Set(info.index.keys.filter((k) => k.role === 'individual' && k.status === 'valid').map((k) => k.iin))];
  const head = info.index.keys.find((k) => k.role === 'head')!;
  const folder = (iin: string) => path.dirname(path.join(info.demoKeysFolder, info.index.keys.find((k) => k.iin === iin)!.file));
  return { offered: individuals[0]!, chooser: individuals[2]!, rival: individuals[3]!, head: { iin: head.iin, role: 'head' }, folder };
}

async function openAndSignIn(page: Page, info: E2eInfo, folder: string): Promise<void> {
  await page.goto(info.url);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  await signIn(page, 'kk', folder, info.index.password);
}

async function logOut(page: Page): Promise<void> {
  await page.locator('[data-action="logout"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
}

test('an offer lapses after 3 working days across a public holiday; its place goes to free choice; the last place is taken first by someone else', async ({ page }) => {
  test.setTimeout(300_000);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'joldama-e2e-clock-'));
  const offeredAt = dayBeforeHoliday(new Date());
  const calendar = calendarFromRows([...yearRows(offeredAt.getUTCFullYear()), ...yearRows(offeredAt.getUTCFullYear() + 1)]);
  const lapsesAt = addWorkingDays(offeredAt, 3, calendar);
  const lastDay = almatyDate(new Date(lapsesAt.getTime() - 1));
  const shownDeadline = lastDay.split('-').reverse().join('.');
  // The holiday is skipped: three working days from a working day would otherwise end sooner.
  expect(lapsesAt.getTime() - offeredAt.getTime()).toBeGreaterThan(4 * DAY);
  const groupYear = offeredAt.getUTCFullYear() - 5;
  let app: DemoAppProcess | undefined;
  try {
    app = await startDemoAppProcess(['--data-dir', dataDir, '--clock', offeredAt.toISOString()]);
    const people = peopleOf(app.info);
    // A second place in the same queue: offered to the next child in line, lapsing the same day.
    await publishPlace(app.info, people.head, groupYear, 'speech');

    await openAndSignIn(page, app.info, people.folder(people.offered));
    const offer = page.locator('.offer-card');
    await expect(offer).toContainText(shownDeadline);
    await expect(offer).toContainText('3 жұмыс күні қалды');
    await app.stop();

    // Past the deadline: the portal catches up on its deadlines when it starts.
    app = await startDemoAppProcess(['--data-dir', dataDir, '--clock', new Date(lapsesAt.getTime() + 3_600_000).toISOString()]);
    const info = app.info;
    await openAndSignIn(page, info, people.folder(people.offered));
    await expect(page.getByText(kk.cabinet.noOffer)).toBeVisible();
    await page.getByRole('navigation').getByRole('button', { name: kk.nav.journal }).click();
    const row = page.locator('.journal-row').first();
    await expect(row).toContainText(kk.statuses.in_queue);
    await row.locator('.row-open').click();
    await page.getByRole('tab', { name: kk.application.tabHistory }).click();
    await expect(page.getByRole('cell', { name: kk.history.events.offer_lapsed })).toBeVisible();
    await logOut(page);

    // Another applicant of the same group year: the places are free choice now.
    await openAndSignIn(page, info, people.folder(people.chooser));
    await page.getByRole('navigation').getByRole('button', { name: kk.nav.journal }).click();
    await page.locator('.journal-row', { hasText: `KDDO.${groupYear}.` }).first().locator('.row-open').click();
    await page.getByRole('button', { name: kk.application.choose }).click();
    await expect(appRoot(page)).toHaveAttribute('data-screen', 'vacancies');
    const places = page.locator('.vacancy');
    await expect(places).toHaveCount(2);
    await expect(places.first()).toContainText(kk.vacancies.kindFreeChoice);
    const first = (await places.first().getAttribute('data-offer')) ?? '';

    // The chooser picks the first; a rival takes it before the chooser signs.
    await places.first().getByRole('radio').check();
    await page.getByRole('button', { name: kk.vacancies.signAndSend }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: kk.confirm.yes }).click();
    await loadKeys(page, 'kk', people.folder(people.chooser), info.index.password);
    await takePlace(info, { iin: people.rival }, first);
    await pressSign(page, 'kk');
    await expect(keyDialog(page)).toHaveCount(0);
    await expectError(page.locator('.vacancies'), 'kk', ['PLACE_TAKEN']);
    await expect(places).toHaveCount(1);
    expect(await places.first().getAttribute('data-offer')).not.toBe(first);

    // The other free-choice place, from the app.
    await places.first().getByRole('radio').check();
    await page.getByRole('button', { name: kk.vacancies.signAndSend }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: kk.confirm.yes }).click();
    await loadKeys(page, 'kk', people.folder(people.chooser), info.index.password);
    await pressSign(page, 'kk');
    await expect(page.getByRole('heading', { name: kk.signing.doneTitle })).toBeVisible();
  } finally {
    await app?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
