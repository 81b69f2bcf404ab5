/**
 * The BrowserWindow options and the rules for what the window may load, as pure functions so
 * they are unit-tested without Electron. electron-main.ts only wires them up.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** The renderer's own origin: app://joldama (a privileged standard scheme, see electron-main). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'joldama';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** The security-relevant webPreferences and the values they must have (checked in CI too). */
export const REQUIRED_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
  // Middle-click opening links in new windows; window.open is denied anyway.
  disableBlinkFeatures: 'Auxclick',
} as const);

export function windowOptions(options: {
  preloadPath: string;
  /** app.isPackaged: a packaged build never opens devtools. */
  packaged: boolean;
  title?: string;
  env?: NodeJS.ProcessEnv;
  /** The policy's kiosk mode: fullscreen, no frame, cannot be moved, minimised or closed from the window; never devtools. */
  kiosk?: boolean;
}): BrowserWindowConstructorOptions {
  const env = options.env ?? process.env;
  const kiosk = options.kiosk ?? false;
  return {
    ...(kiosk
      ? { kiosk: true, fullscreen: true, frame: false, resizable: false, movable: false, minimizable: false, maximizable: false, closable: false }
      : {}),
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    title: options.title ?? 'Joldama',
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      ...REQUIRED_WEB_PREFERENCES,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Devtools only for a developer's unpackaged run that asks for them, never in kiosk mode.
      devTools: !options.packaged && !kiosk && env.JOLDAMA_DEVTOOLS === '1',
    },
  };
}

/** True only for the app's own origin (exact scheme and host; no credentials, no port). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** A frame may navigate only when it is the top frame going to the app's own origin (the app has no frames). */
export function frameNavigationAllowed(details: { url: string; isMainFrame: boolean }): boolean {
  return details.isMainFrame && isAppUrl(details.url);
}

/**
 * Whether an IPC message may be dispatched: it must come from the top frame of our window and
 * that frame must show the app's own origin (not an injected iframe, not a navigated page).
 */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/**
 * Network requests a renderer may make: its own app:// files only (plus devtools when enabled).
 * The renderer talks to main over IPC; the portal is reached by main, never by the page.
 */
export function rendererRequestAllowed(url: string): boolean {
  return isAppUrl(url) || url.startsWith('devtools://');
}

/** Permission requests and checks: all refused (the app needs none). */
export function permissionAllowed(_permission: string): boolean {
  return false;
}
