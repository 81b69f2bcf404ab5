/**
 * The signing service: the only place in main that opens key files, and only local absolute
 * paths (key-path.ts: no network or device paths). A key is opened for one
 * operation, used, and its references dropped in `finally`; nothing is cached. Key material and
 * passwords are never logged or returned: callers get certificate details (KeyDetails) only.
 *
 * Key files are opened in a worker thread (signing/keystore/in-worker.ts, docs/tokens.md): the
 * PKCS#12 key derivation of a heavy or hostile file never freezes main's event loop (the window, the
 * bridge). JavaScript strings cannot be wiped, so the password string is simply never retained; its
 * UTF-8 copy sent to the worker is zeroed once sent (and the worker zeroes its own). The private
 * key is a non-extractable-in-practice KeyObject whose last reference we drop.
 *
 * A key is named by reference (contract KeyRef): a file reference goes to the key file as above, a
 * token reference to the PKCS#11 token key source (token-access.ts, docs/tokens.md), whose key
 * never leaves the token; its session is closed (logged out) when the operation settles.
 */
import type { X509Certificate } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CertificateInfo, KeyEntry, ListedKey, OpenedKey, Purpose, Signer, ValidityStatus } from '../signing/index.ts';
import { KeyDetails, type KeyRef } from '../contract/contract.ts';
import { AppFailure } from './errors.ts';
import { assertKeyPath } from './key-path.ts';
import type { TokenAccess } from './token-access.ts';

/** The parts of signing/index.ts the service uses (injected so tests can pin them). */
export interface KeyBackend {
  /** `onOpened` sees each opened key: the service keeps its public certificates for the revocation check. */
  listKeys(path: string, password: string, at?: Date, onOpened?: (key: OpenedKey) => void): Promise<KeyEntry[]>;
  openKeyStore(file: string, password: string): Promise<OpenedKey[]>;
  fileSigner(key: OpenedKey): Signer;
  signXml(xml: string, signer: Signer): Promise<string> | string;
  validityStatus(certificate: X509Certificate, at: Date): ValidityStatus;
  /** Loads what the synchronous members need (a lazy backend); a token key is opened without the backend. */
  ready?(): Promise<void>;
}

/** The real backend: signing/index.ts, with every key store opened in the worker thread. */
export async function loadKeyBackend(): Promise<KeyBackend> {
  const { listKeys, openKeyStoreInWorker, fileSigner, signXml, validityStatus } = await import('../signing/index.ts');
  const openKeyStore = async (file: string, password: string): Promise<OpenedKey[]> => {
    const bytes = Buffer.from(password, 'utf8');
    try {
      return await openKeyStoreInWorker(file, bytes);
    } finally {
      bytes.fill(0);
    }
  };
  return {
    listKeys: (path, password, at, onOpened) => listKeys(path, password, at, onOpened, openKeyStore),
    openKeyStore,
    fileSigner,
    signXml,
    validityStatus,
  };
}

/** The real backend, loaded on first use: the app starts (settings, UI) even if loading fails. */
export function lazyKeyBackend(): KeyBackend {
  let loaded: Promise<KeyBackend> | undefined;
  const get = () => (loaded ??= loadKeyBackend());
  let ready: KeyBackend | undefined;
  const sync = (): KeyBackend => {
    if (!ready) throw new Error('signing backend used before a key was opened');
    return ready;
  };
  return {
    listKeys: async (...args) => (ready = await get()).listKeys(...args),
    openKeyStore: async (...args) => (ready = await get()).openKeyStore(...args),
    fileSigner: (key) => sync().fileSigner(key),
    signXml: (xml, signer) => sync().signXml(xml, signer),
    validityStatus: (cert, at) => sync().validityStatus(cert, at),
    ready: async () => {
      ready = await get();
    },
  };
}

const CERTIFICATE_FIELDS = Object.keys(KeyDetails.shape).filter((f) => !['ref', 'storage', 'problem'].includes(f));

/** Copy only the contract's fields: whatever else an entry carries never leaves main. */
function certificateDetails(entry: CertificateInfo & { status: ValidityStatus }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CERTIFICATE_FIELDS) {
    const value = (entry as unknown as Record<string, unknown>)[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** A key file's entry as the window sees it: named by a file reference. */
export function toKeyDetails(entry: KeyEntry): KeyDetails {
  return KeyDetails.parse({
    ...certificateDetails(entry),
    ref: { kind: 'file', path: entry.file, index: entry.index, certificate: entry.fingerprintSha256 },
    storage: { kind: 'file', path: entry.file },
  });
}

/** A key listed by a key source (a token's) as the window sees it; a key that cannot sign here says why. */
export function listedToKeyDetails(key: ListedKey): KeyDetails {
  const code = key.problem?.code;
  const problem = code === 'GOST_NOT_SUPPORTED' || code === 'UNSUPPORTED_ALGORITHM' ? { code } : undefined;
  return KeyDetails.parse({ ...certificateDetails(key), ref: key.ref, storage: key.storage, ...(problem ? { problem } : {}) });
}

/** What `use` learns of the key: its certificate, never the key. */
export type KeyInUse = Pick<OpenedKey, 'info' | 'certificate'>;

type UseKey<T> = (sign: (xml: string) => Promise<string>, key: KeyInUse) => Promise<T>;
type UseSigner<T> = (signer: Signer, key: KeyInUse) => Promise<T>;

export interface UseKeyOptions {
  /** Checked before `use` runs: validity period now, and the purpose the operation needs. */
  purpose: Purpose;
}

/** A listed key's public certificates (never its private key), kept to check revocation on request. */
export interface ListedCertificate {
  certificate: X509Certificate;
  extraCertificates: X509Certificate[];
}

export class SigningService {
  /** By SHA-256 fingerprint (upper-case hex), bounded: certificates are public, nothing secret is kept. */
  private readonly listed = new LRUCache<string, ListedCertificate>({ max: 500 });

  constructor(
    private readonly backend: KeyBackend,
    private readonly clock: () => Date = () => new Date(),
    /** Hardware tokens; null when none may be used (the administrator's policy, or tests). */
    private readonly tokens: TokenAccess | null = null,
    /** Key files; false when the administrator's policy allows tokens only. */
    private readonly files = true,
    /**
     * The path to open for a key path the window sent, or a refusal: the policy's removable-media
     * fence (removable-media.ts removableMediaFence); default: the path as it is.
     */
    private readonly keyPathToOpen: (p: string) => Promise<string> = async (p) => p,
  ) {}

  async listKeys(path: string, password: string): Promise<KeyDetails[]> {
    const entries = await this.backend.listKeys(await this.fileToOpen(path), password, this.clock(), (key) => {
      this.listed.set(key.info.fingerprintSha256, { certificate: key.certificate, extraCertificates: key.extraCertificates });
    });
    return entries.map(toKeyDetails);
  }

  /** Keeps the certificate of a key listed elsewhere (a token's) for the revocation check, as listKeys does. */
  rememberListed(certificate: X509Certificate): void {
    this.listed.set(certificate.fingerprint256.replaceAll(':', ''), { certificate, extraCertificates: [] });
  }

  /** The certificate of a key this service listed, by fingerprint; undefined when it has not listed it. */
  listedCertificate(fingerprintSha256: string): ListedCertificate | undefined {
    return this.listed.get(fingerprintSha256);
  }

  /**
   * Open the key `ref` names with `secret` (its file's password or its token's PIN), check it locally
   * (validity, purpose), and run `use` with a signer for it. The opened key is dropped (a token
   * session logged out and closed) when `use` settles, whatever happens.
   */
  async withKey<T>(ref: KeyRef, secret: string, options: UseKeyOptions, use: UseKey<T>): Promise<T> {
    return this.withSigner(ref, secret, options, (signer, key) => use(async (xml) => await this.backend.signXml(xml, signer), key));
  }

  /**
   * As withKey, with the bare signer (CMS and raw signatures: the NCALayer service). Without a
   * purpose only the validity period is checked: the caller checks what its request asks for.
   */
  async withSigner<T>(ref: KeyRef, secret: string, options: Partial<UseKeyOptions>, use: UseSigner<T>): Promise<T> {
    return ref.kind === 'file' ? this.withFileKey(ref, secret, options, use) : this.withTokenKey(ref, secret, options, use);
  }

  /**
   * The policy is enforced here, not only in the window's dialogs: a window cannot open a file it
   * forbids (key sources, local paths, removable media only).
   */
  private async fileToOpen(path: string): Promise<string> {
    if (!this.files) throw new AppFailure('KEY_FILES_DISABLED');
    assertKeyPath(path);
    return this.keyPathToOpen(path);
  }

  private async withFileKey<T>(ref: Extract<KeyRef, { kind: 'file' }>, password: string, options: Partial<UseKeyOptions>, use: UseSigner<T>): Promise<T> {
    const opened = await this.backend.openKeyStore(await this.fileToOpen(ref.path), password);
    try {
      const key = opened[ref.index];
      if (!key) throw new AppFailure('KEY_INDEX_OUT_OF_RANGE');
      // The file was replaced since it was listed: never sign with a key the user did not choose.
      if (ref.certificate !== undefined && key.info.fingerprintSha256 !== ref.certificate) throw new AppFailure('KEY_NOT_FOUND');
      this.check(key, options.purpose);
      return await use(this.backend.fileSigner(key), { info: key.info, certificate: key.certificate });
    } finally {
      opened.length = 0;
    }
  }

  private async withTokenKey<T>(ref: Extract<KeyRef, { kind: 'token' }>, pin: string, options: Partial<UseKeyOptions>, use: UseSigner<T>): Promise<T> {
    if (!this.tokens) throw new AppFailure('TOKENS_UNAVAILABLE');
    await this.backend.ready?.();
    // The source zeroes this Buffer once the PIN is used; the string itself cannot be wiped.
    const handle = await this.tokens.open(ref, async () => Buffer.from(pin, 'utf8'));
    try {
      const key = { info: handle.info, certificate: handle.certificate() };
      this.check(key, options.purpose);
      return await use(handle, key);
    } finally {
      await handle.close();
    }
  }

  private check(key: KeyInUse, purpose: Purpose | undefined): void {
    const status = this.backend.validityStatus(key.certificate, this.clock());
    if (status === 'expired') throw new AppFailure('CERT_EXPIRED');
    if (status === 'not_yet_valid') throw new AppFailure('CERT_NOT_YET_VALID');
    if (purpose && !key.info.purposes.includes(purpose))
      throw new AppFailure('WRONG_PURPOSE', 'wrong key purpose', { expected: purpose });
  }
}
