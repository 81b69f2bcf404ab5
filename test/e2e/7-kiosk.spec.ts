/**
 * Kiosk mode (docs/kiosk.md), with an app of its own under a kiosk policy (serve-demo.ts --kiosk:
 * Kazakh and Russian only, a 60 s idle timeout): the start screen; one person signs in, leaves
 * the screen alone and sees the countdown, keeps the session, then walks away and the session
 * ends by itself; the next person finds the start screen, nothing in the window's storage and no
 * session in main; "End session" does the same at once, and so does pulling out the USB medium
 * holding the key (the app's removable-media folder, serve-demo.ts).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startDemoAppProcess, type DemoAppProcess } from './demo-app-process.ts';
import type { E2eInfo } from './env.ts';
import { appRoot, screenshot, signIn, SIZES, t, expectAccessible } from './helpers.ts';

test.use({ viewport: SIZES[0] });

let app: DemoAppProcess;
let dataDir: string;
test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'joldama-e2e-kiosk-'));
  app = await startDemoAppProcess(['--data-dir', dataDir, '--kiosk']);
});
test.afterAll(async () => {
  await app?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function keyFolder(info: E2eInfo): string {
  const key = info.index.keys.find((k) => k.role === 'individual' && k.status === 'valid')!;
  return path.dirname(path.join(info.demoKeysFolder, key.file));
}

async function startAndSignIn(page: Page, folder = keyFolder(app.info)): Promise<void> {
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'kiosk-start');
  await page.locator('.kiosk-languages').getByRole('button', { name: 'Қазақша' }).click();
  await page.locator('[data-action="kiosk-start"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  await signIn(page, 'kk', folder, app.info.index.password);
}

/** What a second person could find: the window's storage, and main's session. */
async function leftBehind(page: Page) {
  return page.evaluate(() => ({
    session: Object.keys(sessionStorage).filter((k) => k !== 'joldama.token'),
    local: Object.keys(localStorage),
  }));
}

test('the start screen offers the allowed languages, says how to sign in and whom to call', async ({ page }) => {
  // The policy allows tokens; the token step shows only if this computer has a PKCS#11 module (OpenSC,
  // installed with the test tools, is one; without any, keys.tokens answers TOKENS_UNAVAILABLE).
  const tokensAsked = page.waitForResponse((r) => r.url().endsWith('/api/rpc/keys.tokens'));
  await page.goto(app.info.url);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'kiosk-start');
  const tokens = (await (await tokensAsked).json()) as { ok: boolean; error?: { code: string } };
  if (!tokens.ok) expect(tokens.error?.code).toBe('TOKENS_UNAVAILABLE');
  // The policy allows Kazakh and Russian: English is offered nowhere.
  await expect(page.locator('.app-header [data-lang]')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'English' })).toHaveCount(0);
  for (const lang of ['kk', 'ru'] as const) {
    await page.locator('.kiosk-languages').getByRole('button', { name: lang === 'kk' ? 'Қазақша' : 'Русский' }).click();
    await expect(page.getByRole('heading', { level: 1, name: t(lang).kiosk.title })).toBeVisible();
    await expect(page.getByText(t(lang).kiosk.stepFile)).toBeVisible();
    await expect(page.getByText(t(lang).kiosk.stepToken)).toHaveCount(tokens.ok ? 1 : 0);
    await expect(page.getByText(t(lang).kiosk.stepEnd)).toBeVisible();
    await expect(page.getByRole('heading', { name: t(lang).cabinet.supportTitle })).toBeVisible();
    await screenshot(page, lang, 'kiosk-start');
  }
});

test('an idle session shows a countdown, can be kept, then ends by itself; the next person finds nothing', async ({ page }) => {
  await page.clock.install();
  await page.goto(app.info.url);
  await startAndSignIn(page);
  await expect(page.locator('[data-action="end-session"]')).toBeVisible();
  await page.evaluate(() => {
    sessionStorage.setItem('typed-by-the-last-person', 'x');
    localStorage.setItem('typed-by-the-last-person', 'x');
  });

  // 60 s timeout, 20 s countdown: at 41 s idle the warning shows.
  await page.clock.fastForward(41_000);
  const warning = page.getByRole('alertdialog', { name: t('kk').kiosk.idleTitle });
  await expect(warning).toBeVisible();
  await expect(warning.getByRole('timer')).toContainText(/\b(1\d|20) с/);
  await expectAccessible(page, 'kk/idle-warning');
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'kk', 'idle-warning-1280x800.png') });
  await warning.getByRole('button', { name: t('kk').kiosk.keepSession }).click();
  await expect(warning).toHaveCount(0);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');

  // Nobody comes back: the session ends and the window starts over.
  await page.clock.fastForward(61_000);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'kiosk-start');
  expect(await leftBehind(page)).toEqual({ session: [], local: [] });
  // Main holds no session: past the start screen is the login screen, not the cabinet.
  await page.locator('[data-action="kiosk-start"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  await expect(page.getByRole('button', { name: t('kk').login.signInButton })).toBeVisible();
});

test('"End session" ends it at once, from any screen', async ({ page }) => {
  await page.goto(app.info.url);
  await startAndSignIn(page);
  await page.locator('[data-action="end-session"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'kiosk-start');
  await expect(page.locator('[data-action="end-session"]')).toHaveCount(0);
  await page.locator('[data-action="kiosk-start"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
});

// #16: the person pulls their USB stick out and leaves.
test('pulling out the USB medium with the key ends the whole session: the next person finds the start screen and nothing else', async ({ page }) => {
  const stick = path.join(app.info.removableMedia, 'STICK');
  await cp(keyFolder(app.info), stick, { recursive: true });
  try {
    await page.goto(app.info.url);
    await startAndSignIn(page, stick);
    await page.evaluate(() => sessionStorage.setItem('typed-by-the-last-person', 'x'));
    await rm(stick, { recursive: true });
    await expect(appRoot(page)).toHaveAttribute('data-screen', 'kiosk-start', { timeout: 20_000 });
    expect(await leftBehind(page)).toEqual({ session: [], local: [] });
    await page.locator('[data-action="kiosk-start"]').click();
    await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  } finally {
    await rm(stick, { recursive: true, force: true });
  }
});
