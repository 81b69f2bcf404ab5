/**
 * Keys named by reference instead of by file path, and the sources that list and open them: a
 * folder of .p12 files (file-source.ts) or the PKCS#11 tokens of configured modules
 * (../pkcs11/token-source.ts). What crosses to a window is a KeyRef and a ListedKey; what signs is a
 * KeyHandle, which never leaves main. docs/tokens.md describes the whole.
 */
import type { X509Certificate } from 'node:crypto';
import { SigningError, type PinTries, type SigningErrorCode } from '../errors.ts';
import type { CertificateInfo, Signer, ValidityStatus } from '../types.ts';

/**
 * A key, by where it lives. Both kinds carry the SHA-256 fingerprint of the certificate the user
 * chose, so that a file replaced or a token swapped in the same slot since the listing is refused
 * instead of signing with someone else's key.
 */
export type KeyRef = FileKeyRef | TokenKeyRef;

export interface FileKeyRef {
  kind: 'file';
  /** The .p12/.pfx file. */
  path: string;
  /** Index of the key inside its container. */
  index: number;
  /** SHA-256 of the certificate's DER, upper-case hex (CertificateInfo.fingerprintSha256). */
  certificate: string;
}

export interface TokenKeyRef {
  kind: 'token';
  /** The PKCS#11 module (a configured one: a source never loads a module it was not given). */
  module: string;
  /** The slot the token was in when listed (hex of the module's slot id): a hint, the token decides. */
  slot: string;
  /** The token's fingerprint (TokenInfo.fingerprint): the same token wherever it is plugged in. */
  token: string;
  /** CKA_ID of the certificate and its private key, hex. */
  id: string;
  certificate: string;
}

/** Where a listed key lives, for display. */
export type KeyStorage =
  | { kind: 'file'; path: string }
  | { kind: 'token'; label: string; manufacturer: string; model: string; serial: string };

/** One key as a listing shows it: the certificate's details, never key material. */
export interface ListedKey extends CertificateInfo {
  ref: KeyRef;
  status: ValidityStatus;
  storage: KeyStorage;
  /** Why this key cannot sign in this program (a GOST key, a key that is not RSA), when it cannot. */
  problem?: { code: SigningErrorCode; message: string };
  /** The certificate itself (public), when the source read it: for a revocation check by the caller. */
  certificate?: X509Certificate;
}

/** A file or a token module that could not be read, and why. */
export interface SourceProblem {
  /** The file, or the module path. */
  where: string;
  code: SigningErrorCode;
  message: string;
}

export interface SourceListing {
  keys: ListedKey[];
  problems: SourceProblem[];
}

/** What the user is asked for, when a source needs it. */
export type SecretRequest =
  | { kind: 'password'; path: string }
  | {
      kind: 'pin';
      /** The token's label, for "Enter the PIN of ...". */
      token: string;
      /** Set when the token already warns that few tries (or one) are left. */
      pinTries?: PinTries;
    };

/**
 * Asks the user for a secret at the moment it is needed. The source owns the returned Buffer: it
 * zeroes it as soon as it has been used (even when the use fails), so the caller must hand over a
 * Buffer it does not read again. Throwing (the user cancelled) aborts the operation.
 */
export type AskSecret = (request: SecretRequest) => Promise<Buffer>;

/** An opened key: a Signer with what the caller needs around it. Lives in main only. */
export interface KeyHandle extends Signer {
  ref: KeyRef;
  info: CertificateInfo;
  /** Other certificates found beside the key (issuers), if any. */
  extraCertificates: X509Certificate[];
  /** Ends the token session (logs out); a file key has nothing to end. Safe to call twice. */
  close(): Promise<void>;
}

export interface KeySource<R extends KeyRef = KeyRef> {
  /** The keys this source holds; a file source asks for the password, a token source asks nothing. */
  list(askSecret: AskSecret, at?: Date): Promise<SourceListing>;
  /** Opens the key `ref` names, asking for its password or PIN through `askSecret`. */
  open(ref: R, askSecret: AskSecret): Promise<KeyHandle>;
}

/** Asks for a secret, lends it to `use` and zeroes it afterwards, whatever happens. */
export async function withSecret<T>(
  askSecret: AskSecret,
  request: SecretRequest,
  use: (secret: Buffer) => Promise<T> | T,
): Promise<T> {
  const secret = await askSecret(request);
  try {
    return await use(secret);
  } finally {
    secret.fill(0);
  }
}

export function keyNotFound(detail: string): SigningError {
  return new SigningError(
    'KEY_NOT_FOUND',
    `The chosen key is no longer there (${detail}): list the keys again.`,
  );
}
