/**
 * Inclusive Canonical XML 1.0 without comments (https://www.w3.org/TR/2001/REC-xml-c14n-20010315),
 * written from element events: the one place the canonical form is decided, whether the events come
 * from a streamed document (verifyXml reads a signed document without building its DOM) or from a
 * DOM subtree (SignedInfo, and signXml's document).
 *
 * Written here rather than taken from xml-crypto because xml-crypto's canonicaliser needs a DOM,
 * and building the DOM was three quarters of verifying a 1 MB document; it also orders namespace
 * prefixes with localeCompare where the specification orders by code point. Tests hold this
 * against xml-crypto (documents where the two must agree) and xmlsec1 (where they must not).
 *
 * Whitespace outside the document element, comments and the XML declaration are not rendered;
 * the caller refuses processing instructions and DTDs before any of this runs.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { SigningError } from '../errors.ts';

export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface CanonicalAttribute {
  /** Qualified name as written (prefix:local). */
  name: string;
  namespaceURI: string;
  localName: string;
  value: string;
}

export interface CanonicalElement {
  /** Qualified name as written. */
  name: string;
  /** The element's own namespace declarations: [prefix ('' for the default), namespace URI]. */
  declarations: ReadonlyArray<readonly [string, string]>;
  /** Its other attributes. */
  attributes: readonly CanonicalAttribute[];
}

/** What the apex of a document subset inherits from the ancestors left out (C14N 1.0 section 2.4). */
export interface InheritedContext {
  /** Namespaces in scope at the apex's parent: prefix ('' for the default) → URI. */
  namespaces?: ReadonlyMap<string, string>;
  /** xml:* attributes in scope at the apex's parent, rendered on the apex unless it has its own. */
  xmlAttributes?: readonly CanonicalAttribute[];
}

/** Code point order (the specification's), not UTF-16 code unit order: they differ past U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (code points past U+FFFF) sort after U+E000..U+FFFF.
    if (x >= 0xd800) x += x <= 0xdfff ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y <= 0xdfff ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

const TEXT_SPECIAL = /[&<>\r]/;
const ATTRIBUTE_SPECIAL = /[&<"\t\n\r]/;
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

function escapeText(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] as string) : text;
}

function escapeAttribute(value: string): string {
  return ATTRIBUTE_SPECIAL.test(value)
    ? value.replace(/[&<"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] as string)
    : value;
}

function compareAttributes(a: CanonicalAttribute, b: CanonicalAttribute): number {
  return compareCodePoints(a.namespaceURI, b.namespaceURI) || compareCodePoints(a.localName, b.localName);
}

const NO_NAMESPACES: ReadonlyMap<string, string> = new Map();
// libxml2 and xml-crypto write a namespace name as it is, Santuario escapes it like an attribute
// value: a name that needs escaping would canonicalise differently from verifier to verifier.
const NAMESPACE_NEEDS_ESCAPING = /[&<"\t\n\r]/;

/**
 * Accumulates canonical text from open / text / close events. `take()` hands over what was written
 * so far, so a caller can cut the output into pieces (verifyXml keeps each enveloped signature apart).
 */
export class CanonicalWriter {
  #out = '';
  // Namespaces in scope at each open element (the whole document is rendered, so in scope = rendered).
  readonly #scopes: Array<ReadonlyMap<string, string>> = [];
  #inherited: InheritedContext | undefined;

  constructor(inherited?: InheritedContext) {
    this.#inherited = inherited;
  }

  open(element: CanonicalElement): void {
    const parent = this.#scopes[this.#scopes.length - 1] ?? NO_NAMESPACES;
    let declarations = element.declarations;
    let attributes = element.attributes;
    const inherited = this.#inherited;
    if (inherited) {
      // The apex renders every namespace in scope, its own declarations winning, and the xml:*
      // attributes of its ancestors that it does not carry itself.
      this.#inherited = undefined;
      const own = new Map(declarations);
      declarations = [
        ...[...(inherited.namespaces ?? NO_NAMESPACES)].filter(([p]) => !own.has(p)),
        ...declarations,
      ];
      const xml = (inherited.xmlAttributes ?? []).filter(
        (x) => !attributes.some((a) => a.namespaceURI === XML_NS && a.localName === x.localName),
      );
      if (xml.length > 0) attributes = [...attributes, ...xml];
    }
    let scope = parent;
    const rendered: Array<readonly [string, string]> = [];
    for (const [prefix, uri] of declarations) {
      if (prefix === 'xml') continue; // the xml namespace is never declared in canonical form
      const current = parent.get(prefix) ?? (prefix === '' ? '' : undefined);
      if (current === uri || (prefix !== '' && uri === '')) continue;
      if (NAMESPACE_NEEDS_ESCAPING.test(uri)) {
        throw new SigningError(
          'XML_FORBIDDEN_CONSTRUCT',
          'The XML declares a namespace name holding &, <, a quotation mark or a line break, which signature tools canonicalise differently.',
        );
      }
      if (scope === parent) scope = new Map(parent);
      (scope as Map<string, string>).set(prefix, uri);
      rendered.push([prefix, uri]);
    }
    this.#scopes.push(scope);

    let out = `<${element.name}`;
    if (rendered.length > 1) rendered.sort((a, b) => compareCodePoints(a[0], b[0]));
    for (const [prefix, uri] of rendered) out += `${prefix === '' ? ' xmlns' : ` xmlns:${prefix}`}="${uri}"`;
    const sorted = attributes.length > 1 ? [...attributes].sort(compareAttributes) : attributes;
    for (const a of sorted) out += ` ${a.name}="${escapeAttribute(a.value)}"`;
    this.#out += `${out}>`;
  }

  text(text: string): void {
    this.#out += escapeText(text);
  }

  close(name: string): void {
    this.#scopes.pop();
    this.#out += `</${name}>`;
  }

  /** The canonical text written since the last take. */
  take(): string {
    const out = this.#out;
    this.#out = '';
    return out;
  }
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const COMMENT_NODE = 8;

/** An xmldom element's start tag as canonicaliser input. */
export function canonicalElementOf(element: Element): CanonicalElement {
  const declarations: Array<readonly [string, string]> = [];
  const attributes: CanonicalAttribute[] = [];
  for (let i = 0; i < element.attributes.length; i++) {
    const a = element.attributes.item(i);
    if (!a) continue;
    if (a.namespaceURI === XMLNS_NS)
      declarations.push([a.prefix === 'xmlns' ? (a.localName ?? '') : '', a.value]);
    else
      attributes.push({
        name: a.name,
        namespaceURI: a.namespaceURI ?? '',
        localName: a.localName ?? a.name,
        value: a.value,
      });
  }
  return { name: element.tagName, declarations, attributes };
}

/** Canonical form of a DOM element and its descendants (comments left out). */
export function canonicalizeElement(apex: Element, inherited?: InheritedContext): string {
  const writer = new CanonicalWriter(inherited);
  // Iterative walk: an element is entered, its children visited, then it is closed.
  const stack: Array<{ node: Node; closing: boolean }> = [{ node: apex, closing: false }];
  while (stack.length > 0) {
    const { node, closing } = stack.pop() as { node: Node; closing: boolean };
    switch (node.nodeType) {
      case ELEMENT_NODE: {
        const element = node as Element;
        if (closing) {
          writer.close(element.tagName);
          break;
        }
        writer.open(canonicalElementOf(element));
        stack.push({ node, closing: true });
        const children: Node[] = [];
        for (let c = node.firstChild; c; c = c.nextSibling) children.push(c);
        for (let i = children.length - 1; i >= 0; i--)
          stack.push({ node: children[i] as Node, closing: false });
        break;
      }
      case TEXT_NODE:
      case CDATA_SECTION_NODE:
        writer.text(node.nodeValue ?? '');
        break;
      case COMMENT_NODE:
        break;
      default:
        // parseXml refuses processing instructions, DTDs and entities: nothing else can be here.
        throw new Error(`cannot canonicalise node type ${node.nodeType}`);
    }
  }
  return writer.take();
}
