/**
 * Hardened XML reading. Every untrusted XML text passes screenXml first: a linear pre-scan that
 * rejects what an attacker would use against a parser: DTDs and entity declarations (XXE, billion
 * laughs), processing instructions, characters XML 1.0 forbids, and nesting too deep. Then readXml
 * parses it strictly with saxes (XML 1.0 well-formed, every error fatal) and resolves namespaces
 * itself: saxes's namespace mode builds a "{namespace}local" string for every attribute, quadratic
 * in a long namespace name used on many attributes. Every step is linear in the input
 * (docs/architecture.md, "Linear time"). parseXml builds the whole tree (small documents such as the
 * signature template); readEnvelopedDocument (enveloped-document.ts) streams a signed document.
 */
import { SaxesParser } from 'saxes';
import { SigningError, isSigningError } from '../errors.ts';
import { NamespaceScope, XMLNS_NS, XML_NS } from './namespaces.ts';
import type { XmlAttribute, XmlElement } from './tree.ts';

export const DEFAULT_MAX_XML_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_XML_DEPTH = 256;

export interface ParseXmlOptions {
  /** Largest accepted input, in UTF-8 bytes. Default 16 MiB. */
  maxBytes?: number;
  /** Deepest accepted element nesting. Default 256. */
  maxDepth?: number;
}

// XML 1.0 Char production: no C0 controls except tab, LF, CR; no U+FFFE/U+FFFF; no lone surrogates
// (isWellFormed: a lookaround regular expression for those cost several ms per MB).
// eslint-disable-next-line no-control-regex -- matching forbidden control characters is the point
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function hasForbiddenChar(text: string): boolean {
  return FORBIDDEN_CONTROL.test(text) || !text.isWellFormed();
}
const XML_DECLARATION = /^<\?xml[ \t\r\n][^?]*\?>/y;
// The rest of a start tag after its '<': quoted attribute values may hold '>', nothing may hold '<'.
const TAG_REST = /[^"'<>]*(?:(?:"[^"<]*"|'[^'<]*')[^"'<>]*)*>/y;

export function forbidden(message: string): SigningError {
  return new SigningError('XML_FORBIDDEN_CONSTRUCT', message);
}

export function malformed(message: string): SigningError {
  return new SigningError('XML_MALFORMED', message);
}

/** Linear scan of the raw text: declarations, PIs and nesting depth, before any parsing. */
function preScan(xml: string, maxDepth: number): void {
  if (hasForbiddenChar(xml)) throw malformed('The XML contains a character that XML 1.0 does not allow.');
  let depth = 0;
  let i = xml.indexOf('<');
  while (i !== -1) {
    const next = xml.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i + 4);
        if (end === -1) throw malformed('The XML has an unterminated comment.');
        i = xml.indexOf('<', end + 3);
        continue;
      }
      if (xml.startsWith('<![CDATA[', i)) {
        const end = xml.indexOf(']]>', i + 9);
        if (end === -1) throw malformed('The XML has an unterminated CDATA section.');
        i = xml.indexOf('<', end + 3);
        continue;
      }
      throw forbidden('The XML contains a DOCTYPE or other declaration; DTDs and entities are not accepted.');
    }
    if (next === 0x3f /* ? */) {
      XML_DECLARATION.lastIndex = i;
      if (i === 0 && XML_DECLARATION.test(xml)) {
        i = xml.indexOf('<', XML_DECLARATION.lastIndex);
        continue;
      }
      throw forbidden('The XML contains a processing instruction; only the XML declaration is accepted.');
    }
    if (next === 0x2f /* / */) {
      depth -= 1;
      i = xml.indexOf('<', i + 2);
      continue;
    }
    TAG_REST.lastIndex = i + 1;
    if (!TAG_REST.test(xml)) throw malformed('The XML has a malformed tag.');
    const end = TAG_REST.lastIndex;
    if (xml.charCodeAt(end - 2) !== 0x2f /* '/>' closes itself */) {
      depth += 1;
      if (depth > maxDepth) throw forbidden(`The XML nests elements deeper than ${maxDepth} levels.`);
    }
    i = xml.indexOf('<', end);
  }
}

/**
 * The checks every untrusted XML text passes before a parser sees it: size, forbidden characters,
 * DTDs and entities, processing instructions, nesting depth. Returns the text without a leading
 * byte-order mark, or throws SigningError XML_TOO_LARGE, XML_FORBIDDEN_CONSTRUCT or XML_MALFORMED.
 */
export function screenXml(input: string, options: ParseXmlOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  // A UTF-16 code unit is at most 3 UTF-8 bytes: skip the exact count when it cannot matter.
  if (
    input.length > maxBytes ||
    (input.length * 3 > maxBytes && Buffer.byteLength(input, 'utf8') > maxBytes)
  ) {
    throw new SigningError('XML_TOO_LARGE', `The XML is larger than the ${maxBytes}-byte limit.`);
  }
  const xml = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  preScan(xml, options.maxDepth ?? DEFAULT_MAX_XML_DEPTH);
  return xml;
}

export interface XmlEvents {
  /** An element opens (its `children` and `parent` are the caller's to fill). */
  open(element: XmlElement): void;
  /** It closes; `end` is the offset just past its end tag (or its '/>'). */
  close(element: XmlElement, selfClosing: boolean, end: number): void;
  /** Text or CDATA inside the document element. */
  text(text: string, cdata: boolean): void;
  /** A comment inside the document element. */
  comment(text: string): void;
}

function splitName(name: string): [prefix: string, local: string] {
  const colon = name.indexOf(':');
  if (colon === -1) return ['', name];
  const prefix = name.slice(0, colon);
  const local = name.slice(colon + 1);
  if (prefix === '' || local === '' || local.includes(':'))
    throw malformed(`The XML has a malformed name: ${name}.`);
  return [prefix, local];
}

/** The Namespaces in XML 1.0 constraints on a declaration, as saxes's namespace mode checks them. */
function checkDeclaration(prefix: string, uri: string): void {
  // Some readers trim a namespace name before binding it, others do not: refuse the ambiguity.
  if (uri.trim() !== uri) throw malformed('The XML declares a namespace name with surrounding spaces.');
  if (prefix !== '' && uri === '')
    throw malformed(`The XML undeclares the prefix ${prefix}, which XML 1.0 does not allow.`);
  if (prefix === 'xmlns' || uri === XMLNS_NS)
    throw malformed('The XML declares the reserved xmlns prefix or namespace.');
  if ((prefix === 'xml') !== (uri === XML_NS))
    throw malformed('The XML binds the xml prefix or namespace to something else.');
}

/** A start tag with its namespaces resolved, or XML_MALFORMED (unbound prefix, repeated attribute, reserved names). */
function element(name: string, written: Record<string, string>, scope: NamespaceScope): XmlElement {
  const declarations: Array<[string, string]> = [];
  const others: Array<[string, string]> = [];
  for (const qname in written) {
    const value = written[qname] as string;
    if (qname === 'xmlns') declarations.push(['', value]);
    else if (qname.startsWith('xmlns:')) declarations.push([splitName(qname)[1], value]);
    else others.push([qname, value]);
  }
  for (const [prefix, uri] of declarations) checkDeclaration(prefix, uri);
  scope.enter(declarations);
  const [prefix, local] = splitName(name);
  if (prefix === 'xmlns') throw malformed('The XML names an element with the reserved xmlns prefix.');
  const ns = scope.lookup(prefix);
  if (!ns) throw malformed(`The XML uses the undeclared prefix ${prefix}.`);

  const attributes: XmlAttribute[] = [];
  // Two prefixes bound to one namespace can repeat an attribute under different names.
  const expanded = new Set<string>();
  for (const [qname, value] of others) {
    const [p, l] = splitName(qname);
    let uri = '';
    if (p !== '') {
      const attributeNs = scope.lookup(p);
      if (!attributeNs) throw malformed(`The XML uses the undeclared prefix ${p}.`);
      const key = `${attributeNs.id} ${l}`;
      if (expanded.has(key)) throw malformed(`The XML repeats the attribute ${qname}.`);
      expanded.add(key);
      uri = attributeNs.uri;
    }
    attributes.push({ name: qname, local: l, uri, value });
  }
  return {
    kind: 'element',
    name,
    local,
    uri: ns.uri,
    declarations,
    attributes,
    children: [],
    parent: undefined,
  };
}

/**
 * Reads screened XML text (screenXml's result) strictly, calling `events` in document order.
 * Throws SigningError XML_MALFORMED, XML_FORBIDDEN_CONSTRUCT or XML_ENCODING_UNSUPPORTED.
 */
export function readXml(xml: string, events: XmlEvents): void {
  const parser = new SaxesParser();
  const scope = new NamespaceScope();
  const open: XmlElement[] = [];
  parser.on('xmldecl', ({ encoding }) => {
    // The text is already decoded as UTF-8; another declared encoding means other readers (xmlsec1)
    // would decode other characters than were signed or verified here.
    if (encoding !== undefined && encoding.toUpperCase() !== 'UTF-8') {
      throw new SigningError(
        'XML_ENCODING_UNSUPPORTED',
        `The XML declares the encoding ${encoding}; only UTF-8 is accepted.`,
      );
    }
  });
  parser.on('opentag', (tag) => {
    const e = element(tag.name, tag.attributes, scope);
    open.push(e);
    events.open(e);
  });
  parser.on('closetag', (tag) => {
    scope.leave();
    events.close(open.pop() as XmlElement, tag.isSelfClosing, parser.position);
  });
  // Outside the document element there is only whitespace and comments: not part of it.
  parser.on('text', (text) => open.length > 0 && events.text(text, false));
  parser.on('cdata', (text) => events.text(text, true));
  parser.on('comment', (text) => open.length > 0 && events.comment(text));
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
}

/**
 * Parse untrusted XML text into a tree, or throw SigningError XML_TOO_LARGE, XML_FORBIDDEN_CONSTRUCT
 * or XML_MALFORMED. A leading byte-order mark is ignored.
 */
export function parseXml(input: string, options: ParseXmlOptions = {}): XmlElement {
  const open: XmlElement[] = [];
  let root: XmlElement | undefined;
  readXml(screenXml(input, options), {
    open(e) {
      const parent = open[open.length - 1];
      if (parent) {
        e.parent = parent;
        parent.children.push(e);
      } else root = e;
      open.push(e);
    },
    close: () => open.pop(),
    text: (text, cdata) => open[open.length - 1]?.children.push({ kind: 'text', text, cdata }),
    comment: (text) => open[open.length - 1]?.children.push({ kind: 'comment', text }),
  });
  if (!root) throw malformed('The XML has no root element.');
  return root;
}
