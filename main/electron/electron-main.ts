/**
 * Electron entry, kept thin: every decision lives in tested plain modules (window-options.ts,
 * launch-checks.ts, dispatch.ts, create-app-context.ts, renderer-files.ts, csp.ts); this file only
 * wires them. The crash reporter is never started: nothing is uploaded (main/README.md, crash dumps).
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session } from 'electron';
import { EVENT_CHANNEL, IPC_CHANNEL } from '../../contract/contract.ts';
import { createAppContext } from '../create-app-context.ts';
import { RENDERER_HEADERS } from '../csp.ts';
import { createDispatch } from '../dispatch.ts';
import { createIpcHandler } from '../ipc-handler.ts';
import { inputBlocked } from '../kiosk-input.ts';
import { refusedSwitch } from '../launch-checks.ts';
import { loadPolicy, policyLocation } from '../policy/load.ts';
import { type FilePickerOptions, keyFilePicker, proofFilePicker, systemRemovableRoots } from '../removable-media.ts';
import { readRendererFile } from '../renderer-files.ts';
import { wipeSession } from '../session-wipe.ts';
import { INSTALLER_CONFIG_FILE } from '../settings.ts';
import { startupFailureText } from '../startup-failure.ts';
import { installedUpdateFacts, startUpdates, updateDecision } from '../updates.ts';
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
// A packaged app trusts the NCA certificates it ships (resources/trust beside app.asar:
// signing/trust/trust-store.ts reads JOLDAMA_RESOURCES), never a folder the environment names.
if (app.isPackaged) process.env.JOLDAMA_RESOURCES = process.resourcesPath;
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
  // Set from the administrator's policy once it is read (before any window exists).
  let kiosk = false;

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
    // Shortcuts that reload, go back, or (in kiosk mode) leave, close or open anything (kiosk-input.ts).
    contents.on('before-input-event', (event, input) => {
      if (inputBlocked(input, { kiosk })) event.preventDefault();
    });
    // Electron shows no context menu of its own; none may be added in kiosk mode either.
    contents.on('context-menu', (event) => {
      if (kiosk) event.preventDefault();
    });
    contents.on('devtools-opened', () => {
      if (kiosk) contents.closeDevTools();
    });
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
      // Fail closed: a policy that cannot be read, is invalid or could have been planted stops the app (policy/load.ts).
      const policy = await loadPolicy(policyLocation({ platform: process.platform, packaged: app.isPackaged, env: process.env }));
      kiosk = policy.kiosk;
      /** One file through the system dialog, on removable media only when the policy says so. */
      const filePicking = (filter: Electron.FileFilter): FilePickerOptions => ({
        platform: process.platform,
        removableMediaOnly: policy.removableMediaOnly,
        removableRoots: () => systemRemovableRoots(),
        realpath: (p) => realpath(p),
        showOpenDialog: async (startIn) => {
          const options: Electron.OpenDialogOptions = {
            properties: ['openFile'],
            filters: [filter],
            ...(startIn ? { defaultPath: startIn } : {}),
          };
          const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
          return picked.canceled ? null : (picked.filePaths[0] ?? null);
        },
      });
      context = await createAppContext({
        mode: 'electron',
        version: app.getVersion(),
        dataDir: app.getPath('userData'),
        policy,
        // The portal's address: the installer's configuration (or the administrator's policy), never the window.
        installerConfigPath: app.isPackaged ? path.join(process.resourcesPath, INSTALLER_CONFIG_FILE) : null,
        pickKeyFile: keyFilePicker(filePicking({ name: 'PKCS#12', extensions: ['p12', 'pfx'] })),
        // The benefit proof: the kinds the portal takes (it judges the content, not the name).
        pickProofFile: proofFilePicker(filePicking({ name: 'JPEG, PNG, PDF', extensions: ['jpg', 'jpeg', 'png', 'pdf'] })),
      });
    } catch (e) {
      dialog.showErrorBox('Joldama', startupFailureText(e));
      app.quit();
      return;
    }
    const services = context; // (a const the closure can keep)
    context.endSession = () =>
      wipeSession({
        auth: services.auth,
        settings: services.settings,
        drafts: services.applications,
        ncalayer: services.ncalayer,
        browser: session.defaultSession,
        ...(mainWindow ? { history: mainWindow.webContents.navigationHistory } : {}),
      });
    // A kiosk starts clean: whatever a crash or power cut left of the last applicant's session goes.
    if (kiosk) {
      const failed = await context.endSession();
      if (failed.length > 0) console.error(`Joldama: clearing the last session at start failed: ${failed.join(', ')}`);
    }
    const dispatch = createDispatch(context);

    const handleCall = createIpcHandler(dispatch);
    ipcMain.handle(IPC_CHANNEL, (event, name: unknown, input: unknown) => handleCall(event, name, input));

    // The options come from windowOptions(), which electronegativity cannot follow; they are
    // unit-tested and verified by check-electron.ts against REQUIRED_WEB_PREFERENCES instead.
    const options = windowOptions({ preloadPath: path.join(here, 'preload.cjs'), packaged: app.isPackaged, kiosk });
    mainWindow = new BrowserWindow(options); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    // Main's events go to the window's top frame only (contract `events`, validated by the hub).
    const unsubscribe = context.events.subscribe((event) => mainWindow?.webContents.send(EVENT_CHANNEL, event));
    mainWindow.on('closed', () => {
      unsubscribe();
      mainWindow = null;
      // A site's request waiting for the window gets the cancel reply.
      services.ncalayer.cancelPending();
    });
    // The NCALayer service, when the user's setting or the policy says so (docs/ncalayer.md).
    await context.ncalayer.startIfEnabled();
    // Updates of a home install with a feed, never in a kiosk (updates.ts decides; docs/kiosk.md "Updates").
    const facts = app.isPackaged ? await installedUpdateFacts({ resourcesPath: process.resourcesPath, platform: process.platform, env: process.env }) : { feed: null, kind: 'other' as const, releaseKey: null };
    context.updates = startUpdates({
      decision: updateDecision({ packaged: app.isPackaged, kiosk, policyAllows: context.policy.updates, platform: process.platform, ...facts }),
      updater: async () => (await import('electron-updater')).autoUpdater,
      fetch: (url, init) => net.fetch(url, init),
      events: context.events,
      warn: (message) => console.error(`Joldama: ${message}`),
    });
    app.on('will-quit', () => {
      void services.ncalayer.stop();
      services.updates.stop();
    });
    await mainWindow.loadURL(APP_START_URL);
  });

  app.on('window-all-closed', () => app.quit());
}
