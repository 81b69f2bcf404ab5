/**
 * Certificate validation at a time `at`, following ETSI EN 319 102-1 (X.509 certificate
 * validation building block) for the indications:
 * - no path to a trust anchor (unknown issuer, or a signature in the path that does not verify):
 *   INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND. It never passes; it is not TOTAL_FAILED because a
 *   missing intermediate or trust anchor could still turn up (ETSI 5.2.6).
 * - GOST in the path: INDETERMINATE / UNSUPPORTED_ALGORITHM (we cannot check it, we do not guess).
 * - an issuer that is not a CA, or a certificate of the path (trust anchors aside) with a critical
 *   extension we do not understand (RFC 5280 4.2): INDETERMINATE / CHAIN_CONSTRAINTS_FAILURE.
 * - any certificate of the path outside its validity at `at`: TOTAL_FAILED / EXPIRED or NOT_YET_VALID.
 * - wrong purpose: TOTAL_FAILED / WRONG_PURPOSE.
 * - revoked at or before `at`: TOTAL_FAILED / REVOKED; revoked after `at`: INDETERMINATE / REVOKED
 *   (ETSI REVOKED_NO_POE: we hold no proof the signature existed before the revocation).
 * - revocation status unknown: INDETERMINATE / TRY_LATER. Never TOTAL_PASSED without a revocation
 *   answer, unless the caller explicitly said `revocation: false` (then a warning says so).
 */
import type { X509Certificate } from 'node:crypto';
import type {
  CertificateValidation,
  Indication,
  Purpose,
  RevocationOptions,
  RevocationStatus,
  SubIndication,
} from '../types.ts';
import { purposesOf } from '../certificate-profile.ts';
import { buildChain, describeProblem } from './chain.ts';
import { quotedName, extensionsOf } from './certificates.ts';
import { createRevocationChecker } from './revocation/checker.ts';
import type { TrustStore } from './trust-store.ts';

export interface ValidateCertificateOptions {
  trust: TrustStore;
  /** Validation time; default now. */
  at?: Date;
  purpose?: Purpose;
  /** false: skip revocation (TOTAL_PASSED possible, with a warning). Default: check with defaults. */
  revocation?: RevocationOptions | false;
  /** Intermediates that came with the certificate (from a .p12 or a signature's KeyInfo). */
  extraCertificates?: X509Certificate[];
}

const PURPOSE_TEXT: Record<Purpose, string> = { AUTH: 'authentication (login)', SIGN: 'signing documents' };

export async function validateCertificate(
  cert: X509Certificate,
  options: ValidateCertificateOptions,
): Promise<CertificateValidation> {
  const at = options.at ?? new Date();
  const errors: string[] = [];
  const warnings: string[] = [];
  const result = (
    indication: Indication,
    subIndication: SubIndication | undefined,
    chain: X509Certificate[],
    revocation: CertificateValidation['revocation'],
  ): CertificateValidation => ({
    indication,
    ...(subIndication ? { subIndication } : {}),
    chain,
    revocation,
    errors,
    warnings,
  });

  // 1. Path to a trust anchor.
  const { chain, problems } = buildChain(cert, options.trust, options.extraCertificates);
  if (!chain) {
    const unsupported = problems.find((p) => p.kind === 'unsupported_algorithm');
    const shown = unsupported ? [unsupported] : problems;
    errors.push(...unique(shown.map(describeProblem)));
    return result(
      'INDETERMINATE',
      unsupported ? 'UNSUPPORTED_ALGORITHM' : 'NO_CERTIFICATE_CHAIN_FOUND',
      [],
      'not_checked',
    );
  }

  // 2. Issuers must be CAs, within their path length constraint; no critical extension left unheeded.
  for (const [index, c] of chain.entries()) {
    const unknown = extensionsOf(c).unknownCritical;
    if (unknown.length > 0 && !options.trust.isAnchor(c)) {
      const whose = index === 0 ? 'The certificate' : `The issuing certificate ${quotedName(c)}`;
      errors.push(`${whose} carries a critical extension this application does not support (${unknown.join(', ')}), so it cannot be accepted.`);
      return result('INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE', chain, 'not_checked');
    }
  }
  for (const [index, issuer] of chain.entries()) {
    if (index === 0) continue;
    const ext = extensionsOf(issuer);
    const casBelow = index - 1;
    if (ext.pathLength !== undefined && casBelow > ext.pathLength) {
      errors.push(`${quotedName(issuer)} may not have ${casBelow} certification authorities below it.`);
      return result('INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE', chain, 'not_checked');
    }
    const anchorWithoutConstraints = options.trust.isAnchor(issuer) && ext.isCa === undefined;
    const mayIssue = ext.keyUsage === undefined || ext.keyUsage.includes('keyCertSign');
    if ((!ext.isCa && !anchorWithoutConstraints) || !mayIssue) {
      errors.push(`${quotedName(issuer)} is not a certification authority, so it cannot issue certificates.`);
      return result('INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE', chain, 'not_checked');
    }
  }

  // 3. Validity of every certificate of the path at `at`.
  for (const [index, c] of chain.entries()) {
    const from = new Date(c.validFrom);
    const to = new Date(c.validTo);
    const whose = index === 0 ? 'The certificate' : `The issuing certificate ${quotedName(c)}`;
    if (at < from) {
      errors.push(`${whose} is not valid before ${formatDate(from)}.`);
      return result('TOTAL_FAILED', 'NOT_YET_VALID', chain, 'not_checked');
    }
    if (at > to) {
      errors.push(`${whose} expired on ${formatDate(to)}.`);
      return result('TOTAL_FAILED', 'EXPIRED', chain, 'not_checked');
    }
  }

  // 4. Purpose.
  if (options.purpose && !purposesOf(cert).includes(options.purpose)) {
    errors.push(`This certificate is not meant for ${PURPOSE_TEXT[options.purpose]}.`);
    return result('TOTAL_FAILED', 'WRONG_PURPOSE', chain, 'not_checked');
  }

  // 5. Revocation.
  if (options.revocation === false) {
    warnings.push('Revocation was not checked.');
    return result('TOTAL_PASSED', undefined, chain, 'not_checked');
  }
  const revocationOptions = options.revocation ?? {};
  const checker = revocationOptions.checker ?? createRevocationChecker();

  // All lookups run at once: a slow CA CRL download must not delay the end-entity's OCSP request.
  // A checker that throws (a custom one, say) counts as "no answer", never as a crash or a pass.
  const check = (
    c: X509Certificate,
    issuer: X509Certificate,
    o: RevocationOptions,
  ): Promise<RevocationStatus> =>
    checker.check(c, issuer, o, at).catch((e: unknown) => ({
      status: 'unknown' as const,
      problems: [e instanceof Error ? e.message : 'revocation check failed'],
    }));
  // A CA certificate naming no CRL address, with no CRLs given, has nothing to check: skipped quietly.
  const caHasCrl = (ca: X509Certificate) =>
    revocationOptions.crl !== false &&
    (revocationOptions.crls !== undefined || extensionsOf(ca).crlUrls.length > 0);
  const intermediateChecks = chain
    .slice(1, -1)
    .map((ca, i) =>
      caHasCrl(ca)
        ? check(ca, chain[i + 2]!, { ...revocationOptions, ocsp: false, ocspUrl: undefined })
        : undefined,
    );
  const endEntityCheck = chain.length >= 2 ? check(cert, chain[1]!, revocationOptions) : undefined;

  // Intermediates: only their CRLs (CAs have no OCSP here); no answer is a warning, a revocation fails.
  for (let i = 1; i < chain.length - 1; i++) {
    const status = await intermediateChecks[i - 1];
    if (!status) continue;
    if (status.status === 'revoked' && status.revokedAt && status.revokedAt <= at) {
      errors.push(
        `The issuing certificate ${quotedName(chain[i]!)} was revoked on ${formatDate(status.revokedAt)}.`,
      );
      return result('TOTAL_FAILED', 'REVOKED', chain, 'revoked');
    }
    if (status.status === 'unknown') {
      warnings.push(
        `The revocation status of the issuing certificate ${quotedName(chain[i]!)} could not be checked.`,
      );
    }
  }

  if (!endEntityCheck) {
    // The certificate is itself a trust anchor: trusted by configuration, nothing above can revoke it.
    warnings.push(
      'This certificate is a trust anchor: it is trusted as configured, not checked for revocation.',
    );
    return result('TOTAL_PASSED', undefined, chain, 'not_checked');
  }
  const status = await endEntityCheck;
  if (status.status === 'revoked') {
    const when = status.revokedAt ? ` on ${formatDate(status.revokedAt)}` : '';
    if (status.revokedAt && status.revokedAt > at) {
      errors.push(
        `The certificate was revoked${when}, after the time being checked; this cannot be accepted without proof the signature existed before.`,
      );
      return result('INDETERMINATE', 'REVOKED', chain, 'revoked');
    }
    errors.push(`The certificate was revoked${when}.`);
    return result('TOTAL_FAILED', 'REVOKED', chain, 'revoked');
  }
  if (status.status === 'unknown') {
    errors.push('The revocation status of the certificate could not be checked; try again later.');
    warnings.push(...status.problems);
    return result('INDETERMINATE', 'TRY_LATER', chain, 'unknown');
  }
  return result('TOTAL_PASSED', undefined, chain, 'good');
}

/** dd.mm.yyyy in UTC, as Kazakh and Russian users write dates. */
function formatDate(date: Date): string {
  const dd = String(date.getUTCDate()).padStart(2, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}.${mm}.${date.getUTCFullYear()}`;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
