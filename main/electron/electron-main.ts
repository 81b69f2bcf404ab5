/**
 * Electron entry, kept thin: every decision lives in tested plain modules (window-options.ts,
 * launch-checks.ts, dispatch.ts, create-app-context.ts, renderer-files.ts, csp.ts); this file only
 * wires them. The crash reporter is never started: nothing is uploaded (main/README.md, crash dumps).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { EVENT_CHANNEL, IPC_CHANNEL } from '../../contract/contract.ts';
import { createAppContext } from '../create-app-context.ts';
import { RENDERER_HEADERS } from '../csp.ts';
import { createDispatch } from '../dispatch.ts';
import { createIpcHandler } from '../ipc-handler.ts';
import { refusedSwitch } from '../launch-checks.ts';
import { readRendererFile } from '../renderer-files.ts';
import { INSTALLER_CONFIG_FILE } from '../settings.ts';
import {
  APP_HOST,
  APP_SCHEME,
  APP_START_URL,
  frameNavigationAllowed,
  isAppUrl,
  permissionAllowed,
  rendererRequestAllowed,
  windowOptions,
} from '../window-options.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Built layout: dist-electron/main/{electron-main.js,preload.cjs}; renderer in renderer/dist. */
const rendererRoot = app.isPackaged ? path.join(app.getAppPath(), 'renderer', 'dist') : path.resolve(here, '../../renderer/dist');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();
// No application menu: no reload, devtools or zoom shortcuts from the default one.
Menu.setApplicationMenu(null);

const debugSwitch = refusedSwitch({ packaged: app.isPackaged, argv: process.argv, hasSwitch: (name) => app.commandLine.hasSwitch(name) });
if (debugSwitch) {
  console.error(`Joldama: refusing to run with --${debugSwitch}`);
  app.quit();
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Deny, for every web contents ever created: navigation away (of any frame), new windows, webviews.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (details) => {
      if (!frameNavigationAllowed(details)) details.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  // The app presents no client certificate and trusts no certificate Chromium refused (its page
  // loads app:// only; main reaches the portal with its own fetch, portal-fetch.ts).
  app.on('select-client-certificate', (event, _contents, _url, _list, callback) => {
    event.preventDefault();
    callback();
  });
  // The handler refuses (callback(false)); electronegativity asks for a review of any such handler.
  app.on('certificate-error', (event, _contents, _url, _error, _certificate, callback) => { // eng-disable CERTIFICATE_ERROR_EVENT_JS_CHECK
    event.preventDefault();
    callback(false);
  });

  app.whenReady().then(async () => {
    // Nothing is downloaded, and typed text is never sent to a spelling service or dictionary.
    session.defaultSession.on('will-download', (event) => event.preventDefault());
    session.defaultSession.setSpellCheckerEnabled(false);
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionAllowed(permission)));
    session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));
    session.defaultSession.webRequest.onBeforeRequest((details, callback) =>
      callback({ cancel: !rendererRequestAllowed(details.url) }),
    );

    protocol.handle(APP_SCHEME, async (request) => {
      const url = new URL(request.url);
      // Refusals carry the same headers as files (CSP, nosniff, no framing).
      if (url.host !== APP_HOST) return new Response(null, { status: 404, headers: RENDERER_HEADERS });
      const file = await readRendererFile(rendererRoot, url.pathname);
      if (file.status !== 200) return new Response(null, { status: file.status, headers: RENDERER_HEADERS });
      return new Response(new Uint8Array(file.body), { headers: { ...RENDERER_HEADERS, 'content-type': file.contentType } });
    });

    let context;
    try {
      context = await createAppContext({
        mode: 'electron',
        version: app.getVersion(),
        dataDir: app.getPath('userData'),
        // The portal's address: the installer's configuration (or the administrator's policy), never the window.
        installerConfigPath: app.isPackaged ? path.join(process.resourcesPath, INSTALLER_CONFIG_FILE) : null,
        pickKeyFile: async (startIn) => {
          const options: Electron.OpenDialogOptions = {
            properties: ['openFile'],
            filters: [{ name: 'PKCS#12', extensions: ['p12', 'pfx'] }],
            ...(startIn ? { defaultPath: startIn } : {}),
          };
          const picked = mainWindow
            ? await dialog.showOpenDialog(mainWindow, options)
            : await dialog.showOpenDialog(options);
          return picked.canceled ? null : (picked.filePaths[0] ?? null);
        },
      });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      dialog.showErrorBox('Joldama', `Joldama cannot start: ${typeof code === 'string' ? code : 'INTERNAL_ERROR'}`);
      app.quit();
      return;
    }
    const dispatch = createDispatch(context);

    const handleCall = createIpcHandler(dispatch);
    ipcMain.handle(IPC_CHANNEL, (event, name: unknown, input: unknown) => handleCall(event, name, input));

    // The options come from windowOptions(), which electronegativity cannot follow; they are
    // unit-tested and verified by check-electron.ts against REQUIRED_WEB_PREFERENCES instead.
    const options = windowOptions({ preloadPath: path.join(here, 'preload.cjs'), packaged: app.isPackaged });
    mainWindow = new BrowserWindow(options); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    // Main's events go to the window's top frame only (contract `events`, validated by the hub).
    const unsubscribe = context.events.subscribe((event) => mainWindow?.webContents.send(EVENT_CHANNEL, event));
    mainWindow.on('closed', () => {
      unsubscribe();
      mainWindow = null;
    });
    await mainWindow.loadURL(APP_START_URL);
  });

  app.on('window-all-closed', () => app.quit());
}
