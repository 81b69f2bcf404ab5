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
 */
import type { X509Certificate } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { KeyEntry, OpenedKey, Purpose, Signer, ValidityStatus } from '../signing/index.ts';
import { KeyDetails } from '../contract/contract.ts';
import { AppFailure } from './errors.ts';
import { assertKeyPath } from './key-path.ts';

/** The parts of signing/index.ts the service uses (injected so tests can pin them). */
export interface KeyBackend {
  /** `onOpened` sees each opened key: the service keeps its public certificates for the revocation check. */
  listKeys(path: string, password: string, at?: Date, onOpened?: (key: OpenedKey) => void): Promise<KeyEntry[]>;
  openKeyStore(file: string, password: string): Promise<OpenedKey[]>;
  fileSigner(key: OpenedKey): Signer;
  signXml(xml: string, signer: Signer): Promise<string> | string;
  validityStatus(certificate: X509Certificate, at: Date): ValidityStatus;
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
  };
}

const DETAIL_FIELDS = Object.keys(KeyDetails.shape) as (keyof KeyDetails)[];

/** Copy only the contract's fields: whatever else an entry carries never leaves main. */
export function toKeyDetails(entry: KeyEntry): KeyDetails {
  const out: Record<string, unknown> = {};
  for (const field of DETAIL_FIELDS) {
    const value = (entry as unknown as Record<string, unknown>)[field];
    if (value !== undefined) out[field] = value;
  }
  return KeyDetails.parse(out);
}

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
  ) {}

  async listKeys(path: string, password: string): Promise<KeyDetails[]> {
    assertKeyPath(path);
    const entries = await this.backend.listKeys(path, password, this.clock(), (key) => {
      this.listed.set(key.info.fingerprintSha256, { certificate: key.certificate, extraCertificates: key.extraCertificates });
    });
    return entries.map(toKeyDetails);
  }

  /** The certificate of a key this service listed, by fingerprint; undefined when it has not listed it. */
  listedCertificate(fingerprintSha256: string): ListedCertificate | undefined {
    return this.listed.get(fingerprintSha256);
  }

  /**
   * Open `file`, pick key `index`, check it locally (validity, purpose), and run `use` with a
   * signer for it. The opened key is dropped when `use` settles, whatever happens.
   */
  async withKey<T>(
    file: string,
    index: number,
    password: string,
    options: UseKeyOptions,
    use: (sign: (xml: string) => Promise<string>, key: Pick<OpenedKey, 'info' | 'certificate'>) => Promise<T>,
  ): Promise<T> {
    assertKeyPath(file);
    const opened = await this.backend.openKeyStore(file, password);
    try {
      const key = opened[index];
      if (!key) throw new AppFailure('KEY_INDEX_OUT_OF_RANGE');
      this.check(key, options.purpose);
      const signer = this.backend.fileSigner(key);
      const sign = async (xml: string) => await this.backend.signXml(xml, signer);
      return await use(sign, { info: key.info, certificate: key.certificate });
    } finally {
      opened.length = 0;
    }
  }

  private check(key: OpenedKey, purpose: Purpose): void {
    const status = this.backend.validityStatus(key.certificate, this.clock());
    if (status === 'expired') throw new AppFailure('CERT_EXPIRED');
    if (status === 'not_yet_valid') throw new AppFailure('CERT_NOT_YET_VALID');
    if (!key.info.purposes.includes(purpose))
      throw new AppFailure('WRONG_PURPOSE', 'wrong key purpose', { expected: purpose });
  }
}
