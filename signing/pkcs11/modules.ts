/**
 * The PKCS#11 modules of this process: each configured module loaded and initialised once, on
 * first use, and the tokens they see. listTokens() is cheap enough to poll (one C_GetSlotList and
 * a C_GetTokenInfo per slot) and gives each token a fingerprint that stays the same while the token
 * stays plugged in and changes when another one takes its slot; a watcher compares the sets.
 * Some modules (SoftHSM) scan for tokens only in C_Initialize: reload() finalises the modules that
 * hold no open key, so the next listing initialises them again.
 */
import { createHash } from 'node:crypto';
import { SigningError, type PinTries } from '../errors.ts';
import type { SourceProblem } from '../keys/key-source.ts';
import {
  CK,
  ckrName,
  ckrOf,
  newPkcs11,
  type Handle,
  type Pkcs11Api,
  type Pkcs11TokenInfo,
} from './binding.ts';
import { uniqueModules } from './module-paths.ts';
import { pinTriesOf } from './token-errors.ts';

export interface TokenInfo {
  module: string;
  /** Slot id, hex (as the module numbers it; may change when the token is plugged in again). */
  slot: string;
  /** Stable identity of the token in this module: module, manufacturer, model, serial and label. */
  fingerprint: string;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  pinLocked: boolean;
  /** The token's warning that few tries (or one) are left. */
  pinTries?: PinTries;
  /** The PIN is typed on the reader's own keypad (CKF_PROTECTED_AUTHENTICATION_PATH), never sent by us. */
  pinPad?: true;
}

export interface TokenListing {
  tokens: TokenInfo[];
  /** Modules that could not be loaded or listed, and why. */
  problems: SourceProblem[];
}

export interface LoadedModule {
  path: string;
  api: Pkcs11Api;
  /** Sessions our open keys hold: a module with any is never finalised by reload(). */
  openSessions: number;
}

export interface Pkcs11ModulesOptions {
  /** Makes the binding object (tests wrap the real one to make a token misbehave). */
  newApi?: () => Pkcs11Api;
}

const trim = (value: string): string => value.replace(/[\s\0]+$/, '');

export function tokenFingerprint(module: string, info: Pkcs11TokenInfo): string {
  const identity = [module, info.manufacturerID, info.model, info.serialNumber, info.label]
    .map(trim)
    .join('\0');
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

export class Pkcs11Modules {
  readonly paths: readonly string[];
  private readonly loaded = new Map<string, LoadedModule>();
  private readonly newApi: () => Pkcs11Api;

  constructor(paths: readonly string[], options: Pkcs11ModulesOptions = {}) {
    this.paths = uniqueModules(paths);
    this.newApi = options.newApi ?? newPkcs11;
  }

  has(path: string): boolean {
    return this.paths.includes(path);
  }

  /** The module at `path`, loaded and initialised on first use. */
  module(path: string): LoadedModule {
    const existing = this.loaded.get(path);
    if (existing) return existing;
    if (!this.has(path))
      throw new SigningError('KEY_NOT_FOUND', `The token module is not configured: ${path}`);
    const api = this.newApi();
    try {
      api.load(path);
    } catch (e) {
      throw new SigningError(
        'TOKEN_FAILURE',
        `The token module cannot be loaded: ${path} (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    try {
      // OS locking: signing runs in libuv's threads while the event loop may list tokens.
      api.C_Initialize({ flags: CK.CKF_OS_LOCKING_OK });
    } catch (e) {
      if (ckrOf(e) !== CK.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        api.close();
        throw new SigningError('TOKEN_FAILURE', `The token module failed to start: ${path} (${ckrName(e)})`);
      }
    }
    const module: LoadedModule = { path, api, openSessions: 0 };
    this.loaded.set(path, module);
    return module;
  }

  /** Every token present in every configured module. */
  async listTokens(): Promise<TokenListing> {
    const listing: TokenListing = { tokens: [], problems: [] };
    for (const path of this.paths) {
      try {
        const { api } = this.module(path);
        for (const slot of api.C_GetSlotList(true)) {
          let info: Pkcs11TokenInfo;
          try {
            info = api.C_GetTokenInfo(slot);
          } catch {
            continue; // the token left between the two calls
          }
          // A blank token (SoftHSM always offers one) holds no key and cannot open a session.
          if (!(info.flags & CK.CKF_TOKEN_INITIALIZED)) continue;
          listing.tokens.push(describeToken(path, slot, info));
        }
      } catch (e) {
        const error =
          e instanceof SigningError
            ? e
            : new SigningError('TOKEN_FAILURE', `The token module did not list its tokens (${ckrName(e)}).`);
        listing.problems.push({ where: path, code: error.code, message: error.message });
      }
    }
    return listing;
  }

  /** The slot now holding the token with `fingerprint` (looked for at `hint` first). */
  findToken(
    module: LoadedModule,
    fingerprint: string,
    hint?: string,
  ): { slot: Handle; info: Pkcs11TokenInfo } | undefined {
    const slots = module.api.C_GetSlotList(true);
    const ordered = [
      ...slots.filter((s) => s.toString('hex') === hint),
      ...slots.filter((s) => s.toString('hex') !== hint),
    ];
    for (const slot of ordered) {
      try {
        const info = module.api.C_GetTokenInfo(slot);
        if (tokenFingerprint(module.path, info) === fingerprint) return { slot, info };
      } catch {
        // gone meanwhile
      }
    }
    return undefined;
  }

  /** Whether the token with `fingerprint` has left `slot` (or can no longer be read there). */
  tokenGone(module: LoadedModule, slot: Handle, fingerprint: string): boolean {
    try {
      if (!(module.api.C_GetSlotInfo(slot).flags & CK.CKF_TOKEN_PRESENT)) return true;
      return tokenFingerprint(module.path, module.api.C_GetTokenInfo(slot)) !== fingerprint;
    } catch {
      return true;
    }
  }

  /** Finalises the modules that hold no open key, so that the next call initialises them afresh. */
  reload(): void {
    for (const module of [...this.loaded.values()]) {
      if (module.openSessions === 0) this.unload(module);
    }
  }

  /** Finalises every module (open keys stop working). */
  close(): void {
    for (const module of [...this.loaded.values()]) this.unload(module);
  }

  private unload(module: LoadedModule): void {
    this.loaded.delete(module.path);
    try {
      module.api.C_Finalize();
    } catch {
      // already gone
    }
    try {
      module.api.close();
    } catch {
      // already unloaded
    }
  }
}

function describeToken(module: string, slot: Handle, info: Pkcs11TokenInfo): TokenInfo {
  const pinTries = pinTriesOf(info.flags);
  return {
    module,
    slot: slot.toString('hex'),
    fingerprint: tokenFingerprint(module, info),
    label: trim(info.label),
    manufacturer: trim(info.manufacturerID),
    model: trim(info.model),
    serial: trim(info.serialNumber),
    pinLocked: (info.flags & CK.CKF_USER_PIN_LOCKED) !== 0,
    ...(pinTries ? { pinTries } : {}),
    ...(info.flags & CK.CKF_PROTECTED_AUTHENTICATION_PATH ? { pinPad: true as const } : {}),
  };
}
