/**
 * Inclusive Canonical XML 1.0 without comments (https://www.w3.org/TR/2001/REC-xml-c14n-20010315),
 * written from element events: the one place the canonical form is decided, whether the events come
 * from a streamed document (signXml and verifyXml read a signed document without building its tree)
 * or from a tree (SignedInfo).
 *
 * Written here rather than taken from xml-crypto because xml-crypto's canonicaliser needs a DOM,
 * and building the DOM was three quarters of verifying a 1 MB document; it also orders namespace
 * prefixes with localeCompare where the specification orders by code point. Tests hold this
 * against xml-crypto (documents where the two must agree) and xmlsec1 (where they must not).
 *
 * Linear in what it is given (docs/architecture.md, "Linear time"): namespaces in scope are one
 * NamespaceScope, not a copy per element; attributes are ordered by namespace through interned ids.
 * Where one start tag holds attributes of several namespaces, their order depends on comparing the
 * namespace names, which an outsider can make long and share between thousands of attributes: such
 * a tag is written at the end (`finish`), when every namespace name in use is ranked by one sort.
 *
 * Whitespace outside the document element, comments and the XML declaration are not rendered;
 * the caller refuses processing instructions and DTDs before any of this runs.
 */
import { SigningError } from '../errors.ts';
import { NamespaceScope, type Namespace } from './namespaces.ts';
import type { XmlElement } from './tree.ts';

export { XML_NS, XMLNS_NS } from './namespaces.ts';

export interface StartTag {
  /** Qualified name as written. */
  readonly name: string;
  /** The element's own namespace declarations: [prefix ('' for the default), namespace name]. */
  readonly declarations: ReadonlyArray<readonly [string, string]>;
  /** Its other attributes: qualified name as written, value. */
  readonly attributes: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/** What the apex of a document subset inherits from the ancestors left out (C14N 1.0 section 2.4). */
export interface InheritedContext {
  /** Namespaces in scope at the apex's parent: prefix ('' for the default) → name. */
  namespaces?: ReadonlyMap<string, string>;
  /** xml:* attributes in scope at the apex's parent (qualified name, value), rendered on the apex unless it has its own. */
  xmlAttributes?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
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

// libxml2 and xml-crypto write a namespace name as it is, Santuario escapes it like an attribute
// value: a name that needs escaping would canonicalise differently from verifier to verifier.
const NAMESPACE_NEEDS_ESCAPING = /[&<"\t\n\r]/;

/** An attribute in a namespace, rendered (' p:local="value"') and waiting for its place. */
interface NamespacedAttribute {
  ns: Namespace;
  local: string;
  text: string;
}

/** Attributes of several namespaces on one start tag, ordered once every namespace name is ranked. */
interface PendingAttributes {
  attributes: NamespacedAttribute[];
}

const byLocalName = (a: NamespacedAttribute, b: NamespacedAttribute): number =>
  compareCodePoints(a.local, b.local);

/**
 * Accumulates canonical text from open / text / close events. `cut()` ends a piece, so a caller can
 * keep parts of the output apart (verifyXml keeps each enveloped signature apart); `finish()` gives
 * every piece's text.
 */
export class CanonicalWriter {
  #out = '';
  readonly #segments: Array<string | PendingAttributes> = [];
  readonly #pieceEnds: number[] = [];
  readonly #pending: PendingAttributes[] = [];
  // Namespaces in scope at each open element (the whole subtree is rendered, so in scope = rendered).
  readonly #scope = new NamespaceScope();
  #inherited: InheritedContext | undefined;

  constructor(inherited?: InheritedContext) {
    this.#inherited = inherited;
  }

  open(element: StartTag): void {
    let declarations = element.declarations;
    let attributes = element.attributes;
    const inherited = this.#inherited;
    if (inherited) {
      // The apex renders every namespace in scope, its own declarations winning, and the xml:*
      // attributes of its ancestors that it does not carry itself.
      this.#inherited = undefined;
      const own = new Set(declarations.map(([prefix]) => prefix));
      declarations = [...[...(inherited.namespaces ?? [])].filter(([p]) => !own.has(p)), ...declarations];
      const ownNames = new Set(attributes.map((a) => a.name));
      const xml = (inherited.xmlAttributes ?? []).filter((x) => !ownNames.has(x.name));
      if (xml.length > 0) attributes = [...attributes, ...xml];
    }

    const rendered: Array<readonly [string, string]> = [];
    for (const [prefix, uri] of declarations) {
      if (prefix === 'xml') continue; // the xml namespace is never declared in canonical form
      const current = this.#scope.lookup(prefix)?.uri;
      if (current === uri || (prefix !== '' && uri === '')) continue;
      if (NAMESPACE_NEEDS_ESCAPING.test(uri)) {
        throw new SigningError(
          'XML_FORBIDDEN_CONSTRUCT',
          'The XML declares a namespace name holding &, <, a quotation mark or a line break, which signature tools canonicalise differently.',
        );
      }
      rendered.push([prefix, uri]);
    }
    this.#scope.enter(rendered);

    let out = `<${element.name}`;
    if (rendered.length > 1) rendered.sort((a, b) => compareCodePoints(a[0], b[0]));
    for (const [prefix, uri] of rendered) out += `${prefix === '' ? ' xmlns' : ` xmlns:${prefix}`}="${uri}"`;

    // Attributes without a namespace sort first, by local name; then by namespace name, local name.
    const plain: Array<{ name: string; text: string }> = [];
    const namespaced: NamespacedAttribute[] = [];
    let several = false;
    for (const a of attributes) {
      const text = ` ${a.name}="${escapeAttribute(a.value)}"`;
      const colon = a.name.indexOf(':');
      if (colon === -1) {
        plain.push({ name: a.name, text });
        continue;
      }
      const ns = this.#scope.lookup(a.name.slice(0, colon));
      if (!ns) throw new Error(`unbound prefix in ${a.name}`); // the reader refuses these
      several ||= namespaced.length > 0 && ns !== (namespaced[0] as NamespacedAttribute).ns;
      namespaced.push({ ns, local: a.name.slice(colon + 1), text });
    }
    if (plain.length > 1) plain.sort((a, b) => compareCodePoints(a.name, b.name));
    for (const a of plain) out += a.text;
    if (several) {
      const pending = { attributes: namespaced };
      this.#segments.push(this.#out + out, pending);
      this.#pending.push(pending);
      this.#out = '>';
      return;
    }
    if (namespaced.length > 1) namespaced.sort(byLocalName);
    for (const a of namespaced) out += a.text;
    this.#out += `${out}>`;
  }

  text(text: string): void {
    this.#out += escapeText(text);
  }

  close(name: string): void {
    this.#scope.leave();
    this.#out += `</${name}>`;
  }

  /** Ends the current piece; returns its index in what `finish` gives. */
  cut(): number {
    this.#segments.push(this.#out);
    this.#out = '';
    this.#pieceEnds.push(this.#segments.length);
    return this.#pieceEnds.length - 1;
  }

  /** The text of every piece, the last one (what was written since the last cut) included. */
  finish(): string[] {
    this.cut();
    this.#orderPending();
    const pieces: string[] = [];
    let start = 0;
    for (const end of this.#pieceEnds) {
      let text = '';
      for (let i = start; i < end; i++) {
        const s = this.#segments[i] as string | PendingAttributes;
        text += typeof s === 'string' ? s : s.attributes.map((a) => a.text).join('');
      }
      pieces.push(text);
      start = end;
    }
    return pieces;
  }

  /** Ranks the namespace names the pending tags use with one sort, then orders each tag by rank. */
  #orderPending(): void {
    if (this.#pending.length === 0) return;
    const used = new Map<number, Namespace>();
    for (const p of this.#pending) for (const a of p.attributes) used.set(a.ns.id, a.ns);
    const rank = new Map<number, number>();
    [...used.values()].sort((a, b) => compareCodePoints(a.uri, b.uri)).forEach((ns, i) => rank.set(ns.id, i));
    for (const p of this.#pending) {
      p.attributes.sort(
        (a, b) => (rank.get(a.ns.id) as number) - (rank.get(b.ns.id) as number) || byLocalName(a, b),
      );
    }
  }
}

/** Canonical form of an element and its descendants (comments left out). */
export function canonicalizeElement(apex: XmlElement, inherited?: InheritedContext): string {
  const writer = new CanonicalWriter(inherited);
  // Iterative walk: an element is entered, its children visited, then it is closed.
  const stack: Array<{ element: XmlElement; next: number }> = [{ element: apex, next: 0 }];
  writer.open(apex);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { element: XmlElement; next: number };
    const child = top.element.children[top.next++];
    if (!child) {
      writer.close(top.element.name);
      stack.pop();
    } else if (child.kind === 'element') {
      writer.open(child);
      stack.push({ element: child, next: 0 });
    } else if (child.kind === 'text') {
      writer.text(child.text);
    }
  }
  return writer.finish().join('');
}
