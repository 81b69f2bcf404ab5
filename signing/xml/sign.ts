/**
 * signXml: an enveloped XMLDSig signature exactly as Kalkan / NCALayer produce it (docs/domain.md, The XML signature format).
 * The private-key operation is the Signer's (node:crypto or a token). The document is read in one
 * streaming pass (the same reader and canonicaliser verifyXml uses, so what is signed is what is
 * verified) and the signature is written into the original text: the rest of the document keeps
 * its bytes.
 */
import { SigningError } from '../errors.ts';
import type { Signer } from '../types.ts';
import { readEnvelopedDocument } from './enveloped-document.ts';
import { parseXml } from './parse.ts';
import {
  C14N,
  C14N_WITH_COMMENTS,
  DSIG_NS,
  ENVELOPED_SIGNATURE,
  MAX_SIGNATURES,
  RSA_SHA256,
  SHA256,
  canonicalSignedInfo,
  idValues,
} from './dsig.ts';
import { childElements } from './tree.ts';

export interface SignXmlOptions {
  /** Reference the document element by this ID (URI="#id") instead of URI="". */
  referenceId?: string;
  /** Largest accepted input in UTF-8 bytes (default 16 MiB). */
  maxBytes?: number;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

const EMPTY_SIGNATURE_VALUE = '<ds:SignatureValue></ds:SignatureValue>';

/** The Signature element Kalkan writes; SignatureValue is filled in once SignedInfo is signed. */
function signatureTemplate(uri: string, digestValue: string, certificateBase64: string): string {
  return (
    `<ds:Signature xmlns:ds="${DSIG_NS}">\n` +
    `<ds:SignedInfo>\n` +
    `<ds:CanonicalizationMethod Algorithm="${C14N}"/>\n` +
    `<ds:SignatureMethod Algorithm="${RSA_SHA256}"/>\n` +
    `<ds:Reference URI="${escapeAttribute(uri)}">\n` +
    `<ds:Transforms>\n` +
    `<ds:Transform Algorithm="${ENVELOPED_SIGNATURE}"/>\n` +
    `<ds:Transform Algorithm="${C14N_WITH_COMMENTS}"/>\n` +
    `</ds:Transforms>\n` +
    `<ds:DigestMethod Algorithm="${SHA256}"/>\n` +
    `<ds:DigestValue>${digestValue}</ds:DigestValue>\n` +
    `</ds:Reference>\n` +
    `</ds:SignedInfo>\n` +
    `${EMPTY_SIGNATURE_VALUE}\n` +
    `<ds:KeyInfo>\n` +
    `<ds:X509Data>\n` +
    `<ds:X509Certificate>${certificateBase64}</ds:X509Certificate>\n` +
    `</ds:X509Data>\n` +
    `</ds:KeyInfo>\n` +
    `</ds:Signature>`
  );
}

/**
 * Sign `xml` with an enveloped signature appended as the last child of the document element.
 * An already-signed document keeps its signatures; the new one follows them and covers them.
 * Throws SigningError XML_MALFORMED / XML_TOO_LARGE / XML_FORBIDDEN_CONSTRUCT for unacceptable input,
 * and XML_MALFORMED for a document whose signature verifyXml would refuse (a repeated ID, an earlier
 * signature that is not at the end).
 */
export async function signXml(xml: string, signer: Signer, options: SignXmlOptions = {}): Promise<string> {
  const document = readEnvelopedDocument(
    xml,
    options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes },
  );
  const { root } = document;
  // What verifyXml would refuse is not signed: the signature could never be verified.
  if (document.duplicateId !== undefined) {
    throw new SigningError(
      'XML_MALFORMED',
      `The ID "${document.duplicateId}" appears more than once in the document; a signature over it could not be verified.`,
    );
  }
  if (document.nestedSignature || document.contentAfterSignatures) {
    throw new SigningError(
      'XML_MALFORMED',
      'The document holds a signature that is not at the end of its document element; Kalkan signatures are appended there only.',
    );
  }
  if (document.signatures.length >= MAX_SIGNATURES) {
    throw new SigningError('XML_MALFORMED', `The document already holds ${MAX_SIGNATURES} signatures, the most one may carry.`);
  }
  let uri = '';
  if (options.referenceId !== undefined) {
    if (!idValues(root).includes(options.referenceId)) {
      throw new SigningError(
        'XML_MALFORMED',
        `The document element has no Id "${options.referenceId}"; Kalkan references only the whole document.`,
      );
    }
    uri = `#${options.referenceId}`;
  }

  // The whole document, earlier signatures included: the new one covers them.
  const digest = document.digestWithout(document.signatures.length).toString('base64');
  const certificate = signer.certificate().raw.toString('base64');
  const template = signatureTemplate(uri, digest, certificate);

  // SignedInfo is canonicalised in place: it inherits the document element's namespaces.
  const signature = parseXml(template);
  signature.parent = root;
  const signedInfo = childElements(signature)[0];
  if (signedInfo?.local !== 'SignedInfo') throw new Error('signature template lacks ds:SignedInfo'); // programmer error
  const value = await signer.sign(Buffer.from(canonicalSignedInfo(signedInfo), 'utf8'));

  const signed = template.replace(
    EMPTY_SIGNATURE_VALUE,
    `<ds:SignatureValue>${value.toString('base64')}</ds:SignatureValue>`,
  );
  return document.insertAtEnd(signed);
}
