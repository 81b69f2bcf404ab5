/**
 * XMLDSig vocabulary and canonicalisation shared by signXml and verifyXml: the one place that says
 * which algorithms the Kalkan profile uses and what exactly a Reference's digest covers.
 */
import { C14nCanonicalization } from 'xml-crypto';
import type { Element, Node } from '@xmldom/xmldom';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const C14N_WITH_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments';
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** Attribute local names that act as element IDs for same-document references. */
export const ID_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(['Id', 'ID', 'id']);

const ELEMENT_NODE = 1;

// xml-crypto is typed against lib.dom's Node; xmldom's nodes are structurally what it walks.
type C14nInput = Parameters<C14nCanonicalization['process']>[0];
type C14nOptions = NonNullable<Parameters<C14nCanonicalization['process']>[1]>;

const c14n = new C14nCanonicalization();

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
 * What a Kalkan Reference (URI="" or "#<id of the document element>") digests: the document element
 * canonicalised with inclusive C14N. A same-document URI dereferences WITHOUT comments (XMLDSig
 * 4.4.3.3), so #WithComments changes nothing here; xmlsec1, Santuario and xml-crypto agree.
 * The caller removes the enveloped signature (and any later ones) before calling.
 */
export function canonicalDocument(root: Element): string {
  return c14n.process(root as unknown as C14nInput, {});
}

/**
 * Inclusive C14N of SignedInfo as a document subset: the namespaces and xml:* attributes in scope
 * from its ancestors are rendered on it, as C14N 1.0 requires (a default namespace on the document
 * element appears on SignedInfo too).
 */
export function canonicalSignedInfo(signedInfo: Element): string {
  const namespaces = new Map<string, string>();
  const xmlAttributes = new Map<string, string>();
  for (let e = signedInfo.parentNode; e && e.nodeType === ELEMENT_NODE; e = e.parentNode) {
    const el = e as Element;
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i);
      if (!a) continue;
      if (a.namespaceURI === XMLNS_NS) {
        const prefix = a.prefix === 'xmlns' ? (a.localName ?? '') : '';
        if (!namespaces.has(prefix)) namespaces.set(prefix, a.value);
      } else if (a.namespaceURI === XML_NS && !xmlAttributes.has(a.name)) {
        xmlAttributes.set(a.name, a.value);
      }
    }
  }
  for (let i = 0; i < signedInfo.attributes.length; i++) {
    const a = signedInfo.attributes.item(i);
    if (a?.namespaceURI === XMLNS_NS) namespaces.delete(a.prefix === 'xmlns' ? (a.localName ?? '') : '');
    else if (a?.namespaceURI === XML_NS) xmlAttributes.delete(a.name);
  }
  const ancestorNamespaces: C14nOptions['ancestorNamespaces'] = [];
  for (const [prefix, namespaceURI] of namespaces) {
    // An undeclaration (xmlns="") is no namespace node: nothing to render.
    if (namespaceURI !== '') ancestorNamespaces.push({ prefix, namespaceURI });
  }
  let subject = signedInfo;
  if (xmlAttributes.size > 0) {
    subject = signedInfo.cloneNode(true) as Element;
    for (const [name, value] of xmlAttributes) subject.setAttributeNS(XML_NS, name, value);
  }
  return c14n.process(subject as unknown as C14nInput, { ancestorNamespaces });
}
