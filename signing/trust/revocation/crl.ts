/**
 * CRLs (RFC 5280 §5): parse DER or PEM, verify the signature by the issuing CA, check freshness,
 * look up a serial, and apply a delta CRL (Freshest CRL) on top of its base CRL.
 */
import type { X509Certificate } from 'node:crypto';
import {
  type CrlFields,
  type IssuingDistributionPoint,
  readCertificate,
  readCrl,
  readExtensionNumber,
  readIssuingDistributionPoint,
  sameName,
} from '../../x509-structures.ts';
import { normalizeSerial } from '../certificates.ts';
import { verifySignature } from './signature.ts';
import { CLOCK_SKEW_MS, judgeAt } from './validation-time.ts';

const OID_CRL_NUMBER = '2.5.29.20';
const OID_DELTA_CRL_INDICATOR = '2.5.29.27';
const OID_REASON_CODE = '2.5.29.21';
const OID_ISSUING_DISTRIBUTION_POINT = '2.5.29.28';
/** CRL extensions we understand; an unknown critical one makes the CRL unusable (RFC 5280 §5.2). */
const KNOWN_CRL_EXTENSIONS = new Set([
  OID_CRL_NUMBER,
  OID_DELTA_CRL_INDICATOR,
  OID_ISSUING_DISTRIBUTION_POINT,
  '2.5.29.35', // authority key identifier
  '2.5.29.18', // issuer alternative name
  '2.5.29.46', // freshest CRL
  '1.3.6.1.5.5.7.1.1', // authority information access
]);
const REASON_REMOVE_FROM_CRL = 8n;

export interface ParsedCrl {
  crl: CrlFields;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: bigint;
  /** Set on a delta CRL: the CRL number of the base it applies to. */
  baseCrlNumber?: bigint;
  /** Serial (normalised hex) → revocation; `removed` marks a delta's removeFromCRL entry. */
  entries: Map<string, { revokedAt: Date; removed: boolean }>;
  /** Which certificates the CRL covers (Issuing Distribution Point). */
  scope: 'all' | 'ca_only' | 'end_entity_only';
  /** Set when the CRL cannot be relied on at all (unknown critical extension, partial or indirect CRL). */
  unusable?: string;
}

function readCrlStructure(der: Uint8Array): CrlFields {
  try {
    return readCrl(der);
  } catch {
    throw new Error('The CRL is not a well-formed X.509 CRL');
  }
}

export function parseCrl(data: Buffer): ParsedCrl {
  const text = data.toString('latin1');
  const pem = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(text);
  const der = pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : data;
  const crl = readCrlStructure(der);
  const entries = new Map<string, { revokedAt: Date; removed: boolean }>();
  for (const entry of crl.revoked) {
    const serial = normalizeSerial(Buffer.from(entry.serial).toString('hex'));
    const reason = entry.extensions.find((e) => e.id === OID_REASON_CODE);
    entries.set(serial, {
      revokedAt: entry.revokedAt,
      removed: reason !== undefined && numberIn(reason.value) === REASON_REMOVE_FROM_CRL,
    });
  }
  const extension = (oid: string) => crl.extensions.find((e) => e.id === oid);
  const number = extension(OID_CRL_NUMBER);
  const base = extension(OID_DELTA_CRL_INDICATOR);
  const idpExtension = extension(OID_ISSUING_DISTRIBUTION_POINT);
  const unknownCritical = crl.extensions.find((e) => e.critical && !KNOWN_CRL_EXTENSIONS.has(e.id));
  let idp: IssuingDistributionPoint | undefined;
  let unusable: string | undefined;
  try {
    if (idpExtension) idp = readIssuingDistributionPoint(idpExtension.value);
  } catch {
    unusable = 'the CRL\'s issuing distribution point is malformed';
  }
  if (unknownCritical) unusable = `the CRL has an unsupported critical extension ${unknownCritical.id}`;
  else if (idp?.indirectCRL || idp?.onlySomeReasons || idp?.onlyContainsAttributeCerts) {
    unusable = 'the CRL is partial or indirect, which is not supported';
  }
  return {
    crl,
    thisUpdate: crl.thisUpdate,
    nextUpdate: crl.nextUpdate,
    crlNumber: number ? numberIn(number.value) : undefined,
    baseCrlNumber: base ? numberIn(base.value) : undefined,
    entries,
    scope: idp?.onlyContainsCACerts ? 'ca_only' : idp?.onlyContainsUserCerts ? 'end_entity_only' : 'all',
    ...(unusable ? { unusable } : {}),
  };
}

/** A CRL number, delta base or reason code. CRL numbers may be 20 bytes long (RFC 5280 section 5.2.3): a bigint. */
function numberIn(value: Uint8Array): bigint {
  try {
    return readExtensionNumber(value);
  } catch {
    throw new Error('A CRL extension is malformed');
  }
}

/** Verdicts of crlIssuedBy per CRL and issuer: a cached national CRL is large, hash it once. */
const issuedByMemo = new WeakMap<ParsedCrl, Map<string, boolean>>();

/** Issued (named and signed) by `issuer`. */
export function crlIssuedBy(parsed: ParsedCrl, issuer: X509Certificate): boolean {
  let memo = issuedByMemo.get(parsed);
  if (!memo) issuedByMemo.set(parsed, (memo = new Map()));
  const known = memo.get(issuer.fingerprint256);
  if (known !== undefined) return known;
  const verdict = checkIssuedBy(parsed, issuer);
  memo.set(issuer.fingerprint256, verdict);
  return verdict;
}

function checkIssuedBy(parsed: ParsedCrl, issuer: X509Certificate): boolean {
  if (!sameName(parsed.crl.issuer, readCertificate(issuer.raw).subject)) return false;
  let key;
  try {
    key = issuer.publicKey;
  } catch {
    return false; // GOST: cannot check
  }
  const { crl } = parsed;
  return verifySignature(crl.signatureAlgorithm, crl.signed, crl.signature, key);
}

export type CrlVerdict = { status: 'good' } | { status: 'revoked'; revokedAt: Date };

/**
 * The certificate's status at the validation time `at` from the usable CRLs of its issuer: each base
 * CRL (with the freshest delta CRL that applies to it) not out of date at `at` is judged by
 * validation-time.ts; a revocation at or before `at` in any of them decides. `now` is the real clock:
 * a CRL dated after it is not used. Throws with a plain reason when no CRL decides.
 */
export function checkCertificateInCrls(
  cert: X509Certificate,
  issuer: X509Certificate,
  crls: ParsedCrl[],
  at: Date,
  now: Date,
): CrlVerdict {
  const signed = crls.filter((c) => crlIssuedBy(c, issuer));
  if (signed.length === 0) throw new Error('no CRL signed by the issuing CA was available');
  const wrongScope = cert.ca ? 'end_entity_only' : 'ca_only';
  const usable = signed.filter((c) => !c.unusable && c.scope !== wrongScope);
  if (usable.length === 0) {
    throw new Error(
      signed.find((c) => c.unusable)?.unusable ?? 'no CRL from the issuing CA covers this certificate',
    );
  }
  const candidates = usable.filter(
    (c) =>
      c.thisUpdate.getTime() <= now.getTime() + CLOCK_SKEW_MS &&
      (!c.nextUpdate || c.nextUpdate.getTime() >= at.getTime() - CLOCK_SKEW_MS),
  );
  const bases = candidates.filter((c) => c.baseCrlNumber === undefined).sort(byThisUpdateDesc);
  if (bases.length === 0) throw new Error('the CRL from the issuing CA is out of date');

  const key = normalizeSerial(cert.serialNumber);
  const notAfter = new Date(cert.validTo);
  const judgements = bases.map((base) => {
    const delta = candidates
      .filter(
        (c) =>
          c.baseCrlNumber !== undefined && base.crlNumber !== undefined && c.baseCrlNumber <= base.crlNumber,
      )
      .sort(byThisUpdateDesc)[0];
    const entry = delta?.entries.get(key) ?? base.entries.get(key);
    const listed = entry !== undefined && !entry.removed;
    return judgeAt(
      {
        status: listed ? 'revoked' : 'good',
        ...(listed ? { revokedAt: entry.revokedAt } : {}),
        thisUpdate: base.thisUpdate,
        ...(base.nextUpdate ? { nextUpdate: base.nextUpdate } : {}),
      },
      notAfter,
      at,
    );
  });
  const revocations = judgements
    .flatMap((j) => (j.decides && j.status === 'revoked' && j.revokedAt ? [j.revokedAt] : []))
    .sort((a, b) => a.getTime() - b.getTime());
  if (revocations[0]) return { status: 'revoked', revokedAt: revocations[0] };
  if (judgements.some((j) => j.decides)) return { status: 'good' };
  const reason = judgements.find((j) => !j.decides);
  throw new Error(`the CRL from the issuing CA was ${reason && !reason.decides ? reason.reason : 'not usable'}`);
}

function byThisUpdateDesc(a: ParsedCrl, b: ParsedCrl): number {
  return b.thisUpdate.getTime() - a.thisUpdate.getTime();
}
