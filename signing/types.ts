/**
 * Types shared by every part of the signing library and by its callers (main/, portal/).
 * This file is the library's boundary: change it only with care, callers are typed against it.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import type { SigningErrorCode } from './errors.ts';

/** What a certificate may be used for in the Kazakh PKI. */
export type Purpose = 'AUTH' | 'SIGN';

/** The owner's role, from the NCA role OIDs (1.2.398.3.3.4.1.x). */
export type Role = 'individual' | 'organization' | 'head' | 'right_to_sign' | 'employee';

/** Status of a certificate's validity period at a given time. */
export type ValidityStatus = 'valid' | 'expired' | 'not_yet_valid';

/** Everything a user or a caller may see about a certificate. Never key material. */
export interface CertificateInfo {
  /** Subject CN, e.g. "ТЕСТОВ ТЕСТ". */
  commonName: string;
  surname?: string;
  givenName?: string;
  /** Patronymic (the NCA profile puts it in GIVENNAME). */
  patronymic?: string;
  /** 12 digits, without the "IIN" prefix. */
  iin?: string;
  /** 12 digits, without the "BIN" prefix (legal entities only). */
  bin?: string;
  organization?: string;
  role: Role;
  purposes: Purpose[];
  /** Serial number, upper-case hex without separators. */
  serialNumber: string;
  /** Issuer CN, e.g. "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)". */
  issuer: string;
  /** Full subject DN as one line (RFC 4514 style), for display as "owner unique name". */
  subject: string;
  /** ISO-8601 UTC. */
  notBefore: string;
  notAfter: string;
  /** "RSA", "GOST", "EC" or the key algorithm OID when unknown. */
  algorithm: string;
  keySize?: number;
  /** SHA-256 of the DER certificate, upper-case hex without separators. */
  fingerprintSha256: string;
}

/** One key found in a key store: the CLI's `keys --json` entry. */
export interface KeyEntry extends CertificateInfo {
  file: string;
  /** Index of the key inside its container (NCA containers hold one, others may hold more). */
  index: number;
  status: ValidityStatus;
}

/**
 * A signer: a certificate and the ability to sign with its key (libdigidocpp's shape).
 * A .p12 file key and, later, a PKCS#11 token key are both implementations.
 */
export interface Signer {
  certificate(): X509Certificate;
  /** Sign `data` with RSA PKCS#1 v1.5 over SHA-256. */
  sign(data: Buffer): Promise<Buffer>;
}

/** An opened key: lives in main/ (or the CLI) only, never crosses to a renderer. */
export interface OpenedKey {
  file: string;
  index: number;
  info: CertificateInfo;
  certificate: X509Certificate;
  /** Other certificates found in the container (issuers), if any. */
  extraCertificates: X509Certificate[];
  privateKey: KeyObject;
}

// ---------------------------------------------------------------------------------------------
// Verification report, following ETSI EN 319 102-1 / EU DSS.

export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

export type SubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'SIGNED_DATA_NOT_FOUND'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'REVOKED'
  | 'WRONG_PURPOSE'
  | 'TRY_LATER'
  | 'UNSUPPORTED_ALGORITHM';

export interface SignerDetails {
  commonName: string;
  iin?: string;
  bin?: string;
  organization?: string;
  /** The NCA profile's role (individual, head, right_to_sign, employee, organization). */
  role?: Role;
  serialNumber: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  purposes: Purpose[];
}

export interface SignerReport {
  indication: Indication;
  subIndication?: SubIndication;
  signer?: SignerDetails;
  errors: string[];
  warnings: string[];
}

export interface VerificationReport {
  indication: Indication;
  subIndication?: SubIndication;
  /** The signer, when exactly one signature was expected. */
  signer?: SignerDetails;
  /** One entry per signature, in document order (always set when multi-signature is allowed). */
  signers?: SignerReport[];
  /**
   * ISO-8601: the validation time used (`at`, default now). Not a signing time: a Kalkan signature
   * carries none.
   */
  validatedAt?: string;
  /**
   * Set when the input could not be read as an XML document at all (not well-formed, too large, a
   * DTD, another encoding...): signing/'s error code. No signature was looked at.
   */
  unreadable?: SigningErrorCode;
  errors: string[];
  warnings: string[];
  /**
   * Exactly the bytes the (first) signature's digest covered, canonicalised, as XML text.
   * Only set when the signature's cryptography verified. Callers act on this, never on the input.
   */
  signedXml?: string;
}

// ---------------------------------------------------------------------------------------------
// Certificate validation.

export interface RevocationOptions {
  /** Default true: ask the OCSP responder named in AIA (or `ocspUrl`). */
  ocsp?: boolean;
  /** Default true: download CRLs named in CDP / Freshest CRL, unless `crls` are given. */
  crl?: boolean;
  /** CRL files (DER or PEM) to use instead of downloading. */
  crls?: Buffer[];
  /**
   * OCSP responses (DER, from files) to use instead of asking a responder. Without a nonce of ours,
   * a response counts only when current at the validation time (or a revocation before it).
   */
  ocspResponses?: Buffer[];
  /** Override the OCSP responder address (the demo portal's own responder, say). */
  ocspUrl?: string;
  /** Network timeout per request, default 5000 ms. */
  timeoutMs?: number;
  /** Injected for tests and for the portal's shared cache; default: global fetch. */
  fetch?: typeof fetch;
  /**
   * A long-lived checker (its cache of OCSP answers and CRLs), from createRevocationChecker().
   * The portal keeps one for its lifetime; without it each validation starts with an empty cache.
   */
  checker?: RevocationChecker;
}

/** The revocation status of one certificate, with where it came from. */
export interface RevocationStatus {
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  source?: 'ocsp' | 'crl';
  /** Why OCSP or CRL could not give an answer (plain language), even when the other one did. */
  problems: string[];
}

export interface RevocationChecker {
  /** Status of `certificate` issued by `issuer` at `at`, default now (OCSP first, then CRL). */
  check(
    certificate: X509Certificate,
    issuer: X509Certificate,
    options?: RevocationOptions,
    at?: Date,
  ): Promise<RevocationStatus>;
  /** Drops every cached answer. */
  clear(): void;
}

export interface CertificateValidation {
  indication: Indication;
  subIndication?: SubIndication;
  /** The chain from the certificate up to and including the trust anchor, when found. */
  chain: X509Certificate[];
  revocation: 'good' | 'revoked' | 'unknown' | 'not_checked';
  errors: string[];
  warnings: string[];
}
