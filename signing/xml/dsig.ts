/**
 * XMLDSig vocabulary and canonicalisation shared by signXml and verifyXml: the one place that says
 * which algorithms the Kalkan profile uses and what exactly a Reference's digest covers.
 */
import { canonicalizeElement, XML_NS } from './c14n.ts';
import type { XmlElement } from './tree.ts';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const C14N_WITH_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments';
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** Attribute local names that act as element IDs for same-document references. */
export const ID_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(['Id', 'ID', 'id']);

/**
 * Most signatures one document may carry. Each one is checked against the whole document (and its
 * certificate validated): the bound keeps verifying linear in the document.
 */
export const MAX_SIGNATURES = 64;

/** The ID values an element carries (Id, ID, id in any namespace: wsu:Id, xml:id included). */
export function idValues(element: XmlElement): string[] {
  return element.attributes.filter((a) => ID_ATTRIBUTE_NAMES.has(a.local)).map((a) => a.value);
}

/**
 * Inclusive C14N of SignedInfo as a document subset: the namespaces and xml:* attributes in scope
 * from its ancestors are rendered on it, as C14N 1.0 requires (a default namespace on the document
 * element appears on SignedInfo too).
 */
export function canonicalSignedInfo(signedInfo: XmlElement): string {
  const namespaces = new Map<string, string>();
  const xmlAttributes = new Map<string, { name: string; value: string }>();
  for (let e = signedInfo.parent; e; e = e.parent) {
    // The nearest ancestor's binding wins.
    for (const [prefix, uri] of e.declarations) if (!namespaces.has(prefix)) namespaces.set(prefix, uri);
    for (const a of e.attributes)
      if (a.uri === XML_NS && !xmlAttributes.has(a.name)) xmlAttributes.set(a.name, a);
  }
  return canonicalizeElement(signedInfo, { namespaces, xmlAttributes: [...xmlAttributes.values()] });
}
