import { describe, expect, it } from 'vitest';
import { checkWindowOptions } from '../../main/electron/check-electron.ts';
import {
  APP_START_URL,
  REQUIRED_WEB_PREFERENCES,
  frameNavigationAllowed,
  isAppUrl,
  isTrustedSender,
  permissionAllowed,
  rendererRequestAllowed,
  windowOptions,
} from '../../main/window-options.ts';

describe('window options', () => {
  const options = windowOptions({ preloadPath: '/app/dist-electron/main/preload.cjs', packaged: true });
  const web = options.webPreferences!;

  it('isolates and sandboxes the renderer', () => {
    expect(web).toMatchObject({
      preload: '/app/dist-electron/main/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    });
  });

  it('meets every required web preference (the CI check agrees)', () => {
    expect(web).toMatchObject(REQUIRED_WEB_PREFERENCES);
    expect(checkWindowOptions()).toEqual([]);
  });

  it('has no remote module, and devtools only for an unpackaged run that asks', () => {
    expect(web).not.toHaveProperty('enableRemoteModule');
    expect(web.devTools).toBe(false);
    const devtools = (packaged: boolean, env: NodeJS.ProcessEnv) => windowOptions({ preloadPath: 'p', packaged, env }).webPreferences?.devTools;
    expect(devtools(true, { JOLDAMA_DEVTOOLS: '1' })).toBe(false);
    expect(devtools(false, { JOLDAMA_DEVTOOLS: '1' })).toBe(true);
    expect(devtools(false, {})).toBe(false);
  });

  it('kiosk mode: a fullscreen kiosk window without a frame that cannot be moved, minimised or closed, never with devtools', () => {
    const kiosk = windowOptions({ preloadPath: 'p', packaged: false, kiosk: true, env: { JOLDAMA_DEVTOOLS: '1' } });
    expect(kiosk).toMatchObject({ kiosk: true, fullscreen: true, frame: false, movable: false, minimizable: false, maximizable: false, closable: false, resizable: false });
    expect(kiosk.webPreferences).toMatchObject({ ...REQUIRED_WEB_PREFERENCES, devTools: false });
    expect(windowOptions({ preloadPath: 'p', packaged: false })).not.toHaveProperty('kiosk');
  });

  it('loads the app from app://joldama, not file://', () => {
    expect(APP_START_URL).toBe('app://joldama/index.html');
  });
});

describe('navigation and sender rules', () => {
  it.each([
    ['app://joldama/index.html', true],
    ['app://joldama/cabinet', true],
    ['app://evil/index.html', false],
    ['app://joldama.evil/index.html', false],
    ['app://user:pw@joldama/', false],
    ['file:///etc/passwd', false],
    ['https://joldama.example.kz/', false],
    ['http://127.0.0.1:1234/', false],
    ['javascript:alert(1)', false],
    ['', false],
    ['not a url', false],
  ])('isAppUrl(%s) = %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });

  it('trusts only the top frame showing the app', () => {
    expect(isTrustedSender({ url: 'app://joldama/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://joldama/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });

  it('lets the renderer load only its own files, never the network', () => {
    expect(rendererRequestAllowed('app://joldama/assets/index.js')).toBe(true);
    expect(rendererRequestAllowed('https://portal.example.kz/api/me')).toBe(false);
    expect(rendererRequestAllowed('http://127.0.0.1:8740/')).toBe(false);
    expect(rendererRequestAllowed('wss://127.0.0.1:13579/')).toBe(false);
    expect(rendererRequestAllowed('file:///etc/passwd')).toBe(false);
  });

  it('refuses every permission', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fileSystem']) {
      expect(permissionAllowed(p)).toBe(false);
    }
  });
});

describe('frame navigation', () => {
  it('lets only the top frame move, and only within the app', () => {
    expect(frameNavigationAllowed({ url: 'app://joldama/cabinet', isMainFrame: true })).toBe(true);
    expect(frameNavigationAllowed({ url: 'app://joldama/cabinet', isMainFrame: false })).toBe(false);
    expect(frameNavigationAllowed({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(frameNavigationAllowed({ url: 'https://evil.example/', isMainFrame: false })).toBe(false);
  });
});
