/**
 * Kiosk mode (docs/kiosk.md), with an app of its own under a kiosk policy (serve-demo.ts --kiosk:
 * Kazakh and Russian only, a 60 s idle timeout, key files from removable media only): the start
 * screen; a key on the hard disk is refused as "not on a USB stick", the same key on the stick
 * (the app's removable-media folder, serve-demo.ts) signs in and the person gets their referral;
 * "End session" ends it; one person signs in, leaves the screen alone and sees the countdown, keeps
 * the session, then walks away and the session ends by itself. After either, the next person
 * inspects every screen they can reach without signing in, the window's storage and main's state,
 * and finds nothing of the last one. Pulling out the USB medium holding the key ends it too.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createBridgeApi, tokenFromFragment } from '../../contract/bridge-client.ts';
import { startDemoAppProcess, type DemoAppProcess } from './demo-app-process.ts';
import type { E2eInfo } from './env.ts';
import { appRoot, expectError, keyDialog, loadKeys, openKeyDialog, pressSign, reachHome, screenshot, signIn, SIZES, t, expectAccessible } from './helpers.ts';

test.use({ viewport: SIZES[0] });

let app: DemoAppProcess;
let dataDir: string;
/** The person's USB stick: their key folder copied onto the app's removable media. */
let stick: string;
test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'joldama-e2e-kiosk-'));
  app = await startDemoAppProcess(['--data-dir', dataDir, '--kiosk']);
  stick = path.join(app.info.removableMedia, 'KINGSTON');
  await cp(keyFolder(app.info), stick, { recursive: true });
});
test.afterAll(async () => {
  await app?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function person(info: E2eInfo) {
  return info.index.keys.find((k) => k.role === 'individual' && k.status === 'valid')!;
}

/** The person's key folder on the hard disk (the demo keys). */
function keyFolder(info: E2eInfo): string {
  return path.dirname(path.join(info.demoKeysFolder, person(info).file));
}

const LANGUAGE_NAMES = { kk: 'Қазақша', ru: 'Русский' } as const;

async function startAndSignIn(page: Page, folder = stick, lang: 'kk' | 'ru' = 'kk'): Promise<void> {
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'kiosk-start');
  await page.locator('.kiosk-languages').getByRole('button', { name: LANGUAGE_NAMES[lang] }).click();
  await page.locator('[data-action="kiosk-start"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  await signIn(page, lang, folder, app.info.index.password);
}

/** What the last person left that could be recognised on a screen: their name, IIN, key folder. */
interface Traces {
  name: string;
  iin: string;
  keyFolder: string;
}

async function tracesOf(page: Page): Promise<Traces> {
  const name = ((await page.locator('.nav-user-name').first().textContent()) ?? '').trim();
  expect(name.length).toBeGreaterThan(3);
  return { name, iin: person(app.info).iin, keyFolder: stick };
}

/** Nothing of `traces` on the screen: not in its text, not in any field. */
async function expectScreenClean(page: Page, traces: Traces, where: string): Promise<void> {
  const body = page.locator('body');
  for (const trace of [traces.name, traces.iin, traces.keyFolder, 'KINGSTON']) await expect(body, `${where}: ${trace}`).not.toContainText(trace);
  const fields = await page.locator('input:not([type="radio"]):not([type="checkbox"]):not([type="button"]):not([type="submit"]), textarea').evaluateAll((els) =>
    els.map((e) => ({ name: e.getAttribute('aria-label') ?? e.id, value: (e as HTMLInputElement).value })),
  );
  expect(fields.filter((f) => f.value !== ''), `${where}: fields left filled`).toEqual([]);
}

/**
 * The second person, without signing in, inspects every screen the kiosk shows them (the start
 * screen in each language, the login screen, the key dialog: its path field, key list and
 * password) and finds nothing of the last person; the window's storage is empty and main holds no
 * session, no key folder, no language of theirs, no draft.
 */
async function expectNothingLeftFor(page: Page, traces: Traces): Promise<void> {
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'kiosk-start');
  // The kiosk's own language again (the last person chose another).
  await expect(page.locator('html')).toHaveAttribute('lang', /^kk/);
  await expectScreenClean(page, traces, 'start screen (kk)');
  await page.locator('.kiosk-languages').getByRole('button', { name: 'Русский' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', /^ru/);
  await expectScreenClean(page, traces, 'start screen (ru)');
  await page.locator('.kiosk-languages').getByRole('button', { name: 'Қазақша' }).click();
  await page.locator('[data-action="kiosk-start"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  await expect(page.getByRole('button', { name: t('kk').login.signInButton })).toBeVisible();
  await expectScreenClean(page, traces, 'login');
  const dialog = await openKeyDialog(page, 'kk');
  await expect(dialog.getByLabel(t('kk').keyDialog.storagePath)).toHaveValue('');
  await expect(dialog.getByLabel(t('kk').keyDialog.password, { exact: true })).toHaveValue('');
  await expect(dialog.getByRole('listbox').getByRole('option')).toHaveCount(0);
  await expectScreenClean(page, traces, 'key dialog');
  await page.keyboard.press('Escape');
  await expect(keyDialog(page)).toHaveCount(0);

  // The window's storage, every kind.
  const stored = await page.evaluate(async () => ({
    session: Object.keys(sessionStorage).filter((k) => k !== 'joldama.token'),
    local: Object.keys(localStorage),
    indexedDb: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    cookies: document.cookie,
  }));
  expect(stored).toEqual({ session: [], local: [], indexedDb: [], caches: [], cookies: '' });
  expect(await page.context().cookies()).toEqual([]);

  // Main, asked over the contract as the window asks it.
  const url = new URL(app.info.url);
  const api = createBridgeApi(tokenFromFragment(url.hash) ?? '', fetch, url.origin);
  expect(await api['auth.session']({})).toEqual({ ok: true, value: null });
  const settings = await api['settings.get']({});
  expect(settings.ok && { language: settings.value.language, lastKeyPath: settings.value.lastKeyPath }).toEqual({ language: 'kk', lastKeyPath: null });
  const offers = await api['cabinet.offers']({});
  expect(offers.ok ? 'answered' : offers.error.code).toBe('NOT_LOGGED_IN');
  const draft = await api['apply.draft']({});
  expect(JSON.stringify(draft)).not.toContain(traces.iin);
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
  await startAndSignIn(page, stick, 'ru');
  await expect(page.locator('[data-action="end-session"]')).toBeVisible();
  const traces = await tracesOf(page);
  await page.evaluate(() => {
    sessionStorage.setItem('typed-by-the-last-person', 'x');
    localStorage.setItem('typed-by-the-last-person', 'x');
  });

  // 60 s timeout, 20 s countdown: at 41 s idle the warning shows.
  await page.clock.fastForward(41_000);
  const warning = page.getByRole('alertdialog', { name: t('ru').kiosk.idleTitle });
  await expect(warning).toBeVisible();
  await expect(warning.getByRole('timer')).toContainText(/\b(1\d|20) с/);
  await expectAccessible(page, 'ru/idle-warning');
  await page.screenshot({ path: path.join('test-results', 'screenshots', 'ru', 'idle-warning-1280x800.png') });
  await warning.getByRole('button', { name: t('ru').kiosk.keepSession }).click();
  await expect(warning).toHaveCount(0);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');

  // Nobody comes back: the session ends and the window starts over, for the next person.
  await page.clock.fastForward(61_000);
  await expectNothingLeftFor(page, traces);
});

test('a key on the hard disk is refused; the key on the USB stick signs in and the referral is issued; "End session" leaves nothing', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(app.info.url);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'kiosk-start');
  await page.locator('[data-action="kiosk-start"]').click();
  // The same key, from the hard disk: main refuses the folder, the dialog says why in each language.
  const dialog = await openKeyDialog(page, 'kk');
  for (const lang of ['kk', 'ru'] as const) {
    await dialog.locator(`[data-lang="${lang}"]`).click();
    await loadKeys(page, lang, keyFolder(app.info), app.info.index.password);
    await expectError(dialog, lang, ['KEY_NOT_ON_REMOVABLE_MEDIA']);
    await expect(dialog.getByRole('listbox').getByRole('option')).toHaveCount(0);
    await screenshot(page, lang, 'kiosk-key-not-on-stick');
  }
  // From the stick, in Russian (chosen in the dialog): the whole referral journey.
  await loadKeys(page, 'ru', stick, app.info.index.password);
  await pressSign(page, 'ru');
  await reachHome(page, 'ru');
  const ru = t('ru');
  const traces = await tracesOf(page);
  await page.getByRole('button', { name: ru.cabinet.chooseKindergarten }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: ru.offer.ok }).click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'vacancies');
  await page.locator('.vacancy').first().getByRole('radio').check();
  await page.getByRole('button', { name: ru.vacancies.signAndSend }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: ru.confirm.yes }).click();
  await expect(keyDialog(page).getByRole('heading', { name: ru.keyDialog.signTitle, exact: true })).toBeVisible();
  await loadKeys(page, 'ru', stick, app.info.index.password);
  await expect(keyDialog(page).getByRole('listbox').getByRole('option', { selected: true })).toContainText(ru.keyDialog.purposeSign);
  await pressSign(page, 'ru');
  await expect(page.getByRole('heading', { name: ru.signing.doneTitle })).toBeVisible();
  await page.getByRole('button', { name: ru.signing.openDocuments }).click();
  await expect(page.locator('.verification')).toHaveAttribute('data-indication', 'TOTAL_PASSED');

  // Done: "End session", from the referral's documents.
  await page.locator('[data-action="end-session"]').click();
  await expectNothingLeftFor(page, traces);
});

// #16: the person pulls their USB stick out and leaves.
test('pulling out the USB medium with the key ends the whole session: the next person finds the start screen and nothing else', async ({ page }) => {
  const stick = path.join(app.info.removableMedia, 'STICK');
  await cp(keyFolder(app.info), stick, { recursive: true });
  try {
    await page.goto(app.info.url);
    await startAndSignIn(page, stick);
    const traces = { ...(await tracesOf(page)), keyFolder: stick };
    await page.evaluate(() => sessionStorage.setItem('typed-by-the-last-person', 'x'));
    await rm(stick, { recursive: true });
    await expect(appRoot(page)).toHaveAttribute('data-screen', 'kiosk-start', { timeout: 20_000 });
    await expectNothingLeftFor(page, traces);
  } finally {
    await rm(stick, { recursive: true, force: true });
  }
});
