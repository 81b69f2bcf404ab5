/**
 * Certificate path building: from a certificate up to a trust anchor, matching issuer name and
 * AKI/SKI, verifying every signature with node:crypto. Validity, purpose and revocation are checked
 * by validate.ts on the path found here.
 */
import type { X509Certificate } from 'node:crypto';
import { BoundedCache } from '../bounded-cache.ts';
import { quotedName, extensionsOf, keyAlgorithm } from './certificates.ts';
import type { TrustStore } from './trust-store.ts';

export type ChainProblem =
  /** An issuer candidate's key is GOST (or otherwise unreadable by OpenSSL). */
  | { kind: 'unsupported_algorithm'; subject: X509Certificate; issuer: X509Certificate }
  /** An issuer candidate was found by name, but its key does not verify the signature. */
  | { kind: 'bad_signature'; subject: X509Certificate; issuer: X509Certificate }
  /** No candidate at all for this certificate's issuer. */
  | { kind: 'issuer_not_found'; subject: X509Certificate };

export interface ChainResult {
  /** From the certificate up to and including the anchor; undefined when none was found. */
  chain?: X509Certificate[];
  /** Why the paths that were tried did not reach an anchor. */
  problems: ChainProblem[];
}

const MAX_DEPTH = 8;

export function buildChain(
  cert: X509Certificate,
  trust: TrustStore,
  extra: X509Certificate[] = [],
): ChainResult {
  const problems: ChainProblem[] = [];
  if (trust.isAnchor(cert)) return { chain: [cert], problems };
  const pool = [...trust.anchors, ...trust.intermediates, ...extra];

  const extend = (path: X509Certificate[]): X509Certificate[] | undefined => {
    const current = path[path.length - 1]!;
    if (path.length > MAX_DEPTH) return undefined;
    const candidates = issuerCandidates(current, pool).filter(
      (c) => !path.some((p) => p.fingerprint256 === c.fingerprint256),
    );
    if (candidates.length === 0) problems.push({ kind: 'issuer_not_found', subject: current });
    // Anchors first: the shortest path to trust wins.
    candidates.sort((a, b) => Number(trust.isAnchor(b)) - Number(trust.isAnchor(a)));
    for (const issuer of candidates) {
      const verdict = signedBy(current, issuer);
      if (verdict !== 'ok') {
        problems.push({ kind: verdict, subject: current, issuer });
        continue;
      }
      if (trust.isAnchor(issuer)) return [...path, issuer];
      const found = extend([...path, issuer]);
      if (found) return found;
    }
    return undefined;
  };

  const chain = extend([cert]);
  return chain ? { chain, problems: [] } : { problems };
}

function issuerCandidates(cert: X509Certificate, pool: X509Certificate[]): X509Certificate[] {
  const aki = extensionsOf(cert).authorityKeyId;
  const seen = new Set<string>();
  return pool.filter((candidate) => {
    if (candidate.subject !== cert.issuer || seen.has(candidate.fingerprint256)) return false;
    seen.add(candidate.fingerprint256);
    const ski = extensionsOf(candidate).subjectKeyId;
    return !aki || !ski || aki === ski;
  });
}

type SignedByVerdict = 'ok' | 'unsupported_algorithm' | 'bad_signature';

// Whether a certificate's signature verifies under an issuer's key depends only on the two DERs, so
// the verdict is cached by the pair of fingerprints: a portal checks the same signer under the same
// CA on every login. Validity, purpose and revocation are time-dependent and are not cached.
const signedByCache = new BoundedCache<string, SignedByVerdict>(4096);

function signedBy(cert: X509Certificate, issuer: X509Certificate): SignedByVerdict {
  const key = `${cert.fingerprint256}/${issuer.fingerprint256}`;
  let verdict = signedByCache.get(key);
  if (verdict === undefined) {
    verdict = verifySignedBy(cert, issuer);
    signedByCache.set(key, verdict);
  }
  return verdict;
}

function verifySignedBy(cert: X509Certificate, issuer: X509Certificate): SignedByVerdict {
  if (keyAlgorithm(issuer) === undefined) return 'unsupported_algorithm';
  try {
    return cert.verify(issuer.publicKey) ? 'ok' : 'bad_signature';
  } catch {
    // OpenSSL could read the key but not the signature algorithm (e.g. a GOST signature).
    return 'unsupported_algorithm';
  }
}

/** Plain-language text for a chain problem. */
export function describeProblem(problem: ChainProblem): string {
  switch (problem.kind) {
    case 'unsupported_algorithm':
      return `The signature on ${quotedName(problem.subject)} by ${quotedName(problem.issuer)} uses an algorithm (GOST) that cannot be checked here.`;
    case 'bad_signature':
      return `The signature on ${quotedName(problem.subject)} does not match the key of ${quotedName(problem.issuer)}.`;
    case 'issuer_not_found':
      return `The issuer of ${quotedName(problem.subject)} is not in the trust store.`;
  }
}
