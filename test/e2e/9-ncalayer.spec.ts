/**
 * The NCALayer-compatible service through the window (docs/ncalayer.md): the applicant turns it on
 * in Settings; a portal page (https://portal.test, served by Playwright's router) using the real
 * ncalayer-js-client asks to sign XML; the app's window shows the key dialog in its site-request
 * mode with the site's origin and the document readable (screenshots and axe in kk, ru and en);
 * the user picks the demo SIGN key and confirms, and the page gets a signature verifyXml accepts.
 * Cancel in the window gives the page NCALayer's cancel reply. The app serves the service on a
 * free port (serve-demo.ts); the page's browser context accepts its self-signed certificate.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { TrustStore } from '../../signing/trust/trust-store.ts';
import { verifyXml } from '../../signing/xml/verify.ts';
import { demoKey, e2eInfo } from './env.ts';
import { appRoot, chooseKey, keyDialog, loadKeys, openApp, openKeyDialog, pressSign, reachHome, screenshot, t } from './helpers.ts';

const PORTAL = 'https://portal.test';
const CLIENT_SCRIPT = createRequire(import.meta.url).resolve('ncalayer-js-client/ncalayer-client.js');
const XML = '<request xmlns="urn:portal"><child iin="150101500013">Әлия</child><kindergarten>№ 145</kindergarten></request>';

/** A portal page connected to the app's service with the real client. */
async function portalPage(browser: Browser, port: number): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  // Chromium asks before a public page reaches 127.0.0.1 (Local Network Access); the user allowed it.
  await context.grantPermissions(['local-network-access'], { origin: PORTAL }).catch(() => undefined);
  const page = await context.newPage();
  await page.route(`${PORTAL}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Portal</title>' }));
  await page.goto(`${PORTAL}/`);
  await page.addScriptTag({ path: CLIENT_SCRIPT });
  const version = await page.evaluate(async (url) => {
    const w = window as unknown as { client: { connect(): Promise<string> }; NCALayerClient: new (url: string, kmd: boolean) => { connect(): Promise<string> } };
    w.client = new w.NCALayerClient(url, false);
    return w.client.connect();
  }, `wss://127.0.0.1:${port}`);
  expect(version).toBe('1.2');
  return page;
}

/** Starts basicsSignXML in the page; the returned promise settles with its result or its rejection. */
function signInPage(page: Page): Promise<{ signed?: string[]; error?: string; canceledByUser?: boolean }> {
  return page.evaluate(async (xml) => {
    const w = window as unknown as { client: Record<string, (...a: unknown[]) => Promise<string[]>>; NCALayerClient: Record<string, unknown> };
    const C = w.NCALayerClient;
    try {
      return { signed: await w.client.basicsSignXML!(C.basicsStoragePKCS12, xml, C.basicsXMLParams, C.basicsSignerSignPerson, 'kk') };
    } catch (e) {
      return { error: String((e as Error).message), canceledByUser: Boolean((e as { canceledByUser?: boolean }).canceledByUser) };
    }
  }, XML);
}

const lang = 'kk' as const;
let port = 0;

test.describe.configure({ mode: 'serial' });

test('the applicant turns the service on in Settings; the trust step is shown', async ({ page }) => {
  const info = e2eInfo();
  const key = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' }, 1);
  await openApp(page, lang);
  await openKeyDialog(page, lang);
  await loadKeys(page, lang, key.folder, info.index.password);
  await chooseKey(page, 'AUTH_RSA256_');
  await pressSign(page, lang);
  await reachHome(page, lang);
  await page.locator('[data-section="settings"]').click();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'settings');

  const toggle = page.getByRole('checkbox', { name: t(lang).ncalayer.enable });
  await expect(toggle).not.toBeChecked();
  // The box follows main's answer (it stays off when the port is taken): click, then wait for it.
  await toggle.click();
  await expect(toggle).toBeChecked();
  const running = page.getByText(/wss:\/\/127\.0\.0\.1:\d+/);
  await expect(running).toBeVisible();
  port = Number(/:(\d+)$/.exec((await running.textContent()) ?? '')![1]);
  await expect(page.getByRole('heading', { name: t(lang).ncalayer.trustTitle })).toBeVisible();
  await page.getByRole('heading', { name: t(lang).ncalayer.settingsTitle }).scrollIntoViewIfNeeded();
  await screenshot(page, lang, 'ncalayer-settings');
});

test('a site asks to sign XML: the window shows the site and the document; the demo key signs; the page gets a valid signature', async ({ page, browser }) => {
  test.setTimeout(240_000);
  expect(port).toBeGreaterThan(0);
  const info = e2eInfo();
  await page.goto(info.url);
  await expect(appRoot(page)).not.toHaveAttribute('data-screen', 'loading');
  const portal = await portalPage(browser, port);
  const result = signInPage(portal);

  const dialog = keyDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('site-origin')).toHaveText(PORTAL);
  await expect(dialog.getByText('Әлия', { exact: true })).toBeVisible();
  await expect(dialog.getByText('request/child/@iin')).toBeVisible();
  for (const shown of ['kk', 'ru', 'en'] as const) {
    await dialog.locator(`[data-lang="${shown}"]`).click();
    await expect(dialog.getByText(t(shown).ncalayer.siteUnknown)).toBeVisible();
    await screenshot(page, shown, 'ncalayer-site-request');
  }
  await dialog.locator(`[data-lang="${lang}"]`).click();

  const signer = demoKey(info, { status: 'valid', purpose: 'SIGN', role: 'individual' }, 1);
  await loadKeys(page, lang, signer.folder, info.index.password);
  await chooseKey(page, 'RSA256_');
  await pressSign(page, lang);
  await expect(dialog).toBeHidden();

  const { signed, error } = await result;
  expect(error).toBeUndefined();
  expect(signed).toHaveLength(1);
  const ca = path.join(info.demoKeysFolder, 'ca');
  const pem = async (name: string) => new X509Certificate(await readFile(path.join(ca, name)));
  const trust = TrustStore.fromCertificates([await pem('demo-root.pem')], [await pem('demo-ca.pem')]);
  const report = await verifyXml(signed![0]!, { trust, revocation: false, purpose: 'SIGN' });
  expect(report.indication, report.errors.join('; ')).toBe('TOTAL_PASSED');
  await portal.context().close();
});

test('Cancel in the window gives the page NCALayer\'s cancel reply', async ({ page, browser }) => {
  const info = e2eInfo();
  await page.goto(info.url);
  await expect(appRoot(page)).not.toHaveAttribute('data-screen', 'loading');
  const portal = await portalPage(browser, port);
  const result = signInPage(portal);
  const dialog = keyDialog(page);
  await expect(dialog.getByTestId('site-origin')).toHaveText(PORTAL);
  await dialog.getByRole('button', { name: t(lang).keyDialog.cancel, exact: true }).click();
  await expect(dialog).toBeHidden();
  expect(await result).toMatchObject({ canceledByUser: true });
  await portal.context().close();
});
