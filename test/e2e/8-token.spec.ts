/**
 * Login with a hardware token: an app of its own whose launcher names SoftHSM's PKCS#11 module
 * (JOLDAMA_PKCS11_MODULES, docs/tokens.md) and a SoftHSM token holding a demo AUTH key. The key
 * dialog's "Token / Kazakh ID card" lists the token's certificate without a PIN; a wrong PIN shows
 * the incorrect-PIN message with the token's few-tries warning (never another error); the right
 * PIN logs in; the referral is signed with the token's SIGN key (seed 003's «Қол қою» with a token
 * instead of a file); pulling the token out (its files deleted) ends the session with its own notice.
 */
import { expect, test, type Page } from '@playwright/test';
import { makeSoftHsm, USER_PIN, type SoftHsm } from '../helpers/softhsm.ts';
import { startDemoAppProcess, type DemoAppProcess } from './demo-app-process.ts';
import { demoKey } from './env.ts';
import { appRoot, expectError, keyDialog, openKeyDialog, pressSign, reachHome, t } from './helpers.ts';

const lang = 'kk' as const;
const kk = t(lang);
let app: DemoAppProcess | undefined;
let hsm: SoftHsm | undefined;
let key: ReturnType<typeof demoKey>;
let signKey: ReturnType<typeof demoKey>;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  hsm = makeSoftHsm();
  await hsm.makeToken('PERSONAL');
  app = await startDemoAppProcess([], { SOFTHSM2_CONF: `${hsm.dir}/softhsm2.conf`, JOLDAMA_PKCS11_MODULES: hsm.module });
  key = demoKey(app.info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
  signKey = demoKey(app.info, { status: 'valid', purpose: 'SIGN', role: 'individual' });
  // The applicant whose turn has come: both her keys on one token.
  expect(signKey.owner).toBe(key.owner);
  // Written before the window first asks for tokens: main loads the module then.
  await hsm.importP12('PERSONAL', key.path, app.info.index.password, '01');
  await hsm.importP12('PERSONAL', signKey.path, app.info.index.password, '02');
});

test.afterAll(async () => {
  await app?.stop();
  hsm?.cleanup();
});

async function openTokenList(page: Page) {
  await page.goto(app!.info.url);
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login');
  await page.locator(`.app-header [data-lang="${lang}"]`).click();
  const dialog = await openKeyDialog(page, lang);
  await dialog.getByLabel(kk.keyDialog.storageType).selectOption('token');
  const option = dialog.getByRole('listbox').getByRole('option', { selected: true });
  await expect(option).toContainText(key.owner);
  await expect(option).toContainText('Токен: PERSONAL');
  await expect(option).toContainText(kk.keyDialog.purposeAuth);
  // A key file's path is not asked for a token.
  await expect(dialog.getByLabel(kk.keyDialog.storagePath)).toHaveCount(0);
  return dialog;
}

test('log in with a token key and its PIN; a wrong PIN says so with the tries warning; sign the referral on the token; removing the token ends the session', async ({ page }) => {
  test.setTimeout(300_000);
  const dialog = await openTokenList(page);
  const pin = dialog.getByLabel(kk.keyDialog.pin, { exact: true });

  // No PIN: said here, nothing goes to the token.
  await pressSign(page, lang);
  await expect(dialog.getByText(kk.keyDialog.pinEmpty)).toBeVisible();

  await pin.fill('000000');
  await pressSign(page, lang);
  // SoftHSM raises "few tries left" after a wrong PIN: the incorrect-PIN message with that warning.
  await expectError(keyDialog(page), lang, ['PIN_INCORRECT_LOW']);

  await pin.fill(USER_PIN);
  await pressSign(page, lang);
  await reachHome(page, lang, 'token@example.kz');
  await expect(page.getByText(`${kk.keyDialog.iin}: ${key.iin}`)).toBeVisible();

  // Her offer: the notice, a place, «Растау», then the key dialog signs with the token's SIGN key.
  await page.getByRole('button', { name: kk.cabinet.chooseKindergarten }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: kk.offer.ok }).click();
  await page.locator('.vacancy').first().getByRole('radio').check();
  await page.getByRole('button', { name: kk.vacancies.signAndSend }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: kk.confirm.yes }).click();
  const signing = keyDialog(page);
  await expect(signing.getByRole('heading', { name: kk.keyDialog.signTitle, exact: true })).toBeVisible();
  await signing.getByLabel(kk.keyDialog.storageType).selectOption('token');
  // The token holds her AUTH key too: the dialog picks the one that may sign.
  await expect(signing.getByRole('listbox').getByRole('option', { selected: true })).toContainText(kk.keyDialog.purposeSign);
  await signing.getByLabel(kk.keyDialog.pin, { exact: true }).fill(USER_PIN);
  await pressSign(page, lang);
  await expect(page.getByRole('heading', { name: kk.signing.doneTitle })).toBeVisible({ timeout: 60_000 });

  // The token is pulled out: main's watcher sees it within a few seconds and ends the session.
  hsm!.removeTokens();
  await expect(appRoot(page)).toHaveAttribute('data-screen', 'login', { timeout: 20_000 });
  await expect(page.getByRole('status').filter({ hasText: kk.login.tokenRemoved })).toBeVisible();
});
