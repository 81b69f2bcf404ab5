/**
 * The cabinet's screens each open with one page heading (renderer/src/shared/PageHeading.tsx): one
 * h1, the name the screen's section is labelled by, in each language; a screenshot of each screen
 * in kk, ru and en with axe's check (helpers.screenshot).
 */
import { expect, test, type Page } from '@playwright/test';
import type { Dictionary, Language } from '../../renderer/src/i18n/index.ts';
import { openSection } from './cabinet.ts';
import { demoKey, e2eInfo } from './env.ts';
import { appRoot, LANGUAGES, loadKeys, logout, openApp, openKeyDialog, pressSign, reachHome, screenshot, t } from './helpers.ts';

/** The one h1 of the screen: `name` (a string or a pattern), the label of the section around it. */
async function expectOneHeading(page: Page, name: string | RegExp): Promise<void> {
  const h1 = page.locator('main h1');
  await expect(h1).toHaveCount(1);
  await expect(h1).toHaveText(name);
  const id = await h1.getAttribute('id');
  expect(id).toBeTruthy();
  await expect(page.locator(`main section[aria-labelledby="${id}"]`)).toHaveCount(1);
  await expect(h1.locator('xpath=..')).toHaveClass('page-head');
}

/** The screen's data has come (no "loading" line left), so its screenshot shows the screen. */
async function loaded(page: Page, lang: Language): Promise<void> {
  await expect(page.locator('main').getByRole('status').filter({ hasText: t(lang).app.loading })).toHaveCount(0);
}

const sections: Array<{ name: 'feed' | 'journal' | 'referrals' | 'settings'; title: (d: Dictionary) => string }> = [
  { name: 'journal', title: (d) => d.journal.title },
  { name: 'feed', title: (d) => d.feed.title },
  { name: 'referrals', title: (d) => d.referrals.title },
  { name: 'settings', title: (d) => d.settings.title },
];

LANGUAGES.forEach((lang) => {
  test(`one page heading on each cabinet screen in ${lang}`, async ({ page }) => {
    test.setTimeout(300_000);
    const info = e2eInfo();
    const person = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
    await openApp(page, lang);
    await openKeyDialog(page, lang);
    await loadKeys(page, lang, person.folder, info.index.password);
    await pressSign(page, lang);
    await reachHome(page, lang);

    await expectOneHeading(page, new RegExp(person.owner.split(' ')[0] ?? '', 'i'));
    await expect(page.locator('.page-head .eyebrow')).toHaveText(t(lang).cabinet.title);
    await loaded(page, lang);
    await screenshot(page, lang, 'heading-home');

    for (const section of sections) {
      await openSection(page, section.name);
      await expectOneHeading(page, section.title(t(lang)));
      await loaded(page, lang);
      await screenshot(page, lang, `heading-${section.name}`);
    }

    await openSection(page, 'journal');
    const row = page.locator('.journal-row .row-open').first();
    const number = (await row.textContent()) ?? '';
    await row.click();
    await expect(appRoot(page)).toHaveAttribute('data-screen', 'application');
    await expectOneHeading(page, new RegExp(number));
    await loaded(page, lang);
    await screenshot(page, lang, 'heading-application');
    await logout(page, lang);
  });
});
