/**
 * News that reaches the portal while the app is open shows without a refresh: the applicant takes
 * an application out of the queue elsewhere (the web portal, another computer); main's look at her
 * feed (cabinet-watch.ts; every 2 s here, 30 s in the app) finds the new entry and tells the window
 * (cabinet.changed), and the journal on screen shows the new status.
 */
import { expect, test } from '@playwright/test';
import { openSection } from './cabinet.ts';
import { demoKey, e2eInfo } from './env.ts';
import { logout, openApp, signIn, t } from './helpers.ts';
import { dequeueElsewhere, journalOf } from './portal-as.ts';

const lang = 'en' as const;

test('an application taken out of the queue elsewhere shows as such in the open journal, without a refresh', async ({ page }) => {
  const info = e2eInfo();
  // The first demo applicant with an application still in the queue (earlier specs use some).
  let found: { person: ReturnType<typeof demoKey>; row: { id: string; number: string } } | undefined;
  for (let nth = 0; !found; nth++) {
    const person = demoKey(info, { status: 'valid', purpose: 'AUTH', role: 'individual' }, nth);
    const row = (await journalOf(info, person)).find((r) => r.status === 'in_queue');
    if (row) found = { person, row };
  }
  const { person, row } = found;

  await openApp(page, lang);
  await signIn(page, lang, person.folder, info.index.password);
  await openSection(page, 'journal');
  const shown = page.locator('.journal-row', { hasText: row.number });
  await expect(shown.locator('[data-status]')).toHaveAttribute('data-status', 'in_queue');

  await dequeueElsewhere(info, person, row.id, 'The family moved to another city');
  await expect(shown.locator('[data-status]')).toHaveAttribute('data-status', 'dequeued');
  await expect(shown).toContainText(t(lang).statuses.dequeued);
  await logout(page, lang);
});
