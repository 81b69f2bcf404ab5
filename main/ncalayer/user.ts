/**
 * What the NCALayer service asks of the person at the computer. The service never picks a key or
 * signs on its own: each request goes to `confirm`, which shows the site and what it asks to sign
 * and returns the user's answer (window-user.ts: the window's key dialog; tests: a scripted answer).
 */
import type { Purpose, Signer } from '../../signing/index.ts';

/** What a document looks like to the user before they sign it. */
export type DocumentSummary =
  | {
      kind: 'xml';
      bytes: number;
      /** SHA-256 of the UTF-8 text, upper-case hex. */
      sha256: string;
      /** The document as "path: text" lines (elements and attributes that hold text), in order. */
      lines: Array<{ path: string; text: string }>;
      /** False when the document is larger or longer than what is shown. */
      complete: boolean;
    }
  | { kind: 'binary'; bytes: number; sha256: string }
  /** The site sent only the SHA-256 of a document Joldama never sees. */
  | { kind: 'hash'; sha256: string };

/** Which keys the site accepts (NCALayer's signerParams, storage and key type). */
export interface KeyFilter {
  purpose?: Purpose;
  /** Every one must be among the certificate's extended key usages (NCA roles are there too). */
  extKeyUsageOids: string[];
  iin?: string;
  bin?: string;
  /** Upper-case hex without leading zeros. */
  serialNumber?: string;
  /** Subjects of the issuers the site accepts, when it named them (signerParams.chain). */
  issuers?: string[];
  /** NCALayer storage names the site allows (PKCS12, AKKaztokenStore, ...); absent: any. */
  storages?: string[];
}

export interface ConfirmRequest {
  /** The requesting page's origin, e.g. https://egov.kz. */
  origin: string;
  originStanding: 'remembered' | 'unknown';
  /** sign: documents to sign; keyInfo: the site asks which certificate the user has. */
  action: 'sign' | 'keyInfo';
  format?: 'xml' | 'cms' | 'raw';
  /** CMS only: the document goes inside the signature. */
  attached?: boolean;
  documents: DocumentSummary[];
  key: KeyFilter;
  /** The site asked for a timestamp, which Joldama does not add yet. */
  timestampRequested: boolean;
  locale: 'kk' | 'ru' | 'en';
  /** Aborted when the page goes away: close the dialog. */
  signal: AbortSignal;
}

export type ConfirmAnswer =
  | {
      outcome: 'confirmed';
      /** The user ticked "remember this site" (read once signed: the last try's choice). */
      readonly rememberOrigin: boolean;
      /** Runs `use` with the chosen key, opened for that long only. */
      withSigner<T>(use: (signer: Signer) => Promise<T>): Promise<T>;
    }
  /** This request only. */
  | { outcome: 'cancelled' }
  /** The user refused the site: its next requests get no dialog for a while. */
  | { outcome: 'refused' };

/**
 * Thrown by `withSigner` when the user gave up after a failed try (a wrong password, then Cancel),
 * or the dialog went away meanwhile: the site gets NCALayer's cancel reply.
 */
export class RequestCancelled extends Error {
  override readonly name = 'RequestCancelled';
}

export interface NcaLayerUser {
  confirm(request: ConfirmRequest): Promise<ConfirmAnswer>;
  /** NCALayer storage names of the hardware tokens attached now (getActiveTokens); [] without any. */
  activeTokens(): Promise<string[]>;
}
