/**
 * The release key's signature on an update (docs/kiosk.md, "Updates"): beside every package the
 * app may update itself from (the AppImage, the NSIS installer), the feed holds `<file>.sig`, an
 * Ed25519 signature made by scripts/release.mjs with the project's release key. Main checks it on
 * the downloaded file before it ever offers to install it (updates.ts); electron-updater's own
 * checks (the feed's SHA-512, on Windows Authenticode) come first and stay.
 *
 * What is signed is not the file itself (Ed25519 would need all of an AppImage in memory) but a
 * short statement naming it: a fixed label, the version the feed announces, and the file's SHA-512,
 * hashed as a stream. The version is in it so that an old package with its own valid signature
 * cannot be offered again as a newer one.
 *
 * Pure but for reading the file: node:crypto and node:fs only, used by main and by the release
 * script (through scripts/update-signing.ts).
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The label that starts every signed statement: a signature made for anything else never fits. */
export const SIGNED_LABEL = 'joldama-update-signature-v1';

/** A .sig is base64 of 64 bytes (88 characters) and a newline; anything much longer is refused unread. */
export const MAX_SIGNATURE_BYTES = 1024;

const ED25519_SIGNATURE_BYTES = 64;

/** Why an update's signature was refused. */
export type SignatureProblem =
  /** No .sig beside the file (or it could not be fetched). */
  | 'missing'
  /** The .sig is longer than MAX_SIGNATURE_BYTES. */
  | 'too-large'
  /** The .sig is not base64 of an Ed25519 signature. */
  | 'malformed'
  /** The signature does not verify with the release key: another key, another file or version. */
  | 'mismatch'
  /** The downloaded file could not be read. */
  | 'unreadable';

export type SignatureCheck = { ok: true } | { ok: false; problem: SignatureProblem };

/** The release key's public half (PEM, SPKI); throws unless it is an Ed25519 key. */
export function releasePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the release key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not Ed25519`);
  return key;
}

/** The SHA-512 of a file, read as a stream (an AppImage is ~150 MB). */
export async function fileSha512(file: string): Promise<Buffer> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest();
}

/** The statement a signature covers. */
export function signedStatement(version: string, sha512: Buffer): Buffer {
  return Buffer.from(`${SIGNED_LABEL}\nversion ${version}\nsha512 ${sha512.toString('hex')}\n`, 'utf8');
}

/** The release script's side: the .sig's text for `file` as version `version`. */
export async function signUpdateFile(file: string, version: string, privateKey: KeyObject): Promise<string> {
  return `${sign(null, signedStatement(version, await fileSha512(file)), privateKey).toString('base64')}\n`;
}

/** The .sig's bytes → the signature, or why not. */
export function parseSignature(bytes: Uint8Array): { ok: true; signature: Buffer } | { ok: false; problem: 'too-large' | 'malformed' } {
  if (bytes.byteLength > MAX_SIGNATURE_BYTES) return { ok: false, problem: 'too-large' };
  const text = Buffer.from(bytes).toString('latin1').trim();
  if (!/^[A-Za-z0-9+/]{86}==$/.test(text)) return { ok: false, problem: 'malformed' };
  const signature = Buffer.from(text, 'base64');
  return signature.length === ED25519_SIGNATURE_BYTES ? { ok: true, signature } : { ok: false, problem: 'malformed' };
}

/**
 * Does `signatureBytes` (the .sig as fetched; null when there was none) sign `file` as version
 * `version` with `publicKey`?
 */
export async function checkUpdateSignature(options: { file: string; version: string; signatureBytes: Uint8Array | null; publicKey: KeyObject }): Promise<SignatureCheck> {
  if (options.signatureBytes === null) return { ok: false, problem: 'missing' };
  const parsed = parseSignature(options.signatureBytes);
  if (!parsed.ok) return parsed;
  let digest: Buffer;
  try {
    digest = await fileSha512(options.file);
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  return verify(null, signedStatement(options.version, digest), options.publicKey, parsed.signature) ? { ok: true } : { ok: false, problem: 'mismatch' };
}

/** Where the feed keeps `<file>.sig`: beside the file, in the feed's folder. */
export function signatureUrl(feedUrl: string, fileName: string): string {
  const base = feedUrl.endsWith('/') ? feedUrl : `${feedUrl}/`;
  return new URL(`${encodeURIComponent(fileName)}.sig`, base).href;
}

/**
 * Fetches a .sig, reading at most MAX_SIGNATURE_BYTES + 1 bytes of it: null when the feed has
 * none (or cannot be reached), the bytes read otherwise (too many of them: parseSignature says
 * `too-large`). What vouches for the .sig is its signature, not where it came from.
 */
export async function fetchSignature(fetchFn: (url: string, init: RequestInit) => Promise<Response>, url: string): Promise<Uint8Array | null> {
  let response: Response;
  try {
    response = await fetchFn(url, { cache: 'no-store' });
  } catch {
    return null;
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > MAX_SIGNATURE_BYTES) {
    await response.body.cancel().catch(() => undefined);
    return new Uint8Array(MAX_SIGNATURE_BYTES + 1);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.byteLength;
      if (length > MAX_SIGNATURE_BYTES) {
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
  } catch {
    return null;
  }
  return Buffer.concat(chunks).subarray(0, MAX_SIGNATURE_BYTES + 1);
}
