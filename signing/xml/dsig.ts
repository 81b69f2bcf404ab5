/**
 * XMLDSig vocabulary and canonicalisation shared by signXml and verifyXml: the one place that says
 * which algorithms the Kalkan profile uses and what exactly a Reference's digest covers.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { canonicalElementOf, canonicalizeElement, XML_NS, type CanonicalAttribute } from './c14n.ts';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const C14N_WITH_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments';
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** Attribute local names that act as element IDs for same-document references. */
export const ID_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(['Id', 'ID', 'id']);

const ELEMENT_NODE = 1;

export function childElements(node: Node): Element[] {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT_NODE) out.push(c as Element);
  return out;
}

/** The ID values an element carries (Id, ID, id in any namespace: wsu:Id, xml:id included). */
export function idValues(element: Element): string[] {
  const out: string[] = [];
  for (let i = 0; i < element.attributes.length; i++) {
    const a = element.attributes.item(i);
    if (a && ID_ATTRIBUTE_NAMES.has(a.localName ?? a.name)) out.push(a.value);
  }
  return out;
}

/**
 * Inclusive C14N of SignedInfo as a document subset: the namespaces and xml:* attributes in scope
 * from its ancestors are rendered on it, as C14N 1.0 requires (a default namespace on the document
 * element appears on SignedInfo too).
 */
export function canonicalSignedInfo(signedInfo: Element): string {
  const namespaces = new Map<string, string>();
  const xmlAttributes: CanonicalAttribute[] = [];
  for (let e = signedInfo.parentNode; e && e.nodeType === ELEMENT_NODE; e = e.parentNode) {
    const { declarations, attributes } = canonicalElementOf(e as Element);
    // The nearest ancestor's binding wins.
    for (const [prefix, uri] of declarations) if (!namespaces.has(prefix)) namespaces.set(prefix, uri);
    for (const a of attributes) {
      if (a.namespaceURI === XML_NS && !xmlAttributes.some((x) => x.localName === a.localName)) xmlAttributes.push(a);
    }
  }
  return canonicalizeElement(signedInfo, { namespaces, xmlAttributes });
}
