/**
 * Hardened XML parsing. Every untrusted XML text passes screenXml first: a linear pre-scan that
 * rejects what an attacker would use against a parser: DTDs and entity declarations (XXE, billion
 * laughs), processing instructions, characters XML 1.0 forbids, and nesting too deep. Then either
 * parseXml (a DOM: xmldom with every error and warning fatal, and a DOM walk that re-checks the node
 * types so the guarantee does not rest on the pre-scan alone) or, for signed documents,
 * readEnvelopedDocument (enveloped-document.ts: a strict streaming parse, no DOM of the body).
 */
import { DOMParser } from '@xmldom/xmldom';
import type { Document, Node } from '@xmldom/xmldom';
import { SigningError } from '../errors.ts';

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

const ELEMENT_NODE = 1;
const ATTRIBUTE_NODE = 2;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;

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

/** Post-parse check: only elements, attributes, text, CDATA and comments; the XML declaration once. */
function checkTree(doc: Document, maxDepth: number): void {
  const stack: Array<{ node: Node; depth: number }> = [];
  for (let n = doc.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === PROCESSING_INSTRUCTION_NODE && n.nodeName === 'xml' && n === doc.firstChild) continue;
    stack.push({ node: n, depth: 0 });
  }
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: Node; depth: number };
    switch (node.nodeType) {
      case ELEMENT_NODE:
        if (depth >= maxDepth) throw forbidden(`The XML nests elements deeper than ${maxDepth} levels.`);
        for (let c = node.firstChild; c; c = c.nextSibling) stack.push({ node: c, depth: depth + 1 });
        break;
      case ATTRIBUTE_NODE:
      case TEXT_NODE:
      case CDATA_SECTION_NODE:
      case COMMENT_NODE:
        // Character references (&#0;) reach here already decoded.
        if (hasForbiddenChar(node.nodeValue ?? '')) {
          throw malformed('The XML contains a character that XML 1.0 does not allow.');
        }
        break;
      case PROCESSING_INSTRUCTION_NODE:
        throw forbidden('The XML contains a processing instruction; only the XML declaration is accepted.');
      default:
        throw forbidden('The XML contains a DOCTYPE, entity or other construct that is not accepted.');
    }
    if (node.nodeType === ELEMENT_NODE) {
      const attrs = (node as unknown as { attributes: { length: number; item(i: number): Node | null } }).attributes;
      for (let k = 0; k < attrs.length; k++) {
        const a = attrs.item(k);
        if (a && hasForbiddenChar(a.nodeValue ?? '')) {
          throw malformed('The XML contains a character that XML 1.0 does not allow.');
        }
      }
    }
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
  if (input.length > maxBytes || (input.length * 3 > maxBytes && Buffer.byteLength(input, 'utf8') > maxBytes)) {
    throw new SigningError('XML_TOO_LARGE', `The XML is larger than the ${maxBytes}-byte limit.`);
  }
  const xml = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  preScan(xml, options.maxDepth ?? DEFAULT_MAX_XML_DEPTH);
  return xml;
}

/**
 * Parse untrusted XML text into a DOM, or throw SigningError XML_TOO_LARGE, XML_FORBIDDEN_CONSTRUCT
 * or XML_MALFORMED. A leading byte-order mark is ignored.
 */
export function parseXml(input: string, options: ParseXmlOptions = {}): Document {
  const xml = screenXml(input, options);
  let firstError: string | undefined;
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        firstError ??= `${level}: ${message.split('\n')[0]}`;
        throw new Error(firstError);
      },
    }).parseFromString(xml, 'text/xml');
  } catch {
    // xmldom wraps what onError throws; report its first complaint, never a stack.
    throw malformed(firstError ? `The XML is not well-formed (${firstError}).` : 'The XML is not well-formed.');
  }
  if (!doc.documentElement) throw malformed('The XML has no root element.');
  checkTree(doc, options.maxDepth ?? DEFAULT_MAX_XML_DEPTH);
  return doc;
}
