/**
 * What the verification pool (verification-pool.ts) and its workers (verify-worker.ts) say to each
 * other. Everything here crosses a thread by structured clone: plain data only.
 */
import type { Purpose, VerificationReport } from '../../signing/index.ts';

/** How the portal verifies: the same in every worker (the worker's workerData). */
export interface VerifierSettings {
  trust: { production: boolean; ncaTest: boolean; extra: string[] };
  /**
   * false: revocation is not checked (`--no-revocation`, offline demos; reports carry a warning).
   * `crlFiles`: revocation is decided by these CRL files, without the network (`--crl`).
   * Otherwise OCSP (at `ocspUrl` when given, else the address each certificate names), then CRLs.
   */
  revocation: false | { ocspUrl?: string; crlFiles?: string[] };
  /** The largest document verified, in UTF-8 bytes. */
  maxBytes: number;
}

export interface VerifyJob {
  id: number;
  xml: string;
  purpose: Purpose;
  /** Validation time (ms since the epoch). */
  at: number;
  /** The portal's clock when the job was sent (ms): the revocation cache judges freshness by it. */
  now: number;
}

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'report'; id: number; report: VerificationReport }
  | { kind: 'error'; id: number; message: string };
