/**
 * The thin Electron entry, wired against a recording stand-in of the `electron` module (the
 * binary is not installed here): what it registers, and that its handlers deny what they must.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Fn = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const appEvents: Record<string, Fn> = {};
  const windows: { options: Record<string, unknown>; loadURL: ReturnType<typeof vi.fn>; sent: unknown[][]; events: Record<string, Fn> }[] = [];
  const state = {
    appEvents,
    windows,
    schemes: [] as unknown[],
    protocolHandler: undefined as undefined | ((request: Request) => Promise<Response>),
    ipc: {} as Record<string, Fn>,
    permissionRequest: undefined as undefined | Fn,
    permissionCheck: undefined as undefined | Fn,
    beforeRequest: undefined as undefined | Fn,
    sessionEvents: {} as Record<string, Fn>,
    dataDir: '',
    ready: undefined as undefined | Promise<void>,
    resolveReady: () => {},
    context: undefined as undefined | import("../../main/context.ts").MainContext,
  };
  state.ready = new Promise<void>((resolve) => (state.resolveReady = resolve));
  class BrowserWindow {
    loadURL = vi.fn(async () => {
      state.resolveReady();
    });
    sent: unknown[][] = [];
    events: Record<string, Fn> = {};
    webContents = { send: (...args: unknown[]) => this.sent.push(args), navigationHistory: { clear: vi.fn() } };
    constructor(options: Record<string, unknown>) {
      windows.push({ options, loadURL: this.loadURL, sent: this.sent, events: this.events });
    }
    once() {}
    on(event: string, fn: Fn) {
      this.events[event] = fn;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
  }
  const electron = {
    app: {
      isPackaged: false,
      commandLine: { hasSwitch: vi.fn(() => false) },
      enableSandbox: vi.fn(),
      requestSingleInstanceLock: vi.fn(() => true),
      on: (event: string, fn: Fn) => (appEvents[event] = fn),
      whenReady: () => Promise.resolve(),
      getVersion: () => '0.1.0-test',
      getPath: () => state.dataDir,
      getAppPath: () => '/nowhere',
      quit: vi.fn(),
    },
    BrowserWindow,
    Menu: { setApplicationMenu: vi.fn() },
    dialog: { showOpenDialog: vi.fn(), showErrorBox: vi.fn() },
    ipcMain: { handle: (channel: string, fn: Fn) => (state.ipc[channel] = fn) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => state.schemes.push(...schemes),
      handle: (_scheme: string, fn: (request: Request) => Promise<Response>) => (state.protocolHandler = fn),
    },
    session: {
      defaultSession: {
        on: (event: string, fn: Fn) => (state.sessionEvents[event] = fn),
        setSpellCheckerEnabled: vi.fn(),
        clearStorageData: vi.fn(async () => undefined),
        clearCache: vi.fn(async () => undefined),
        clearAuthCache: vi.fn(async () => undefined),
        clearCodeCaches: vi.fn(async () => undefined),
        setPermissionRequestHandler: (fn: Fn) => (state.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => (state.permissionCheck = fn),
        webRequest: { onBeforeRequest: (fn: Fn) => (state.beforeRequest = fn) },
      },
    },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));
// The real context, kept where the tests can emit main's events through it.
vi.mock('../../main/create-app-context.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/create-app-context.ts')>();
  return {
    ...real,
    createAppContext: async (...args: Parameters<typeof real.createAppContext>) => {
      const context = await real.createAppContext(...args);
      fake.state.context = context;
      return context;
    },
  };
});

const { state } = fake;

beforeAll(async () => {
  state.dataDir = mkdtempSync(path.join(os.tmpdir(), 'joldama-electron-'));
  process.env.JOLDAMA_POLICY_FILE = path.join(state.dataDir, 'no-policy.json');
  await import('../../main/electron/electron-main.ts');
  await state.ready;
});

afterAll(() => {
  delete process.env.JOLDAMA_POLICY_FILE;
  rmSync(state.dataDir, { recursive: true, force: true });
});

describe('electron-main wiring', () => {
  it('takes the single-instance lock, enables the sandbox, registers app:// as a secure scheme', () => {
    expect(fake.electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fake.electron.app.enableSandbox).toHaveBeenCalled();
    expect(state.schemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ secure: true, standard: true }) })]);
    expect(state.appEvents['second-instance']).toBeTypeOf('function');
  });

  it('opens one isolated, sandboxed window on app://joldama with the bundled preload', () => {
    expect(state.windows).toHaveLength(1);
    const prefs = state.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(state.windows[0]!.loadURL).toHaveBeenCalledWith('app://joldama/index.html');
  });

  it('has no application menu, no spellchecker, and refuses downloads', () => {
    expect(fake.electron.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(fake.electron.session.defaultSession.setSpellCheckerEnabled).toHaveBeenCalledWith(false);
    const download = { preventDefault: vi.fn() };
    state.sessionEvents['will-download']!(download, {}, {});
    expect(download.preventDefault).toHaveBeenCalled();
  });

  it('presents no client certificate and trusts no certificate Chromium refused', () => {
    const select = { preventDefault: vi.fn() };
    const chosen = vi.fn();
    state.appEvents['select-client-certificate']!(select, {}, 'https://portal.kz/', [{ subjectName: 'CN=x' }], chosen);
    expect(select.preventDefault).toHaveBeenCalled();
    expect(chosen).toHaveBeenCalledWith();
    const trusted = vi.fn();
    state.appEvents['certificate-error']!({ preventDefault: vi.fn() }, {}, 'https://portal.kz/', 'net::ERR_CERT_AUTHORITY_INVALID', {}, trusted, true);
    expect(trusted).toHaveBeenCalledWith(false);
  });

  it('denies navigation away, new windows and webviews in every web contents', () => {
    const listeners: Record<string, Fn> = {};
    let openHandler: Fn = () => undefined;
    const contents = { on: (event: string, fn: Fn) => (listeners[event] = fn), setWindowOpenHandler: (fn: Fn) => (openHandler = fn) };
    state.appEvents['web-contents-created']!({}, contents);
    const event = () => ({ preventDefault: vi.fn() });
    const away = event();
    listeners['will-navigate']!(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = event();
    listeners['will-navigate']!(inside, 'app://joldama/cabinet');
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const redirect = event();
    listeners['will-redirect']!(redirect, 'file:///etc/passwd');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const frame = (url: string, isMainFrame: boolean) => ({ url, isMainFrame, preventDefault: vi.fn() });
    const subframe = frame('app://joldama/index.html', false);
    listeners['will-frame-navigate']!(subframe);
    expect(subframe.preventDefault).toHaveBeenCalled();
    const topAway = frame('https://evil.example/', true);
    listeners['will-frame-navigate']!(topAway);
    expect(topAway.preventDefault).toHaveBeenCalled();
    const topInside = frame('app://joldama/cabinet', true);
    listeners['will-frame-navigate']!(topInside);
    expect(topInside.preventDefault).not.toHaveBeenCalled();
    const webview = event();
    listeners['will-attach-webview']!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(openHandler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    // Not a kiosk: reload is blocked, other shortcuts and the context menu are left alone.
    const reload = event();
    listeners['before-input-event']!(reload, { type: 'keyDown', key: 'r', control: true, shift: false, alt: false, meta: false });
    expect(reload.preventDefault).toHaveBeenCalled();
    const fullscreen = event();
    listeners['before-input-event']!(fullscreen, { type: 'keyDown', key: 'F11', control: false, shift: false, alt: false, meta: false });
    expect(fullscreen.preventDefault).not.toHaveBeenCalled();
  });

  it('offers main an end-of-session wipe (Chromium storage and caches, history), not run at an ordinary start', async () => {
    const browser = fake.electron.session.defaultSession;
    expect(browser.clearStorageData).not.toHaveBeenCalled();
    expect(await state.context!.endSession!()).toEqual([]);
    expect(browser.clearStorageData).toHaveBeenCalledOnce();
    expect(browser.clearCache).toHaveBeenCalledOnce();
    browser.clearStorageData.mockClear();
    browser.clearCache.mockClear();
  });

  it('refuses permissions and renderer network requests', () => {
    const callback = vi.fn();
    state.permissionRequest!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(state.permissionCheck!({}, 'geolocation')).toBe(false);
    const request = vi.fn();
    state.beforeRequest!({ url: 'https://portal.example.kz/api/me' }, request);
    expect(request).toHaveBeenCalledWith({ cancel: true });
  });

  it('serves only app://joldama files and refuses traversal, refusals with the security headers too', async () => {
    for (const [url, status] of [
      ['app://other/index.html', 404],
      ['app://joldama/no-such-file.js', 404],
      ['app://joldama/..%2f..%2fpackage.json', 400],
    ] as const) {
      const response = await state.protocolHandler!(new Request(url));
      expect(response.status, url).toBe(status);
      expect(response.headers.get('content-security-policy'), url).toContain("default-src 'none'");
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), url).toBe('DENY');
    }
  });

  it("sends main's events to the window, and stops when it closes", () => {
    const window = state.windows[0]!;
    state.context!.events.emit('cabinet.changed', { latestEventId: '3' });
    expect(window.sent).toEqual([['joldama:event', { name: 'cabinet.changed', payload: { latestEventId: '3' } }]]);
    window.events['closed']!();
    state.context!.events.emit('session.ended', { reason: 'expired' });
    expect(window.sent).toHaveLength(1);
  });

  it('answers IPC calls from the app frame only', async () => {
    const handle = state.ipc['joldama:call']!;
    expect(await handle({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'app.info', {})).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await handle({ senderFrame: { url: 'app://joldama/index.html', parent: null } }, 'app.info', {})).toMatchObject({
      ok: true,
      value: { mode: 'electron', version: '0.1.0-test' },
    });
  });
});

describe('a packaged build started with a remote-debugging switch', () => {
  it('quits before taking the single-instance lock or opening a window', async () => {
    vi.resetModules();
    const { app } = fake.electron;
    app.isPackaged = true;
    app.quit.mockClear();
    app.requestSingleInstanceLock.mockClear();
    const windowsBefore = state.windows.length;
    const argv = process.argv;
    process.argv = [...argv, '--remote-debugging-port=9222'];
    const resources = process.env.JOLDAMA_RESOURCES;
    process.env.JOLDAMA_RESOURCES = '/home/someone/my-own-trust';
    Object.assign(process, { resourcesPath: '/opt/Joldama/resources' });
    try {
      await import('../../main/electron/electron-main.ts');
      // Its trust store is the one it ships, whatever the environment said.
      expect(process.env.JOLDAMA_RESOURCES).toBe('/opt/Joldama/resources');
    } finally {
      process.argv = argv;
      app.isPackaged = false;
      if (resources === undefined) delete process.env.JOLDAMA_RESOURCES;
      else process.env.JOLDAMA_RESOURCES = resources;
    }
    expect(app.quit).toHaveBeenCalled();
    expect(app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(state.windows).toHaveLength(windowsBefore);
  });
});

describe('starting under an administrator policy (JOLDAMA_POLICY_FILE: an unpackaged run)', () => {
  async function start(policy: string) {
    vi.resetModules();
    state.ready = new Promise<void>((resolve) => (state.resolveReady = resolve));
    process.env.JOLDAMA_POLICY_FILE = path.join(state.dataDir, 'policy.json');
    writeFileSync(process.env.JOLDAMA_POLICY_FILE, policy);
    fake.electron.app.quit.mockClear();
    fake.electron.dialog.showErrorBox.mockClear();
    const windowsBefore = state.windows.length;
    await import('../../main/electron/electron-main.ts');
    return windowsBefore;
  }

  it('kiosk: a kiosk window, the last session wiped before it opens, shortcuts and the context menu blocked', async () => {
    await start(JSON.stringify({ kiosk: true, settings: { portalUrl: 'https://portal.gov.kz' } }));
    await state.ready;
    expect(state.windows.at(-1)!.options).toMatchObject({ kiosk: true, fullscreen: true, closable: false });
    expect((state.windows.at(-1)!.options.webPreferences as Record<string, unknown>).devTools).toBe(false);
    expect(fake.electron.session.defaultSession.clearStorageData).toHaveBeenCalled();
    const listeners: Record<string, Fn> = {};
    state.appEvents['web-contents-created']!({}, { on: (e: string, fn: Fn) => (listeners[e] = fn), setWindowOpenHandler: () => {}, closeDevTools: vi.fn() });
    for (const key of ['F4', 'F11']) {
      const event = { preventDefault: vi.fn() };
      listeners['before-input-event']!(event, { type: 'keyDown', key, control: false, shift: false, alt: key === 'F4', meta: false });
      expect(event.preventDefault, key).toHaveBeenCalled();
    }
    const menu = { preventDefault: vi.fn() };
    listeners['context-menu']!(menu, {});
    expect(menu.preventDefault).toHaveBeenCalled();
  });

  it('an invalid policy: the error box says why, the app quits, no window opens', async () => {
    const before = await start(JSON.stringify({ kiosk: true }));
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalled());
    expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledWith('Joldama', expect.stringMatching(/POLICY_INVALID[\s\S]*settings\.portalUrl/));
    expect(state.windows).toHaveLength(before);
  });
});
