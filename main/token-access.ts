/**
 * Main's hardware tokens (docs/tokens.md): the PKCS#11 modules main is configured with, in a worker
 * thread started on the first use (signing/pkcs11/in-worker.ts), so no token call runs on main's
 * event loop and no native module is loaded before the window asks for tokens. Module paths: the
 * vendors' usual install places that exist here, then the deployment's configured ones
 * (create-app-context.ts); never a path from the window.
 */
import type { AskSecret, KeyHandle, SourceListing, TokenKeyRef, TokenListing, TokensInWorkerOptions } from '../signing/index.ts';

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
  rescan(): Promise<void>;
  /** Finalises the modules; resolves once they are. */
  close(): Promise<void>;
}

export interface TokenAccessOptions extends Pick<TokensInWorkerOptions, 'apiModule' | 'timeoutsMs'> {
  /** Add the vendors' default module paths that exist on this computer (default true). */
  vendorDefaults?: boolean;
}

/** The real tokens, in the token worker (loaded on first use). */
export function tokenAccess(configured: readonly string[], options: TokenAccessOptions = {}): TokenAccess {
  type Worker = import('../signing/index.ts').TokensInWorker;
  let loading: Promise<Worker> | undefined;
  let loaded: Worker | undefined;
  const get = () =>
    (loading ??= import('../signing/index.ts').then(({ TokensInWorker }) => {
      loaded = new TokensInWorker({ ...options, modules: configured });
      return loaded;
    }));
  return {
    listTokens: async () => (await get()).listTokens(),
    listKeys: async (at) => (await get()).listKeys(at),
    open: async (ref, askSecret) => (await get()).open(ref, askSecret),
    // Nothing loaded yet: nothing to rescan (the first listing loads the modules).
    rescan: async () => loaded?.rescan(),
    close: async () => loaded?.close(),
  };
}
