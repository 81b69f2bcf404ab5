/**
 * CRLs (RFC 5280 §5): parse DER or PEM, verify the signature by the issuing CA, check freshness,
 * look up a serial, and apply a delta CRL (Freshest CRL) on top of its base CRL.
 */
import type { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { normalizeSerial } from '../certificates.ts';
import { parseDer } from './ocsp-protocol.ts';
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

export interface ParsedCrl {
  crl: pkijs.CertificateRevocationList;
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

/** pkijs throws bare TypeErrors on some malformed CRLs (an empty entry-extensions SEQUENCE): name the problem. */
function readCrlStructure(schema: asn1js.AsnType): pkijs.CertificateRevocationList {
  try {
    return new pkijs.CertificateRevocationList({ schema });
  } catch {
    throw new Error('The CRL is not a well-formed X.509 CRL');
  }
}

export function parseCrl(data: Buffer): ParsedCrl {
  const text = data.toString('latin1');
  const pem = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(text);
  const der = pem ? Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64') : data;
  const crl = readCrlStructure(parseDer(der, 'The CRL'));
  const entries = new Map<string, { revokedAt: Date; removed: boolean }>();
  for (const entry of crl.revokedCertificates ?? []) {
    const serial = normalizeSerial(
      Buffer.from(entry.userCertificate.valueBlock.valueHexView).toString('hex'),
    );
    const reason = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === OID_REASON_CODE);
    const reasonCode = reason ? integerValue(reason.extnValue.valueBlock.valueHexView) : undefined;
    entries.set(serial, {
      revokedAt: entry.revocationDate.value,
      removed: reasonCode === BigInt(REASON_REMOVE_FROM_CRL),
    });
  }
  const extension = (oid: string) => crl.crlExtensions?.extensions.find((e) => e.extnID === oid);
  const number = extension(OID_CRL_NUMBER);
  const base = extension(OID_DELTA_CRL_INDICATOR);
  const idp = extension(OID_ISSUING_DISTRIBUTION_POINT)?.parsedValue as
    pkijs.IssuingDistributionPoint | undefined;
  const unknownCritical = crl.crlExtensions?.extensions.find(
    (e) => e.critical && !KNOWN_CRL_EXTENSIONS.has(e.extnID),
  );
  let unusable: string | undefined;
  if (unknownCritical) unusable = `the CRL has an unsupported critical extension ${unknownCritical.extnID}`;
  else if (idp?.indirectCRL || idp?.onlySomeReasons !== undefined || idp?.onlyContainsAttributeCerts) {
    unusable = 'the CRL is partial or indirect, which is not supported';
  }
  return {
    crl,
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value,
    crlNumber: number ? integerValue(number.extnValue.valueBlock.valueHexView) : undefined,
    baseCrlNumber: base ? integerValue(base.extnValue.valueBlock.valueHexView) : undefined,
    entries,
    scope: idp?.onlyContainsCACerts ? 'ca_only' : idp?.onlyContainsUserCerts ? 'end_entity_only' : 'all',
    ...(unusable ? { unusable } : {}),
  };
}

/** The value of a DER INTEGER or ENUMERATED held in an extension's OCTET STRING. */
function integerValue(der: Uint8Array): bigint {
  const parsed = parseDer(der, 'A CRL extension');
  if (!(parsed instanceof asn1js.Integer) && !(parsed instanceof asn1js.Enumerated)) {
    throw new Error('A CRL extension is malformed');
  }
  const hex = Buffer.from(parsed.valueBlock.valueHexView).toString('hex');
  return BigInt(`0x${hex || '0'}`);
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
  const issuerCert = pkijs.Certificate.fromBER(issuer.raw);
  if (!parsed.crl.issuer.isEqual(issuerCert.subject)) return false;
  let key;
  try {
    key = issuer.publicKey;
  } catch {
    return false; // GOST: cannot check
  }
  return verifySignature(
    parsed.crl.signatureAlgorithm.algorithmId,
    parsed.crl.tbsView,
    parsed.crl.signatureValue.valueBlock.valueHexView,
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
