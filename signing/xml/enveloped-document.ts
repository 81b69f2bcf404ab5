/**
 * One streaming pass over a signed document, for verifyXml: the canonical text its enveloped
 * signatures cover, the facts about where signatures sit and which IDs repeat, and a small DOM of
 * just the document element's start tag and its ds:Signature children (what the signature checks
 * read). The body of a large document is never built as a DOM: that was most of the cost of
 * verifying one (xmldom took ~70 ms for 1 MB; saxes reads it in ~10).
 *
 * The text is screened first (screenXml: size, DTDs, entities, PIs, depth, characters) exactly as
 * for parseXml; saxes then parses strictly (XML 1.0 and namespaces well-formed) and throws on the
 * first error.
 */
import { DOMImplementation } from '@xmldom/xmldom';
import type { Document, Element } from '@xmldom/xmldom';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { isSigningError } from '../errors.ts';
import { CanonicalWriter, XMLNS_NS, type CanonicalAttribute, type CanonicalElement } from './c14n.ts';
import { DSIG_NS, ID_ATTRIBUTE_NAMES } from './dsig.ts';
import { forbidden, malformed, screenXml, type ParseXmlOptions } from './parse.ts';

export interface EnvelopedDocument {
  /** The document element's start tag (its attributes, so its namespaces and IDs) with the signatures as its only children. */
  root: Element;
  /** The ds:Signature children of the document element, in document order (children of `root`). */
  signatures: Element[];
  /** A ds:Signature stands somewhere other than directly under the document element. */
  nestedSignature: boolean;
  /** After the first signature under the document element comes something other than whitespace and signatures. */
  contentAfterSignatures: boolean;
  /** The first ID value (an Id, ID or id attribute) that appears twice, if any. */
  duplicateId: string | undefined;
  /**
   * The canonical text of the document element with the signatures from `index` on removed: what
   * signature `index` covers under Kalkan's convention (each signature covers the earlier ones).
   * This is what a Kalkan Reference (URI="" or "#<id of the document element>") digests: inclusive
   * C14N of the document element. A same-document URI dereferences WITHOUT comments (XMLDSig
   * 4.4.3.3), so #WithComments changes nothing here; xmlsec1, Santuario and xml-crypto agree.
   */
  canonicalWithout(index: number): string;
  /** The document's text (less a byte-order mark) with `text` added as the document element's last content. */
  insertAtEnd(text: string): string;
}

const WHITESPACE = /^[ \t\r\n]*$/;

function canonicalElementOf(tag: SaxesTagNS): CanonicalElement {
  const declarations: Array<readonly [string, string]> = [];
  const attributes: CanonicalAttribute[] = [];
  for (const name in tag.attributes) {
    const a = tag.attributes[name] as SaxesTagNS['attributes'][string];
    if (a.uri === XMLNS_NS) {
      // saxes trims a namespace name before binding it; other readers do not. Refuse the ambiguity.
      if (a.value.trim() !== a.value)
        throw malformed('The XML declares a namespace name with surrounding spaces.');
      declarations.push([a.prefix === 'xmlns' ? a.local : '', a.value]);
    } else {
      attributes.push({ name: a.name, namespaceURI: a.uri, localName: a.local, value: a.value });
    }
  }
  return { name: tag.name, declarations, attributes };
}

function copyAttributes(tag: SaxesTagNS, element: Element): Element {
  for (const name in tag.attributes) {
    const a = tag.attributes[name] as SaxesTagNS['attributes'][string];
    element.setAttributeNS(a.uri === '' ? null : a.uri, a.name, a.value);
  }
  return element;
}

function domElement(doc: Document, tag: SaxesTagNS): Element {
  return copyAttributes(tag, doc.createElementNS(tag.uri === '' ? null : tag.uri, tag.name));
}

/** Read a signed document in one pass. Throws SigningError XML_TOO_LARGE, XML_FORBIDDEN_CONSTRUCT or XML_MALFORMED. */
export function readEnvelopedDocument(input: string, options: ParseXmlOptions = {}): EnvelopedDocument {
  const xml = screenXml(input, options);
  const writer = new CanonicalWriter();
  const parser = new SaxesParser({ xmlns: true });

  let doc: Document | undefined;
  let root: Element | undefined;
  let depth = 0;
  const signatures: Element[] = [];
  // Canonical pieces: everything before the first signature under the root, then the signatures
  // and the text between them, then the root's end tag.
  let head: string | undefined;
  const pieces: Array<{ signature?: number; text: string }> = [];
  let tail = '';
  // Where the document element's end ('</name>', or the '/>' of an empty element) stops.
  let rootEnd = -1;
  let rootSelfClosing = false;
  // The signature being copied into the small DOM: its open elements, innermost last.
  const open: Element[] = [];
  let nestedSignature = false;
  let contentAfterSignatures = false;
  let duplicateId: string | undefined;
  const ids = new Set<string>();

  const afterSignatures = (): boolean => head !== undefined && depth === 1 && open.length === 0;

  parser.on('opentag', (tag) => {
    const element = canonicalElementOf(tag);
    for (const name in tag.attributes) {
      const a = tag.attributes[name] as SaxesTagNS['attributes'][string];
      if (!ID_ATTRIBUTE_NAMES.has(a.local)) continue;
      if (ids.has(a.value)) duplicateId ??= a.value;
      ids.add(a.value);
    }
    const isSignature = tag.uri === DSIG_NS && tag.local === 'Signature';
    if (depth === 0) {
      doc = new DOMImplementation().createDocument(tag.uri === '' ? null : tag.uri, tag.name, null);
      root = copyAttributes(tag, doc.documentElement as Element);
    } else if (depth === 1 && isSignature) {
      if (head === undefined) head = writer.take();
      else pieces.push({ text: writer.take() });
      const signature = domElement(doc as Document, tag);
      (root as Element).appendChild(signature);
      signatures.push(signature);
      open.push(signature);
    } else {
      if (isSignature) nestedSignature = true;
      if (afterSignatures()) contentAfterSignatures = true;
      const parent = open[open.length - 1];
      if (parent) open.push(parent.appendChild(domElement(doc as Document, tag)) as Element);
    }
    writer.open(element);
    depth += 1;
  });

  parser.on('closetag', (tag) => {
    depth -= 1;
    if (depth === 0) {
      const pending = writer.take();
      if (head === undefined) head = pending;
      else pieces.push({ text: pending });
      writer.close(tag.name);
      tail = writer.take();
      rootEnd = parser.position; // in UTF-16 code units, just past the '>'
      rootSelfClosing = tag.isSelfClosing;
      return;
    }
    writer.close(tag.name);
    if (open.length > 0) {
      open.pop();
      if (open.length === 0) pieces.push({ signature: signatures.length - 1, text: writer.take() });
    }
  });

  const onText = (text: string, cdata: boolean): void => {
    if (depth === 0) return; // whitespace around the document element: not part of it
    writer.text(text);
    const parent = open[open.length - 1];
    if (parent)
      parent.appendChild(
        cdata ? (doc as Document).createCDATASection(text) : (doc as Document).createTextNode(text),
      );
    else if (afterSignatures() && !WHITESPACE.test(text)) contentAfterSignatures = true;
  };
  parser.on('text', (text) => onText(text, false));
  parser.on('cdata', (text) => onText(text, true));
  parser.on('comment', (text) => {
    // Not covered by the signatures (a same-document reference drops comments), but kept where the
    // signature checks look: inside a signature, and after the signatures.
    const parent = open[open.length - 1];
    if (parent) parent.appendChild((doc as Document).createComment(text));
    else if (afterSignatures()) contentAfterSignatures = true;
  });
  // screenXml already refused these; saxes is asked again so the guarantee does not rest on one check.
  parser.on('processinginstruction', () => {
    throw forbidden('The XML contains a processing instruction; only the XML declaration is accepted.');
  });
  parser.on('doctype', () => {
    throw forbidden('The XML contains a DOCTYPE or other declaration; DTDs and entities are not accepted.');
  });

  try {
    parser.write(xml).close();
  } catch (e) {
    if (isSigningError(e)) throw e;
    throw malformed(`The XML is not well-formed (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (!root || head === undefined) throw malformed('The XML has no root element.');
  const start = head;
  const rootName = root.tagName;
  return {
    root,
    signatures,
    nestedSignature,
    contentAfterSignatures,
    duplicateId,
    canonicalWithout: (index) =>
      start +
      pieces
        .filter((p) => p.signature === undefined || p.signature < index)
        .map((p) => p.text)
        .join('') +
      tail,
    insertAtEnd: (text) => {
      if (rootSelfClosing) return `${xml.slice(0, rootEnd - 2)}>${text}</${rootName}>${xml.slice(rootEnd)}`;
      // An end tag holds no '<' but its first: the last '</' before its '>' is where it starts.
      const at = xml.lastIndexOf('</', rootEnd - 1);
      return xml.slice(0, at) + text + xml.slice(at);
    },
  };
}
