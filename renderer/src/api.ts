/**
 * The one client the UI uses to reach main, whichever the transport:
 * - Electron: preload's `window.joldama` (IPC);
 * - browser mode: main's bridge client (POST /api/rpc/<name> with a bearer token). The token
 *   arrives once in the URL fragment (#token=...); it is kept in sessionStorage for this tab
 *   only (so a reload still works) and removed from the address bar and history.
 * Both give a JoldamaApi whose calls never throw: failures are `{ ok: false, error: { code } }`.
 */
import { createBridgeApi, createBridgeEvents, tokenFromFragment } from '../../contract/bridge-client.ts';
import type { RawEvents } from '../../contract/channels.ts';
import { validatedEvents, type JoldamaApi, type JoldamaEvents } from '../../contract/contract.ts';

declare global {
  interface Window {
    /** Electron's preload: the calls, and main's events unchecked (validated here). */
    joldama?: JoldamaApi & RawEvents;
  }
}

export const TOKEN_KEY = 'joldama.token';

/** Where the browser-mode token lives: the fragment once, then this tab's session storage. */
export interface TokenPlace {
  hash: string;
  clearHash: () => void;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

export function takeBrowserToken(place: TokenPlace): string | null {
  const fromUrl = tokenFromFragment(place.hash);
  if (fromUrl) {
    place.storage.setItem(TOKEN_KEY, fromUrl);
    place.clearHash();
  }
  return place.storage.getItem(TOKEN_KEY);
}

/** Pick the transport once at start-up: calls to main, and main's events. */
export function createApi(): { api: JoldamaApi; events: JoldamaEvents } {
  if (window.joldama) return { api: window.joldama, events: validatedEvents(window.joldama) };
  const token = takeBrowserToken({
    hash: window.location.hash,
    clearHash: () => window.history.replaceState(null, '', window.location.pathname + window.location.search),
    storage: window.sessionStorage,
  });
  // Without a token every call answers FORBIDDEN_SENDER, which the start screen shows.
  return { api: createBridgeApi(token ?? ''), events: createBridgeEvents(token ?? '') };
}
