/**
 * The PKCS#11 binding, loaded lazily. We use pkcs11js (PeculiarVentures, MIT): a thin N-API
 * binding of the whole PKCS#11 2.40 C interface that reports each failure with its CKR code
 * (what we need to tell a wrong PIN from a locked one from a pulled-out token) and signs in
 * libuv's thread pool (the callback form of C_Sign). graphene-pk11 is an object layer by the same
 * authors on top of pkcs11js; it hides the return codes behind its own errors and adds nothing
 * we use. N-API keeps the addon's ABI stable across Node and Electron, so one build serves both.
 *
 * It is an optional dependency built from source at install: where it fails to build, require()
 * fails here, every token call says TOKENS_UNAVAILABLE and file keys work as before.
 * Only the calls we make are typed (Pkcs11Api), with the constants from the PKCS#11 specification.
 */
import { createRequire } from 'node:module';
import { SigningError } from '../errors.ts';

export type Handle = Buffer;

export interface Pkcs11Attribute {
  type: number;
  value?: number | boolean | string | Buffer;
}

export interface Pkcs11TokenInfo {
  label: string;
  manufacturerID: string;
  model: string;
  serialNumber: string;
  flags: number;
}

/** The part of pkcs11js's PKCS11 class this library calls. */
export interface Pkcs11Api {
  load(path: string): void;
  close(): void;
  C_Initialize(options?: { flags?: number }): void;
  C_Finalize(): void;
  C_GetSlotList(tokenPresent?: boolean): Handle[];
  C_GetSlotInfo(slot: Handle): { flags: number };
  C_GetTokenInfo(slot: Handle): Pkcs11TokenInfo;
  C_GetMechanismList(slot: Handle): number[];
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_Login(session: Handle, userType: number, pin?: string): void;
  C_Logout(session: Handle): void;
  C_FindObjectsInit(session: Handle, template: Pkcs11Attribute[]): void;
  C_FindObjects(session: Handle, maxObjectCount: number): Handle[];
  C_FindObjectsFinal(session: Handle): void;
  C_GetAttributeValue(session: Handle, object: Handle, template: Pkcs11Attribute[]): Pkcs11Attribute[];
  C_SignInit(session: Handle, mechanism: { mechanism: number; parameter?: Buffer }, key: Handle): void;
  C_Sign(
    session: Handle,
    data: Buffer,
    signature: Buffer,
    callback: (error: Error | null, signature: Buffer) => void,
  ): void;
}

/** Values from the PKCS#11 2.40 specification (pkcs11t.h). */
export const CK = {
  // return values
  CKR_GENERAL_ERROR: 0x5,
  CKR_FUNCTION_FAILED: 0x6,
  CKR_DEVICE_ERROR: 0x30,
  CKR_DEVICE_MEMORY: 0x31,
  CKR_DEVICE_REMOVED: 0x32,
  CKR_OBJECT_HANDLE_INVALID: 0x82,
  CKR_KEY_HANDLE_INVALID: 0x60,
  CKR_PIN_INCORRECT: 0xa0,
  CKR_PIN_INVALID: 0xa1,
  CKR_PIN_LEN_RANGE: 0xa2,
  CKR_PIN_EXPIRED: 0xa3,
  CKR_PIN_LOCKED: 0xa4,
  CKR_SESSION_CLOSED: 0xb0,
  CKR_SESSION_HANDLE_INVALID: 0xb3,
  CKR_TOKEN_NOT_PRESENT: 0xe0,
  CKR_TOKEN_NOT_RECOGNIZED: 0xe1,
  CKR_USER_ALREADY_LOGGED_IN: 0x100,
  CKR_USER_NOT_LOGGED_IN: 0x101,
  CKR_USER_PIN_NOT_INITIALIZED: 0x102,
  CKR_CRYPTOKI_ALREADY_INITIALIZED: 0x191,
  // flags
  CKF_TOKEN_PRESENT: 0x1,
  CKF_OS_LOCKING_OK: 0x2,
  CKF_SERIAL_SESSION: 0x4,
  CKF_PROTECTED_AUTHENTICATION_PATH: 0x100,
  CKF_TOKEN_INITIALIZED: 0x400,
  CKF_USER_PIN_COUNT_LOW: 0x10000,
  CKF_USER_PIN_FINAL_TRY: 0x20000,
  CKF_USER_PIN_LOCKED: 0x40000,
  CKF_USER_PIN_TO_BE_CHANGED: 0x80000,
  // users, objects, attributes, key types, mechanisms
  CKU_USER: 1,
  CKO_CERTIFICATE: 1,
  CKO_PRIVATE_KEY: 3,
  CKC_X_509: 0,
  CKA_CLASS: 0x0,
  CKA_LABEL: 0x3,
  CKA_VALUE: 0x11,
  CKA_CERTIFICATE_TYPE: 0x80,
  CKA_KEY_TYPE: 0x100,
  CKA_ID: 0x102,
  CKK_RSA: 0x0,
  CKM_RSA_PKCS: 0x1,
  CKM_SHA256_RSA_PKCS: 0x40,
} as const;

interface Pkcs11Module {
  PKCS11: new () => Pkcs11Api;
}

let loaded: { binding?: Pkcs11Module; reason?: string } | undefined;

/** A fresh, unloaded PKCS11 instance from pkcs11js; TOKENS_UNAVAILABLE when the addon is missing. */
export function newPkcs11(): Pkcs11Api {
  if (!loaded) {
    try {
      loaded = { binding: createRequire(import.meta.url)('pkcs11js') as Pkcs11Module };
    } catch (e) {
      loaded = { reason: e instanceof Error ? e.message.split('\n')[0] : String(e) };
    }
  }
  if (!loaded.binding) {
    throw new SigningError(
      'TOKENS_UNAVAILABLE',
      `Hardware tokens are unavailable on this computer: the PKCS#11 binding (pkcs11js) could not be loaded (${loaded.reason}). File keys still work.`,
    );
  }
  return new loaded.binding.PKCS11();
}

/** The CKR code of a pkcs11js error (Pkcs11Error carries it), or undefined for any other error. */
export function ckrOf(e: unknown): number | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'number' && code > 0 && /^CKR_/.test(e.message)) return code;
  return undefined;
}

/** "CKR_PIN_INCORRECT" etc. for messages and logs; the hex value when the binding gave no name. */
export function ckrName(e: unknown): string {
  if (e instanceof Error && /^CKR_\w+/.test(e.message)) return /^CKR_\w+/.exec(e.message)?.[0] ?? e.message;
  const code = ckrOf(e);
  return code === undefined ? 'unknown error' : `0x${code.toString(16)}`;
}
