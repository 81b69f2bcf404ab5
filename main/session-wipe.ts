/**
 * Ending one applicant's session on a shared computer (kiosk mode's idle timeout, an "End
 * session" button, the key's medium removed): main's side of it. The window wipes its own fields
 * and returns to the start screen; this clears everything main and Chromium keep:
 * - the portal session: logged out at the portal (best effort) and the token forgotten;
 * - the application wizard's drafts, every applicant's (a kiosk's disk keeps nobody's);
 * - a site's signing request waiting in the window (cancelled) and the sites remembered for the
 *   NCALayer service;
 * - the last key folder and the language (unless the policy fixes them: the next person starts
 *   from the kiosk's own language);
 * - Chromium's storage for every origin (cookies, local and session storage, IndexedDB, service
 *   workers, cache storage), its HTTP cache, HTTP auth cache and code cache;
 * - the window's navigation history (going back must not show the previous screen).
 * Keys are never kept open between operations (signing-service.ts), so none is left to close.
 * Browser mode has no Chromium of its own to clear (`browser` absent): the window clears its own
 * storage there (renderer/src/features/kiosk/end-session.ts).
 * Every step runs even when one fails; the failed steps are returned (by name, for the log).
 */
import type { SettingsStore } from './settings.ts';

/** The parts of Electron's Session used (session.defaultSession). */
export interface BrowserData {
  clearStorageData(): Promise<void>;
  clearCache(): Promise<void>;
  clearAuthCache(): Promise<void>;
  clearCodeCaches(options: { urls?: string[] }): Promise<void>;
}

export interface WipeTargets {
  auth: { logout(): Promise<void> };
  settings: SettingsStore;
  /** The application wizard's drafts (application-service.ts). */
  drafts: { forgetAllDrafts(): Promise<void> };
  /** The NCALayer service: a site request waiting is cancelled, the remembered sites forgotten. */
  ncalayer?: { forgetSites(): Promise<void> };
  /** session.defaultSession; absent in browser mode. */
  browser?: BrowserData;
  /** webContents.navigationHistory, when a window is open. */
  history?: { clear(): void };
}

export async function wipeSession(targets: WipeTargets): Promise<string[]> {
  const steps: [string, () => Promise<unknown> | void][] = [
    ['portal session', () => targets.auth.logout()],
    ['preferences', () => targets.settings.reset()],
    ['application drafts', () => targets.drafts.forgetAllDrafts()],
    ['remembered sites', () => targets.ncalayer?.forgetSites()],
    ['storage', () => targets.browser?.clearStorageData()],
    ['cache', () => targets.browser?.clearCache()],
    ['auth cache', () => targets.browser?.clearAuthCache()],
    ['code cache', () => targets.browser?.clearCodeCaches({})],
    ['history', () => targets.history?.clear()],
  ];
  const failed: string[] = [];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch {
      failed.push(name);
    }
  }
  return failed;
}
