/**
 * Main's hardware tokens (docs/tokens.md): the PKCS#11 modules main is configured with, loaded on
 * first use (signing/ and the native modules are not loaded at start), and the token key source over
 * them. Module paths: the vendors' usual install places that exist here, then the deployment's
 * configured ones (create-app-context.ts); never a path from the window.
 *
 * pkcs11js is synchronous apart from C_Sign: listing (C_GetSlotList, C_GetTokenInfo, certificate
 * look-ups) and login run on main's event loop; docs/tokens.md ("Main's event loop") says what that
 * costs. Signing itself runs in libuv's thread pool.
 */
import type { AskSecret, KeyHandle, SourceListing, TokenKeyRef, TokenListing } from '../signing/index.ts';

/** What main needs of the tokens (a fake in tests). */
export interface TokenAccess {
  /** The tokens plugged in, with their fingerprints (what the watcher compares). */
  listTokens(): Promise<TokenListing>;
  /** The certificates on every token, read without a PIN. */
  listKeys(at: Date): Promise<SourceListing>;
  /** Opens a token key, asking its PIN through `askSecret`. */
  open(ref: TokenKeyRef, askSecret: AskSecret): Promise<KeyHandle>;
  /**
   * Before each watcher look: a module that sees tokens come and go only when initialised again
   * (SoftHSM, the test token) has its idle modules finalised, so the look initialises them afresh.
   */
  rescan(): void;
  close(): void;
}

export interface TokenAccessOptions {
  /** Add the vendors' default module paths that exist on this computer (default true). */
  vendorDefaults?: boolean;
}

/** The real tokens: signing/'s Pkcs11Modules and tokenKeySource, loaded on first use. */
export function tokenAccess(configured: readonly string[], options: TokenAccessOptions = {}): TokenAccess {
  type Loaded = {
    modules: InstanceType<typeof import('../signing/index.ts').Pkcs11Modules>;
    source: ReturnType<typeof import('../signing/index.ts').tokenKeySource>;
    needsRescan: boolean;
  };
  let loading: Promise<Loaded> | undefined;
  let loaded: Loaded | undefined;
  const get = () =>
    (loading ??= import('../signing/index.ts').then(
      ({ Pkcs11Modules, tokenKeySource, defaultModulePaths, KNOWN_MODULES }) => {
        const defaults = options.vendorDefaults === false ? [] : defaultModulePaths();
        const modules = new Pkcs11Modules([...defaults, ...configured]);
        const testOnly = new Set(
          KNOWN_MODULES.filter((m) => m.testOnly).flatMap((m) => [...m.paths.linux, ...m.paths.win32]),
        );
        loaded = {
          modules,
          source: tokenKeySource(modules),
          needsRescan: modules.paths.some((p) => testOnly.has(p)),
        };
        return loaded;
      },
    ));
  const noPin = () => Promise.reject(new Error('a token listing asks no PIN'));
  return {
    listTokens: async () => {
      const { modules } = await get();
      // No module on this computer (none installed, none configured): "unavailable", not "no tokens".
      if (modules.paths.length === 0) return { tokens: [], problems: [{ where: 'pkcs11', code: 'TOKENS_UNAVAILABLE', message: 'no PKCS#11 module on this computer' }] };
      return modules.listTokens();
    },
    listKeys: async (at) => (await get()).source.list(noPin, at),
    open: async (ref, askSecret) => (await get()).source.open(ref, askSecret),
    rescan: () => {
      if (loaded?.needsRescan) loaded.modules.reload();
    },
    close: () => loaded?.modules.close(),
  };
}
