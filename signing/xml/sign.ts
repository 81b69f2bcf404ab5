/**
 * signXml: an enveloped XMLDSig signature exactly as Kalkan / NCALayer produce it (domain.md).
 * The private-key operation is the Signer's (node:crypto or a token); xml-crypto only canonicalises.
 */
import { createHash } from 'node:crypto';
import { XMLSerializer } from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';
import { SigningError } from '../errors.ts';
import type { Signer } from '../types.ts';
import { parseXml } from './parse.ts';
import {
  C14N,
  C14N_WITH_COMMENTS,
  DSIG_NS,
  ENVELOPED_SIGNATURE,
  RSA_SHA256,
  SHA256,
  canonicalDocument,
  canonicalSignedInfo,
  idValues,
} from './dsig.ts';

export interface SignXmlOptions {
  /** Reference the document element by this ID (URI="#id") instead of URI="". */
  referenceId?: string;
  /** Largest accepted input in UTF-8 bytes (default 16 MiB). */
  maxBytes?: number;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

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
    `<ds:SignatureValue></ds:SignatureValue>\n` +
    `<ds:KeyInfo>\n` +
    `<ds:X509Data>\n` +
    `<ds:X509Certificate>${certificateBase64}</ds:X509Certificate>\n` +
    `</ds:X509Data>\n` +
    `</ds:KeyInfo>\n` +
    `</ds:Signature>`
  );
}

function firstChildNS(parent: Element, localName: string): Element {
  const found = parent.getElementsByTagNameNS(DSIG_NS, localName).item(0);
  if (!found) throw new Error(`signature template lacks ds:${localName}`); // programmer error
  return found;
}

/**
 * Sign `xml` with an enveloped signature appended as the last child of the document element.
 * An already-signed document keeps its signatures; the new one follows them and covers them.
 * Throws SigningError XML_MALFORMED / XML_TOO_LARGE / XML_FORBIDDEN_CONSTRUCT for unacceptable input.
 */
export async function signXml(xml: string, signer: Signer, options: SignXmlOptions = {}): Promise<string> {
  const doc = parseXml(xml, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  const root = doc.documentElement;
  if (!root) throw new SigningError('XML_MALFORMED', 'The XML has no root element.');
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

  const digest = createHash('sha256').update(canonicalDocument(root), 'utf8').digest('base64');
  const certificate = signer.certificate().raw.toString('base64');
  const template = parseXml(signatureTemplate(uri, digest, certificate)).documentElement;
  if (!template) throw new Error('signature template did not parse'); // programmer error
  const signature = doc.importNode(template, true) as Element;
  root.appendChild(signature);

  // SignedInfo is canonicalised in place: it inherits the document element's namespaces.
  const signedInfo = canonicalSignedInfo(firstChildNS(signature, 'SignedInfo'));
  const value = await signer.sign(Buffer.from(signedInfo, 'utf8'));
  firstChildNS(signature, 'SignatureValue').appendChild(doc.createTextNode(value.toString('base64')));

  return new XMLSerializer().serializeToString(doc);
}
