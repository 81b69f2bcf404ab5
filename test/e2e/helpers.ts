/** Shared steps for the end-to-end specs: open the app, drive the key dialog, save screenshots. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { dictionaries, type Dictionary, type Language } from '../../renderer/src/i18n/index.ts';
import { e2eInfo } from './env.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const LANGUAGES: Language[] = ['kk', 'ru', 'en'];

export function t(lang: Language): Dictionary {
  return dictionaries[lang];
}

/** The two window sizes every screen is looked at in: a laptop and a small kiosk. */
export const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 640 },
] as const;

/**
 * test-results/screenshots/<lang>/<screen>-<w>x<h>.png at both SIZES, and axe-core's check of the
 * page as shown (no serious or critical violation). The viewport is left at 1280×800.
 */
export async function screenshot(page: Page, lang: Language, screen: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'screenshots', lang, `${screen}-${size.width}x${size.height}.png`) });
  }
  await page.setViewportSize(SIZES[0]);
  await expectAccessible(page, `${lang}/${screen}`);
}

/** axe-core (WCAG 2.x A and AA rules) on the page as shown: no serious or critical violation. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  // Violations only: axe then skips building the (large) pass and incomplete lists.
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).options({ resultTypes: ['violations'] }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  expect(bad, `axe on ${where}`).toEqual([]);
}

/** A modal fits the window: nothing inside it scrolls, at both SIZES. */
export async function expectFitsWithoutScrolling(page: Page, modal: Locator): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const overflow = await modal.evaluate((d) => d.scrollHeight - d.clientHeight);
    expect(overflow, `the dialog scrolls inside at ${size.width}×${size.height}`).toBeLessThanOrEqual(1);
  }
  await page.setViewportSize(SIZES[0]);
}

/** Switch the UI language with the header's switcher (outside any modal). */
export async function switchLanguage(page: Page, lang: Language): Promise<void> {
  await page.locator(`.app-header [data-lang="${lang}"]`).click();
  await expect(page.locator('html')).toHaveAttribute('lang', new RegExp(`^${lang}`));
}

export function appRoot(page: Page): Locator {
  return page.locator('.app');
}

/**
 * The page's uncaught errors and console errors, printed with the test's output: when a spec fails
 * on CI, the log says whether the window threw (the page itself is gone with the machine).
 */
function reportPageErrors(page: Page): void {
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[page console.error] ${m.text().split('\n')[0]}`);
  });
}

/**
 * Open the app in a fresh tab (the token rides in the fragment) and choose the language.
 * Main keeps one session for all specs: a session left by an earlier spec is logged out first.
 */
export async function openApp(page: Page, lang: Language): Promise<void> {
  reportPageErrors(page);
  await page.goto(e2eInfo().url);
  await expect(appRoot(page)).not.toHaveAttribute('data-screen', 'loading');
  if ((await appRoot(page).getAttribute('data-screen')) !== 'login') {
    await page.locator('[data-action="logout"]').click();
    await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  }
  await page.locator(`.app-header [data-lang="${lang}"]`).click();
  await expect(page.locator('html')).toHaveAttribute('lang', /^(kk|ru|en)/);
  await expect(page.getByRole('heading', { level: 1, name: t(lang).login.title })).toBeVisible();
}

export function keyDialog(page: Page): Locator {
  return page.getByRole('dialog');
}

export async function openKeyDialog(page: Page, lang: Language): Promise<Locator> {
  await page.getByRole('button', { name: t(lang).login.signInButton }).click();
  const dialog = keyDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: t(lang).keyDialog.authTitle, exact: true })).toBeVisible();
  return dialog;
}

/** Type the path and password and press "Refresh key list". */
export async function loadKeys(page: Page, lang: Language, keyPath: string, password: string): Promise<void> {
  const dialog = keyDialog(page);
  await dialog.getByLabel(t(lang).keyDialog.storagePath).fill(keyPath);
  await dialog.getByLabel(t(lang).keyDialog.password, { exact: true }).fill(password);
  await dialog.getByRole('button', { name: t(lang).keyDialog.refresh }).click();
}

/** Choose the option whose file name starts with the given prefix (AUTH_RSA256_ or RSA256_). */
export async function chooseKey(page: Page, filePrefix: 'AUTH_RSA256_' | 'RSA256_'): Promise<void> {
  const option = keyDialog(page).getByRole('listbox').getByRole('option').filter({ has: page.locator('.key-file', { hasText: new RegExp(`^${filePrefix}`) }) });
  await option.first().click();
  await expect(option.first()).toHaveAttribute('aria-selected', 'true');
}

export async function pressSign(page: Page, lang: Language): Promise<void> {
  await keyDialog(page).getByRole('button', { name: t(lang).keyDialog.sign, exact: true }).click();
}

/** The error shown, as its code; also checks the translated title and what-to-do are on screen. */
export async function expectError(scope: Locator, lang: Language, codes: string[]): Promise<string> {
  const alert = scope.locator('.error-message[role="alert"]');
  await expect(alert).toBeVisible();
  const code = (await alert.getAttribute('data-error-code')) ?? '';
  expect(codes).toContain(code);
  const text = (t(lang).errors as Record<string, { title: string; action: string }>)[code];
  await expect(alert).toContainText(text?.title ?? '');
  await expect(alert).toContainText(text?.action ?? '');
  await expect(alert).toBeFocused();
  return code;
}

export async function logout(page: Page, lang: Language): Promise<void> {
  await page.locator('[data-action="logout"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  await expect(page.getByRole('status').filter({ hasText: t(lang).login.loggedOut })).toBeVisible();
}

/**
 * From the login screen: sign in with the AUTH key in `folder` and reach the cabinet home, or with
 * `{ home: false }` stop once the key dialog has closed (the caller checks the screen).
 */
export async function signIn(page: Page, lang: Language, folder: string, password: string, { home = true } = {}): Promise<void> {
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, folder, password);
  await pressSign(page, lang);
  if (home) await reachHome(page, lang);
  else await expect(keyDialog(page)).toHaveCount(0);
}

/** After signing in: a first login gives its e-mail (then or in an earlier spec), and the cabinet home shows. */
export async function reachHome(page: Page, lang: Language, email = 'applicant@example.kz'): Promise<void> {
  await expect(appRoot(page)).not.toHaveAttribute('data-screen', 'login');
  if ((await appRoot(page).getAttribute('data-screen')) === 'email') {
    await page.getByRole('textbox', { name: t(lang).email.label }).fill(email);
    await page.getByRole('button', { name: t(lang).email.save }).click();
  }
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');
}

/**
 * #10: the top navigation on one line at both SIZES: every section and who is signed in side by
 * side in one row, none overlapping another or leaving the bar, each label on one line; a name cut
 * short keeps its full text in the title.
 */
export async function expectNavOnOneLine(page: Page): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const where = `${size.width}×${size.height}`;
    const bar = await page.locator('.app-nav').evaluate((nav) => {
      const r = nav.getBoundingClientRect();
      const style = getComputedStyle(nav);
      return { left: r.left + parseFloat(style.paddingLeft), right: r.right - parseFloat(style.paddingRight) };
    });
    const items = await page.locator('.app-nav li, .app-nav .nav-user').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      }),
    );
    const first = items[0]!;
    items.forEach((box, i) => {
      expect(box.top < first.bottom && box.bottom > first.top, `item ${i} on the first row at ${where}`).toBe(true);
      expect(box.left, `item ${i} inside the bar at ${where}`).toBeGreaterThanOrEqual(bar.left - 0.5);
      expect(box.right, `item ${i} inside the bar at ${where}`).toBeLessThanOrEqual(bar.right + 0.5);
      if (i > 0) expect(box.left, `item ${i} clear of item ${i - 1} at ${where}`).toBeGreaterThanOrEqual(items[i - 1]!.right - 0.5);
    });
    const labels = await page.locator('.app-nav .nav-link').evaluateAll((els) =>
      els.map((e) => {
        const text = document.createRange();
        text.selectNodeContents(e);
        return e.scrollWidth <= e.clientWidth && text.getClientRects().length === 1;
      }),
    );
    expect(labels, `every section label whole on one line at ${where}`).not.toContain(false);
    const name = page.locator('.nav-user-name');
    expect(await name.getAttribute('title')).toBe(await name.textContent());
  }
  await page.setViewportSize(SIZES[0]);
}
