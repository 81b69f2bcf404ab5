/**
 * Revocation checking with a cache: OCSP first, then CRL (+ delta CRL); unknown when neither
 * answers. One checker can live as long as the portal: answers are cached (OCSP by issuer + serial,
 * CRLs by URL) until their nextUpdate, and concurrent identical requests share one network call.
 * Whether an answer decides the status at the validation time (now, or a past `at`) is
 * validation-time.ts's rule; the cache keeps answers by the real clock.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { BoundedCache } from '../../bounded-cache.ts';
import type { RevocationChecker, RevocationOptions, RevocationStatus } from '../../types.ts';
import { extensionsOf, normalizeSerial } from '../certificates.ts';
import { checkCertificateInCrls, parseCrl, type ParsedCrl } from './crl.ts';
import { fetchBytes, type HttpOptions } from './fetch.ts';
import type { OcspAnswer } from './ocsp.ts';
import { judgeAt } from './validation-time.ts';

export interface RevocationCheckerOptions {
  /** Cached OCSP answers + CRLs kept at most (default 10 000). */
  maxEntries?: number;
  /** Upper bound on how long an OCSP answer is reused (default 10 minutes), even if nextUpdate is later. */
  maxOcspAgeMs?: number;
  /** Now, for freshness checks; tests pin it. */
  clock?: () => Date;
}

type Cached =
  { kind: 'ocsp'; answer: OcspAnswer } | { kind: 'crl'; crl: ParsedCrl } | { kind: 'failed'; reason: string };

const MAX_CRL_AGE_MS = 24 * 60 * 60 * 1000;
/**
 * OCSP is read with pkijs, the largest module of `joldama verify`; loaded on the first OCSP
 * question, so a check by CRL alone never pays for it (docs/architecture.md, "Start-up of `joldama verify`").
 */
const ocspModule = () => import('./ocsp.ts');
/** A CRL address that just failed is not retried for this long (offline machines stay fast). */
const FAILED_DOWNLOAD_TTL_MS = 60 * 1000;

export function createRevocationChecker(options: RevocationCheckerOptions = {}): RevocationChecker {
  const clock = options.clock ?? (() => new Date());
  const maxOcspAgeMs = options.maxOcspAgeMs ?? 10 * 60 * 1000;
  const cache = new BoundedCache<string, Cached>(options.maxEntries ?? 10_000);
  const inFlight = new Map<string, Promise<Cached>>();

  /** Cached value, or runs `load` once for all concurrent callers and caches it for `ttlOf`. */
  async function cached(
    key: string,
    load: () => Promise<Cached>,
    ttlOf: (value: Cached) => number,
  ): Promise<Cached> {
    const hit = cache.get(key);
    if (hit) return hit;
    const running = inFlight.get(key);
    if (running) return running;
    const promise = load().then((value) => {
      const ttl = Math.floor(ttlOf(value));
      if (ttl > 0) cache.set(key, value, ttl);
      return value;
    });
    inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      inFlight.delete(key);
    }
  }

  function ttlUntil(next: Date | undefined, fallbackMs: number, maxMs: number): number {
    const untilNext = next ? next.getTime() - clock().getTime() : fallbackMs;
    return Math.min(untilNext, maxMs);
  }

  async function ocspStatus(
    cert: X509Certificate,
    issuer: X509Certificate,
    url: string,
    http: HttpOptions,
  ): Promise<Cached> {
    const key = `ocsp:${issuer.fingerprint256}:${normalizeSerial(cert.serialNumber)}:${url}`;
    return cached(
      key,
      async () => {
        try {
          const { queryOcsp } = await ocspModule();
          return { kind: 'ocsp', answer: await queryOcsp(cert, issuer, url, http, clock) };
        } catch (e) {
          return { kind: 'failed', reason: `OCSP: ${reasonOf(e)}` };
        }
      },
      // Failures are not cached: the next login may well reach the responder.
      (v) => (v.kind === 'ocsp' ? ttlUntil(v.answer.nextUpdate, 5 * 60 * 1000, maxOcspAgeMs) : 0),
    );
  }

  async function downloadCrl(url: string, http: HttpOptions): Promise<Cached> {
    return cached(
      `crl:${url}`,
      async () => {
        try {
          return { kind: 'crl', crl: parseCrl(await fetchBytes(url, { method: 'GET' }, http)) };
        } catch (e) {
          return { kind: 'failed', reason: `CRL ${url}: ${reasonOf(e)}` };
        }
      },
      crlTtl,
    );
  }

  /** How long a parsed CRL is kept: until its nextUpdate (at most a day); a failure for a minute. */
  function crlTtl(value: Cached): number {
    return value.kind === 'crl'
      ? ttlUntil(value.crl.nextUpdate, 60 * 60 * 1000, MAX_CRL_AGE_MS)
      : FAILED_DOWNLOAD_TTL_MS;
  }

  /**
   * A CRL the caller hands over (a local file, say), parsed once per content: the same bytes come
   * with every call. Keyed by SHA-256 of the bytes, so changed bytes are a new entry; freshness and
   * the issuer's signature are still checked on every lookup (the signature verdict is memoised per
   * parsed CRL in crl.ts).
   */
  function givenCrl(data: Buffer): Cached {
    const key = `given-crl:${createHash('sha256').update(data).digest('hex')}`;
    const hit = cache.get(key);
    if (hit) return hit;
    let value: Cached;
    try {
      value = { kind: 'crl', crl: parseCrl(data) };
    } catch (e) {
      value = { kind: 'failed', reason: `CRL: ${reasonOf(e)}` };
    }
    const ttl = Math.floor(crlTtl(value));
    if (ttl > 0) cache.set(key, value, ttl);
    return value;
  }

  /** CRLs to look in: the given ones, else the base (first address that works) and delta ones. */
  async function gatherCrls(
    cert: X509Certificate,
    opts: RevocationOptions,
    problems: string[],
  ): Promise<ParsedCrl[]> {
    if (opts.crls) {
      const parsed: ParsedCrl[] = [];
      for (const data of opts.crls) {
        const result = givenCrl(data);
        if (result.kind === 'crl') parsed.push(result.crl);
        else if (result.kind === 'failed') problems.push(result.reason);
      }
      return parsed;
    }
    const ext = extensionsOf(cert);
    const http: HttpOptions = { fetch: opts.fetch, timeoutMs: opts.timeoutMs };
    const crls: ParsedCrl[] = [];
    for (const urls of [ext.crlUrls, ext.deltaCrlUrls]) {
      for (const url of urls) {
        const result = await downloadCrl(url, http);
        if (result.kind === 'crl') {
          crls.push(result.crl);
          break;
        }
        if (result.kind === 'failed') problems.push(result.reason);
      }
    }
    return crls;
  }

  /**
   * A delegated responder without id-pkix-ocsp-nocheck is looked up in the issuer's CRLs (RFC 6960
   * 4.2.2.2.1 leaves how to local policy): revoked there, its answers count for nothing. No CRL at
   * hand, or CRLs turned off, and its answer stands, as it did before this check.
   */
  async function responderIsRevoked(
    answer: OcspAnswer,
    issuer: X509Certificate,
    opts: RevocationOptions,
    now: Date,
  ): Promise<boolean> {
    const responder = answer.responderToCheck;
    if (!responder || opts.crl === false) return false;
    const crls = await gatherCrls(responder, opts, []);
    if (crls.length === 0) return false;
    try {
      // Revoked at all, even after the answer's date: a compromised key can date its answers at will.
      return checkCertificateInCrls(responder, issuer, crls, now, now).status === 'revoked';
    } catch {
      return false;
    }
  }

  /** The OCSP answers about `cert`: from the responses given, else from its responder. */
  async function ocspAnswers(
    cert: X509Certificate,
    issuer: X509Certificate,
    opts: RevocationOptions,
    now: Date,
    problems: string[],
  ): Promise<OcspAnswer[]> {
    if (opts.ocspResponses) {
      const answers: OcspAnswer[] = [];
      // None given (a call with CRLs only) must not load the OCSP module.
      const read = opts.ocspResponses.length > 0 ? (await ocspModule()).readOcspResponse : undefined;
      for (const der of opts.ocspResponses) {
        try {
          answers.push(read!(der, cert, issuer, undefined, now));
        } catch (e) {
          // Responses about other certificates (the issuer's, another signer's) are expected here.
          if (!/about another certificate/.test(reasonOf(e))) problems.push(`OCSP: ${reasonOf(e)}`);
        }
      }
      if (answers.length === 0 && problems.length === 0) problems.push('OCSP: no response given is about this certificate');
      return answers;
    }
    const url = opts.ocspUrl ?? extensionsOf(cert).ocspUrls[0];
    if (!url) return [];
    const result = await ocspStatus(cert, issuer, url, { fetch: opts.fetch, timeoutMs: opts.timeoutMs });
    if (result.kind === 'ocsp') return [result.answer];
    if (result.kind === 'failed') problems.push(result.reason);
    return [];
  }

  return {
    async check(cert, issuer, opts = {}, at = clock()): Promise<RevocationStatus> {
      const problems: string[] = [];
      const now = clock();
      if (opts.ocsp !== false) {
        const notAfter = new Date(cert.validTo);
        let good: RevocationStatus | undefined;
        for (const answer of await ocspAnswers(cert, issuer, opts, now, problems)) {
          if (await responderIsRevoked(answer, issuer, opts, now)) {
            problems.push("OCSP: the responder's own certificate is revoked");
            continue;
          }
          // An answer without nextUpdate is taken as current for as long as it would be reused.
          const judgement = judgeAt(
            { ...answer, nextUpdate: answer.nextUpdate ?? new Date(answer.thisUpdate.getTime() + maxOcspAgeMs) },
            notAfter,
            at,
          );
          if (!judgement.decides) {
            problems.push(
              answer.status === 'unknown'
                ? 'OCSP: the responder does not know this certificate'
                : `OCSP: the response is ${judgement.reason}`,
            );
          } else if (judgement.status === 'revoked') {
            return { status: 'revoked', revokedAt: judgement.revokedAt, source: 'ocsp', problems };
          } else {
            good ??= { status: 'good', source: 'ocsp', problems };
          }
        }
        if (good) return good;
      }
      if (opts.crl !== false) {
        const crls = await gatherCrls(cert, opts, problems);
        if (crls.length > 0) {
          try {
            const verdict = checkCertificateInCrls(cert, issuer, crls, at, now);
            return { ...verdict, source: 'crl', problems };
          } catch (e) {
            problems.push(`CRL: ${reasonOf(e)}`);
          }
        }
      }
      if (problems.length === 0)
        problems.push('no OCSP responder or CRL address is known for this certificate');
      return { status: 'unknown', problems };
    },
    clear() {
      cache.clear();
    },
  };
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
