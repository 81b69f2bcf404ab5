/**
 * When a revocation answer (a CRL's verdict, an OCSP answer) decides a certificate's status at the
 * validation time `at`, which may lie in the past (`joldama verify --at`), not only now:
 * - an answer out of date at `at` (its nextUpdate before `at`) decides nothing;
 * - a revocation at or before `at` decides, whenever the answer was issued (a CRL issued later
 *   still lists it): REVOKED;
 * - a revocation after `at` is reported with its date (validateCertificate: INDETERMINATE, no
 *   proof the signature came first);
 * - "not revoked" decides when the answer was current at `at` (issued by then), or was issued
 *   later while the certificate had not yet expired: a CA lists a revoked certificate until it
 *   expires, so a later answer not listing it proves it was not revoked at `at`. After expiry a
 *   CA may drop it, so such an answer proves nothing.
 * Authenticity (the issuer's signature) and answers dated in the future (by the real clock) are
 * checked where the answers are read.
 */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface DatedAnswer {
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  thisUpdate: Date;
  /** Until when the answer is current; none: as long as the issuer publishes nothing newer. */
  nextUpdate?: Date;
}

export type Judgement =
  | { decides: true; status: 'good' | 'revoked'; revokedAt?: Date }
  | { decides: false; reason: string };

export function judgeAt(answer: DatedAnswer, certificateNotAfter: Date, at: Date): Judgement {
  const t = at.getTime();
  if (answer.nextUpdate && answer.nextUpdate.getTime() < t - CLOCK_SKEW_MS) {
    return { decides: false, reason: 'out of date at the validation time' };
  }
  if (answer.status === 'revoked') {
    return { decides: true, status: 'revoked', ...(answer.revokedAt ? { revokedAt: answer.revokedAt } : {}) };
  }
  if (answer.status === 'unknown') return { decides: false, reason: 'the certificate is unknown to it' };
  const issued = answer.thisUpdate.getTime();
  if (issued <= t + CLOCK_SKEW_MS || issued <= certificateNotAfter.getTime()) {
    return { decides: true, status: 'good' };
  }
  return {
    decides: false,
    reason: 'issued after the certificate expired, when a revoked certificate need no longer be listed',
  };
}
