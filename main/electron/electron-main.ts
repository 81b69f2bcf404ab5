/**
 * Electron entry, kept thin: every decision lives in tested plain modules (window-options.ts,
 * dispatch.ts, create-app-context.ts, renderer-files.ts, csp.ts); this file only wires them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { EVENT_CHANNEL, IPC_CHANNEL } from '../../contract/contract.ts';
import { createAppContext } from '../create-app-context.ts';
import { RENDERER_HEADERS } from '../csp.ts';
import { createDispatch } from '../dispatch.ts';
import { createIpcHandler } from '../ipc-handler.ts';
import { readRendererFile } from '../renderer-files.ts';
import { INSTALLER_CONFIG_FILE } from '../settings.ts';
import {
  APP_HOST,
  APP_SCHEME,
  APP_START_URL,
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

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Deny, for every web contents ever created: navigation away, new windows, webviews.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionAllowed(permission)));
    session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));
    session.defaultSession.webRequest.onBeforeRequest((details, callback) =>
      callback({ cancel: !rendererRequestAllowed(details.url) }),
    );

    protocol.handle(APP_SCHEME, async (request) => {
      const url = new URL(request.url);
      if (url.host !== APP_HOST) return new Response(null, { status: 404 });
      const file = await readRendererFile(rendererRoot, url.pathname);
      if (file.status !== 200) return new Response(null, { status: file.status });
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
    const options = windowOptions({ preloadPath: path.join(here, 'preload.cjs') });
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
