/**
 * CRLs (RFC 5280 §5): parse DER or PEM, verify the signature by the issuing CA, check freshness,
 * look up a serial, and apply a delta CRL (Freshest CRL) on top of its base CRL.
 */
import type { X509Certificate } from 'node:crypto';
import { type CertificateList, IssuingDistributionPoint } from '@peculiar/asn1-x509';
import { certificateStructure, crlStructure, derLength, extensionValue, sameName } from '../../x509-structures.ts';
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
const REASON_REMOVE_FROM_CRL = 8;
const INTEGER = 0x02;
const ENUMERATED = 0x0a;

export interface ParsedCrl {
  crl: CertificateList;
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

function readCrlStructure(der: Uint8Array): CertificateList {
  try {
    return crlStructure(der);
  } catch {
    throw new Error('The CRL is not a well-formed X.509 CRL');
  }
}

export function parseCrl(data: Buffer): ParsedCrl {
  const text = data.toString('latin1');
  const pem = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(text);
  const der = pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : data;
  const crl = readCrlStructure(der);
  const tbs = crl.tbsCertList;
  const entries = new Map<string, { revokedAt: Date; removed: boolean }>();
  for (const entry of tbs.revokedCertificates ?? []) {
    const serial = normalizeSerial(Buffer.from(entry.userCertificate).toString('hex'));
    const reason = entry.crlEntryExtensions?.find((e) => e.extnID === OID_REASON_CODE);
    const reasonCode = reason ? derInteger(reason.extnValue.buffer) : undefined;
    entries.set(serial, {
      revokedAt: entry.revocationDate.getTime(),
      removed: reasonCode === BigInt(REASON_REMOVE_FROM_CRL),
    });
  }
  const extension = (oid: string) => tbs.crlExtensions?.find((e) => e.extnID === oid);
  const number = extension(OID_CRL_NUMBER);
  const base = extension(OID_DELTA_CRL_INDICATOR);
  const idpExtension = extension(OID_ISSUING_DISTRIBUTION_POINT);
  const unknownCritical = tbs.crlExtensions?.find((e) => e.critical && !KNOWN_CRL_EXTENSIONS.has(e.extnID));
  let idp: IssuingDistributionPoint | undefined;
  let unusable: string | undefined;
  try {
    if (idpExtension) idp = extensionValue(idpExtension, IssuingDistributionPoint);
  } catch {
    unusable = 'the CRL\'s issuing distribution point is malformed';
  }
  if (unknownCritical) unusable = `the CRL has an unsupported critical extension ${unknownCritical.extnID}`;
  else if (idp?.indirectCRL || idp?.onlySomeReasons !== undefined || idp?.onlyContainsAttributeCerts) {
    unusable = 'the CRL is partial or indirect, which is not supported';
  }
  return {
    crl,
    thisUpdate: tbs.thisUpdate.getTime(),
    nextUpdate: tbs.nextUpdate?.getTime(),
    crlNumber: number ? derInteger(number.extnValue.buffer) : undefined,
    baseCrlNumber: base ? derInteger(base.extnValue.buffer) : undefined,
    entries,
    scope: idp?.onlyContainsCACerts ? 'ca_only' : idp?.onlyContainsUserCerts ? 'end_entity_only' : 'all',
    ...(unusable ? { unusable } : {}),
  };
}

/**
 * The value of the one DER INTEGER or ENUMERATED that a CRL extension holds, read as unsigned (CRL
 * numbers and reason codes are never negative). Read by hand: a tag, a length and the bytes; the
 * schema classes give a JS number, which cannot hold a 20-byte CRL number (RFC 5280 section 5.2.3).
 */
function derInteger(value: ArrayBuffer): bigint {
  const der = new Uint8Array(value);
  const { length, start } = derLength(der);
  if ((der[0] !== INTEGER && der[0] !== ENUMERATED) || length === 0 || start + length !== der.length) {
    throw new Error('A CRL extension is malformed');
  }
  return BigInt(`0x${Buffer.from(der.subarray(start)).toString('hex')}`);
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
  const subject = certificateStructure(issuer.raw).tbsCertificate.subject;
  if (!sameName(parsed.crl.tbsCertList.issuer, subject)) return false;
  let key;
  try {
    key = issuer.publicKey;
  } catch {
    return false; // GOST: cannot check
  }
  const { crl } = parsed;
  if (!crl.tbsCertListRaw) return false;
  return verifySignature(
    crl.signatureAlgorithm.algorithm,
    new Uint8Array(crl.tbsCertListRaw),
    new Uint8Array(crl.signature),
    key,
  );
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
