/**
 * Ending one applicant's session on a shared computer (docs/kiosk.md "Session hygiene"): main
 * logs out and clears what it and Chromium keep (session.end), then the window clears its own web
 * storage and reloads, which drops every React state: typed passwords and PINs, drafts, the query
 * cache, the screen. Browser mode's bridge token is the one item kept (it is the app's, not the
 * applicant's: without it the reloaded page could not reach main).
 */
import type { JoldamaApi } from '../../../../contract/contract.ts';
import { TOKEN_KEY } from '../../api.ts';

export interface WindowState {
  session: Storage;
  local: Storage;
  reload: () => void;
}

export function clearWebStorage(state: Pick<WindowState, 'session' | 'local'>): void {
  const token = state.session.getItem(TOKEN_KEY);
  state.session.clear();
  state.local.clear();
  if (token !== null) state.session.setItem(TOKEN_KEY, token);
}

export async function endSession(api: JoldamaApi, state: WindowState = browserWindow()): Promise<void> {
  // Main's part may fail (portal unreachable); the window's part happens regardless.
  await api['session.end']({});
  clearWebStorage(state);
  state.reload();
}

function browserWindow(): WindowState {
  return { session: window.sessionStorage, local: window.localStorage, reload: () => window.location.reload() };
}
