/**
 * A key file on a removable medium: the test app takes one folder for its removable media
 * (serve-demo.ts; the real app asks the OS, removable-media.ts). A person's key folder is copied
 * onto it as a "USB stick", the person logs in with it, and the stick is removed: main's watcher
 * (key-medium.ts) sees it within a few seconds and the session ends with its own notice, in each
 * language.
 */
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoKey, e2eInfo } from './env.ts';
import { appRoot, chooseKey, LANGUAGES, loadKeys, openApp, openKeyDialog, pressSign, reachHome, t } from './helpers.ts';

for (const lang of LANGUAGES) {
  test(`removing the USB medium with the key file ends the session (${lang})`, async ({ page }) => {
    const info = e2eInfo();
    const key = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' });
    const stick = path.join(info.removableMedia, `STICK-${lang}`);
    await cp(key.folder, stick, { recursive: true });
    try {
      await openApp(page, lang);
      await openKeyDialog(page, lang);
      await loadKeys(page, lang, stick, info.index.password);
      await chooseKey(page, 'AUTH_RSA256_');
      await pressSign(page, lang);
      await reachHome(page, lang);

      // The session stays while the stick does (a few of the watcher's 2 s looks).
      await page.waitForTimeout(4_500);
      await expect(appRoot(page)).toHaveAttribute('data-screen', 'home');

      await rm(stick, { recursive: true });
      await expect(appRoot(page)).toHaveAttribute('data-screen', 'login', { timeout: 20_000 });
      await expect(page.getByRole('status').filter({ hasText: t(lang).login.mediumRemoved })).toBeVisible();
    } finally {
      await rm(stick, { recursive: true, force: true });
    }
  });
}
