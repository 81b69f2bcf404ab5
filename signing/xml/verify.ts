/**
 * verifyXml: strict verification of Kalkan-format enveloped XML signatures.
 *
 * We accept only the shape Kalkan/NCALayer produce, so no XML Signature Wrapping variant has room:
 * - signatures are direct children of the document element, at its end (nothing but whitespace
 *   after them), exactly as many as expected; later signatures cover the earlier ones;
 * - each has exactly SignedInfo, SignatureValue, KeyInfo (no Object, no Manifest);
 * - exactly one Reference, to the whole document: URI="" or "#<Id of the document element>",
 *   and every ID in the document is unique;
 * - only enveloped-signature and inclusive C14N transforms; rsa-sha256 and sha256. SHA-1 is
 *   rejected (CRYPTO_CONSTRAINTS_FAILURE: NCA RSA keys have signed with SHA-256 for years), HMAC,
 *   XSLT, XPath and every other transform fail the format, GOST is UNSUPPORTED_ALGORITHM;
 * - KeyInfo holds exactly one X509Certificate, whose key verifies SignedInfo and which
 *   validateCertificate (trust, time, purpose, revocation) accepts.
 * `signedXml` is the canonical text the first signature's digest covered (comments excluded, as a
 * same-document reference excludes them), so callers read exactly what was signed.
 * Bad input never throws: it yields a report.
 */
import { X509Certificate, timingSafeEqual, verify as rsaVerify } from 'node:crypto';
import { BoundedCache } from '../bounded-cache.ts';
import { isSigningError } from '../errors.ts';
import type {
  CertificateValidation,
  Indication,
  Purpose,
  RevocationOptions,
  SignerReport,
  SubIndication,
  VerificationReport,
} from '../types.ts';
import type { TrustStore } from '../trust/trust-store.ts';
import { validateCertificate } from '../trust/validate.ts';
import { readEnvelopedDocument, type EnvelopedDocument } from './enveloped-document.ts';
import {
  C14N,
  C14N_WITH_COMMENTS,
  DSIG_NS,
  ENVELOPED_SIGNATURE,
  RSA_SHA256,
  SHA256,
  MAX_SIGNATURES,
  canonicalSignedInfo,
  idValues,
} from './dsig.ts';
import { signerDetails } from './signer-details.ts';
import { attributeValue, childElements, type XmlElement, type XmlNode } from './tree.ts';

export interface VerifyXmlOptions {
  trust: TrustStore;
  /** Validation time; default now. */
  at?: Date;
  /** Required certificate purpose (AUTH for a login challenge, SIGN for documents). */
  purpose?: Purpose;
  /** Accept several signatures (Kalkan's convention: each appended after, and covering, the earlier ones). */
  multi?: boolean;
  /** Exactly this many signatures (default 1; with `multi`, any number ≥ 1 unless given). */
  expectedSignatures?: number;
  /** false: do not check revocation (a warning says so). */
  revocation?: RevocationOptions | false;
  /** Largest accepted input in UTF-8 bytes (default 16 MiB). */
  maxBytes?: number;
}

const C14N_ALGORITHMS = new Set([C14N, C14N_WITH_COMMENTS]);
const SHA1_ALGORITHMS = new Set(['http://www.w3.org/2000/09/xmldsig#rsa-sha1', 'http://www.w3.org/2000/09/xmldsig#sha1']);
const HMAC = /#hmac-/i;
const GOST = /gost/i;
const MIN_RSA_BITS = 2048;

/** A failure of one check: where verification stops for this signature. */
class Failure {
  constructor(
    readonly indication: Indication,
    readonly subIndication: SubIndication,
    readonly message: string,
  ) {}
}

const formatFailure = (message: string): Failure => new Failure('TOTAL_FAILED', 'FORMAT_FAILURE', message);

function isWhitespaceText(node: XmlNode): boolean {
  return node.kind === 'text' && /^[ \t\r\n]*$/.test(node.text);
}

/** The element children of `parent`, which may hold nothing else but whitespace. */
function strictChildren(parent: XmlElement): XmlElement[] {
  for (const c of parent.children) {
    if (c.kind !== 'element' && !isWhitespaceText(c)) {
      throw formatFailure(`The signature's ${parent.local} element contains unexpected text or comments.`);
    }
  }
  return childElements(parent);
}

function expectDsig(element: XmlElement | undefined, localName: string, where: string): XmlElement {
  if (!element || element.uri !== DSIG_NS || element.local !== localName) {
    throw formatFailure(`The signature's ${where} is not the expected ds:${localName} element.`);
  }
  return element;
}

function algorithmOf(element: XmlElement): string {
  if (strictChildren(element).length > 0) {
    throw formatFailure(`The signature's ${element.local} has parameters, which are not accepted.`);
  }
  const algorithm = attributeValue(element, 'Algorithm');
  if (!algorithm) throw formatFailure(`The signature's ${element.local} names no algorithm.`);
  return algorithm;
}

function textOf(element: XmlElement): string {
  let text = '';
  for (const c of element.children) {
    if (c.kind !== 'text' || c.cdata) throw formatFailure(`The signature's ${element.local} must hold text only.`);
    text += c.text;
  }
  return text.replace(/[ \t\r\n]/g, '');
}

function base64TextOf(element: XmlElement): string {
  const text = textOf(element);
  if (text === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw formatFailure(`The signature's ${element.local} is not valid base64.`);
  }
  return text;
}

function base64Of(element: XmlElement): Buffer {
  return Buffer.from(base64TextOf(element), 'base64');
}

// The same signers come back (every portal login): reuse the parsed certificate, keyed by its exact
// base64 text (so by its exact DER). node's X509Certificate is immutable; everything about the
// certificate that depends on time is checked on every call by validateCertificate.
const certificates = new BoundedCache<string, X509Certificate>(1024);

function certificateOf(element: XmlElement): X509Certificate {
  const text = base64TextOf(element);
  let certificate = certificates.get(text);
  if (!certificate) {
    certificate = new X509Certificate(Buffer.from(text, 'base64'));
    certificates.set(text, certificate);
  }
  return certificate;
}

function checkSignatureAlgorithm(algorithm: string): void {
  if (algorithm === RSA_SHA256) return;
  if (GOST.test(algorithm)) {
    throw new Failure('INDETERMINATE', 'UNSUPPORTED_ALGORITHM', 'This is a GOST signature, which cannot be checked here (it needs the Kalkan library).');
  }
  if (HMAC.test(algorithm)) throw formatFailure('The signature uses HMAC, a shared secret, not a public-key signature.');
  if (SHA1_ALGORITHMS.has(algorithm)) {
    throw new Failure('TOTAL_FAILED', 'CRYPTO_CONSTRAINTS_FAILURE', 'The signature uses SHA-1, which is no longer accepted.');
  }
  throw new Failure('INDETERMINATE', 'UNSUPPORTED_ALGORITHM', `The signature algorithm ${algorithm} is not supported.`);
}

function checkDigestAlgorithm(algorithm: string): void {
  if (algorithm === SHA256) return;
  if (SHA1_ALGORITHMS.has(algorithm)) {
    throw new Failure('TOTAL_FAILED', 'CRYPTO_CONSTRAINTS_FAILURE', 'The document digest uses SHA-1, which is no longer accepted.');
  }
  if (GOST.test(algorithm)) {
    throw new Failure('INDETERMINATE', 'UNSUPPORTED_ALGORITHM', 'This is a GOST signature, which cannot be checked here (it needs the Kalkan library).');
  }
  throw new Failure('INDETERMINATE', 'UNSUPPORTED_ALGORITHM', `The digest algorithm ${algorithm} is not supported.`);
}

interface ParsedSignature {
  signedInfo: XmlElement;
  uri: string;
  digestValue: Buffer;
  signatureValue: Buffer;
  certificate: X509Certificate;
}

/** Reads one ds:Signature strictly; the certificate is read first so even a failure can name its signer. */
function readSignature(signature: XmlElement, found: { certificate?: X509Certificate }): ParsedSignature {
  const parts = strictChildren(signature);
  if (parts.length !== 3) {
    throw formatFailure('A signature must hold exactly SignedInfo, SignatureValue and KeyInfo (no Object or other content).');
  }
  const signedInfo = expectDsig(parts[0], 'SignedInfo', 'first part');
  const signatureValueElement = expectDsig(parts[1], 'SignatureValue', 'second part');
  const keyInfo = expectDsig(parts[2], 'KeyInfo', 'third part');

  const keyParts = strictChildren(keyInfo);
  const x509Data = keyParts[0];
  if (keyParts.length !== 1 || !x509Data || x509Data.uri !== DSIG_NS || x509Data.local !== 'X509Data') {
    throw new Failure('INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', 'The signature must carry exactly one X509Data with the signer\'s certificate.');
  }
  const certs = strictChildren(x509Data);
  const certElement = certs[0];
  if (certs.length !== 1 || !certElement || certElement.uri !== DSIG_NS || certElement.local !== 'X509Certificate') {
    throw new Failure('INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', 'The signature must carry exactly one X509Certificate: the signer\'s.');
  }
  let certificate: X509Certificate;
  try {
    certificate = certificateOf(certElement);
  } catch (e) {
    if (e instanceof Failure) throw e;
    throw new Failure('INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', 'The certificate in the signature cannot be read.');
  }
  found.certificate = certificate;

  const infoParts = strictChildren(signedInfo);
  if (infoParts.length !== 3) {
    throw formatFailure('SignedInfo must hold exactly one CanonicalizationMethod, SignatureMethod and Reference.');
  }
  const c14nAlgorithm = algorithmOf(expectDsig(infoParts[0], 'CanonicalizationMethod', 'SignedInfo'));
  if (!C14N_ALGORITHMS.has(c14nAlgorithm)) {
    throw formatFailure(`The canonicalisation ${c14nAlgorithm} is not accepted (inclusive C14N only).`);
  }
  checkSignatureAlgorithm(algorithmOf(expectDsig(infoParts[1], 'SignatureMethod', 'SignedInfo')));
  const reference = expectDsig(infoParts[2], 'Reference', 'SignedInfo');
  const uri = attributeValue(reference, 'URI');
  if (uri === undefined) throw formatFailure('The signature\'s Reference has no URI.');

  const refParts = strictChildren(reference);
  const [transformsElement, digestMethod, digestValueElement, ...extra] = refParts;
  if (transformsElement?.local !== 'Transforms' || transformsElement.uri !== DSIG_NS) {
    throw formatFailure('The Reference must apply the enveloped-signature transform.');
  }
  const transforms = strictChildren(transformsElement).map((t) => algorithmOf(expectDsig(t, 'Transform', 'Transforms')));
  for (const t of transforms) {
    if (t !== ENVELOPED_SIGNATURE && !C14N_ALGORITHMS.has(t)) {
      throw formatFailure(`The transform ${t} is not accepted (only enveloped-signature and inclusive C14N).`);
    }
  }
  // Kalkan: enveloped-signature, then C14N. Anything else (repeats, another order) is not Kalkan.
  const [firstTransform, secondTransform] = transforms;
  if (firstTransform !== ENVELOPED_SIGNATURE || transforms.length > 2 || (secondTransform !== undefined && !C14N_ALGORITHMS.has(secondTransform))) {
    throw formatFailure('The Reference must apply the enveloped-signature transform, then at most one C14N.');
  }
  if (extra.length > 0) throw formatFailure('The Reference must hold Transforms, DigestMethod and DigestValue only.');
  checkDigestAlgorithm(algorithmOf(expectDsig(digestMethod, 'DigestMethod', 'Reference')));
  const digestValue = base64Of(expectDsig(digestValueElement, 'DigestValue', 'Reference'));
  return { signedInfo, uri, digestValue, signatureValue: base64Of(signatureValueElement), certificate };
}

/** Checks the signatures sit where Kalkan puts them, as many as expected, and that no ID repeats. */
function checkPlacement(document: EnvelopedDocument, expected: number | undefined): void {
  if (document.nestedSignature) throw formatFailure('A signature is not a direct child of the document element.');
  const count = document.signatures.length;
  if (count === 0) throw formatFailure('The document is not signed.');
  if (count > MAX_SIGNATURES) throw formatFailure(`The document has ${count} signatures; at most ${MAX_SIGNATURES} are accepted.`);
  if (expected !== undefined && count !== expected) {
    throw formatFailure(`The document has ${count} signatures; ${expected} ${expected === 1 ? 'was' : 'were'} expected.`);
  }
  if (document.contentAfterSignatures) throw formatFailure('The signatures are not the last children of the document element.');
  if (document.duplicateId !== undefined) {
    throw formatFailure(`The ID "${document.duplicateId}" appears more than once in the document.`);
  }
}

interface SignatureOutcome {
  report: SignerReport;
  /** The canonical covered text, when the signature's cryptography verified. */
  signedXml?: string;
}

async function verifyOne(document: EnvelopedDocument, index: number, options: VerifyXmlOptions): Promise<SignatureOutcome> {
  const { root, signatures } = document;
  const found: { certificate?: X509Certificate } = {};
  const withSigner = (report: SignerReport): SignerReport => {
    const signer = found.certificate ? signerDetails(found.certificate) : undefined;
    return signer ? { ...report, signer } : report;
  };
  try {
    const sig = readSignature(signatures[index] as XmlElement, found);
    if (sig.uri !== '' && !idValues(root).some((id) => `#${id}` === sig.uri)) {
      throw new Failure('TOTAL_FAILED', 'SIGNED_DATA_NOT_FOUND', 'The signature does not cover the whole document (its Reference points elsewhere).');
    }

    // Enveloped transform, Kalkan's multi-signature convention: this and every later signature removed.
    const digest = document.digestWithout(index);
    if (digest.length !== sig.digestValue.length || !timingSafeEqual(digest, sig.digestValue)) {
      throw new Failure('TOTAL_FAILED', 'HASH_FAILURE', 'The document was changed after it was signed.');
    }

    const key = sig.certificate.publicKey;
    if (key.asymmetricKeyType !== 'rsa') {
      throw new Failure('INDETERMINATE', 'UNSUPPORTED_ALGORITHM', 'The signer\'s certificate does not hold an RSA key.');
    }
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
      throw new Failure('TOTAL_FAILED', 'CRYPTO_CONSTRAINTS_FAILURE', `The signer's RSA key is shorter than ${MIN_RSA_BITS} bits.`);
    }
    const info = Buffer.from(canonicalSignedInfo(sig.signedInfo), 'utf8');
    if (!rsaVerify('sha256', info, key, sig.signatureValue)) {
      throw new Failure('TOTAL_FAILED', 'SIG_CRYPTO_FAILURE', 'The signature value does not match the certificate in the signature.');
    }

    let validation: CertificateValidation;
    try {
      validation = await validateCertificate(sig.certificate, {
        trust: options.trust,
        ...(options.at ? { at: options.at } : {}),
        ...(options.purpose ? { purpose: options.purpose } : {}),
        ...(options.revocation !== undefined ? { revocation: options.revocation } : {}),
      });
    } catch {
      // A certificate odd enough to trip the validator is no proof of anything.
      throw new Failure('INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND', 'The signer\'s certificate could not be validated.');
    }
    const report: SignerReport = {
      indication: validation.indication,
      ...(validation.subIndication ? { subIndication: validation.subIndication } : {}),
      errors: [...validation.errors],
      warnings: [...validation.warnings],
    };
    // The covered text is kept for the first signature only: that is what the report shows.
    return { report: withSigner(report), ...(index === 0 ? { signedXml: document.canonicalWithout(0) } : {}) };
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    const report: SignerReport = { indication: e.indication, subIndication: e.subIndication, errors: [e.message], warnings: [] };
    // A Failure means nothing (or nothing usable) was verified: no signedXml.
    return { report: withSigner(report) };
  }
}

const SEVERITY: Record<Indication, number> = { TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2 };

function failedReport(failure: Failure, validatedAt: string): VerificationReport {
  return { indication: failure.indication, subIndication: failure.subIndication, validatedAt, errors: [failure.message], warnings: [] };
}

/** Verify a Kalkan-format XML signature (or several, with `multi`). Never throws for bad input. */
export async function verifyXml(xml: string, options: VerifyXmlOptions): Promise<VerificationReport> {
  const validatedAt = (options.at ?? new Date()).toISOString();
  let document: EnvelopedDocument;
  try {
    document = readEnvelopedDocument(xml, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
    checkPlacement(document, options.expectedSignatures ?? (options.multi ? undefined : 1));
  } catch (e) {
    if (e instanceof Failure) return failedReport(e, validatedAt);
    if (isSigningError(e)) return { ...failedReport(formatFailure(e.message), validatedAt), unreadable: e.code };
    throw e;
  }

  const outcomes: SignatureOutcome[] = [];
  for (let i = 0; i < document.signatures.length; i++) outcomes.push(await verifyOne(document, i, options));

  const first = outcomes[0] as SignatureOutcome;
  const worst = outcomes.reduce((a, b) => (SEVERITY[b.report.indication] > SEVERITY[a.report.indication] ? b : a), first);
  const many = outcomes.length > 1;
  const label = (i: number, s: string): string => (many ? `Signature ${i + 1}: ${s}` : s);
  const report: VerificationReport = {
    indication: worst.report.indication,
    ...(worst.report.subIndication ? { subIndication: worst.report.subIndication } : {}),
    validatedAt,
    errors: outcomes.flatMap((o, i) => o.report.errors.map((s) => label(i, s))),
    warnings: [...new Set(outcomes.flatMap((o, i) => o.report.warnings.map((s) => label(i, s))))],
  };
  if (!many && first.report.signer) report.signer = first.report.signer;
  if (options.multi || many) report.signers = outcomes.map((o) => o.report);
  if (first.signedXml !== undefined) report.signedXml = first.signedXml;
  return report;
}

