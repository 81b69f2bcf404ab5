/**
 * One streaming pass over a signed document, for signXml and verifyXml: the canonical text its
 * enveloped signatures cover, the facts about where signatures sit and which IDs repeat, and a small
 * tree of just the document element's start tag and its ds:Signature children (what the signature
 * checks read). The body of a large document is never built as a tree: that was most of the cost of
 * verifying one (xmldom took ~70 ms for 1 MB; saxes reads it in ~10).
 *
 * The text is screened first (screenXml: size, DTDs, entities, PIs, depth, characters) exactly as
 * for parseXml; readXml then parses strictly and throws on the first error. Linear in the input.
 */
import { createHash } from 'node:crypto';
import { CanonicalWriter } from './c14n.ts';
import { DSIG_NS, ID_ATTRIBUTE_NAMES } from './dsig.ts';
import { malformed, readXml, screenXml, type ParseXmlOptions } from './parse.ts';
import type { XmlElement } from './tree.ts';

export interface EnvelopedDocument {
  /** The document element's start tag (its attributes, so its namespaces and IDs) with the signatures as its only children. */
  root: XmlElement;
  /** The ds:Signature children of the document element, in document order (children of `root`). */
  signatures: XmlElement[];
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
  /**
   * SHA-256 of canonicalWithout(index), for every index at the cost of reading the text once (and
   * the whitespace between signatures once per signature before it).
   */
  digestWithout(index: number): Buffer;
  /** The document's text (less a byte-order mark) with `text` added as the document element's last content. */
  insertAtEnd(text: string): string;
}

const WHITESPACE = /^[ \t\r\n]*$/;

/** Read a signed document in one pass. Throws SigningError XML_TOO_LARGE, XML_FORBIDDEN_CONSTRUCT or XML_MALFORMED. */
export function readEnvelopedDocument(input: string, options: ParseXmlOptions = {}): EnvelopedDocument {
  const xml = screenXml(input, options);
  const writer = new CanonicalWriter();

  let root: XmlElement | undefined;
  let depth = 0;
  const signatures: XmlElement[] = [];
  // Canonical pieces (indexes into writer.finish()): everything before the first signature under the
  // root, then the signatures and the text between them, then the root's end tag.
  let head: number | undefined;
  const pieces: Array<{ signature?: number; piece: number }> = [];
  let tail = -1;
  // Where the document element's end ('</name>', or the '/>' of an empty element) stops.
  let rootEnd = -1;
  let rootSelfClosing = false;
  // The signature being copied into the small tree: its open elements, innermost last.
  const open: XmlElement[] = [];
  let nestedSignature = false;
  let contentAfterSignatures = false;
  let duplicateId: string | undefined;
  const ids = new Set<string>();

  const afterSignatures = (): boolean => head !== undefined && depth === 1 && open.length === 0;
  const cut = (): void => {
    const piece = writer.cut();
    if (head === undefined) head = piece;
    else pieces.push({ piece });
  };

  readXml(xml, {
    open(element) {
      for (const a of element.attributes) {
        if (!ID_ATTRIBUTE_NAMES.has(a.local)) continue;
        if (ids.has(a.value)) duplicateId ??= a.value;
        ids.add(a.value);
      }
      const isSignature = element.uri === DSIG_NS && element.local === 'Signature';
      if (depth === 0) {
        root = element;
      } else if (depth === 1 && isSignature) {
        cut();
        element.parent = root;
        (root as XmlElement).children.push(element);
        signatures.push(element);
        open.push(element);
      } else {
        if (isSignature) nestedSignature = true;
        if (afterSignatures()) contentAfterSignatures = true;
        const parent = open[open.length - 1];
        if (parent) {
          element.parent = parent;
          parent.children.push(element);
          open.push(element);
        }
      }
      writer.open(element);
      depth += 1;
    },
    close(element, selfClosing, end) {
      depth -= 1;
      if (depth === 0) {
        cut();
        writer.close(element.name);
        tail = writer.cut();
        rootEnd = end;
        rootSelfClosing = selfClosing;
        return;
      }
      writer.close(element.name);
      if (open.length > 0) {
        open.pop();
        if (open.length === 0) pieces.push({ signature: signatures.length - 1, piece: writer.cut() });
      }
    },
    text(text, cdata) {
      writer.text(text);
      const parent = open[open.length - 1];
      if (parent) parent.children.push({ kind: 'text', text, cdata });
      else if (afterSignatures() && !WHITESPACE.test(text)) contentAfterSignatures = true;
    },
    comment(text) {
      // Not covered by the signatures (a same-document reference drops comments), but kept where the
      // signature checks look: inside a signature, and after the signatures.
      const parent = open[open.length - 1];
      if (parent) parent.children.push({ kind: 'comment', text });
      else if (afterSignatures()) contentAfterSignatures = true;
    },
  });
  if (!root || head === undefined) throw malformed('The XML has no root element.');
  const texts = writer.finish();
  const start = texts[head] as string;
  const end = texts[tail] as string;
  const between = pieces.map((p) => ({ signature: p.signature, text: texts[p.piece] as string }));
  let digests: Buffer[] | undefined;
  const rootName = root.name;
  return {
    root,
    signatures,
    nestedSignature,
    contentAfterSignatures,
    duplicateId,
    canonicalWithout: (index) =>
      start +
      between
        .filter((p) => p.signature === undefined || p.signature < index)
        .map((p) => p.text)
        .join('') +
      end,
    digestWithout(index) {
      digests ??= digestsWithout(start, between, end);
      const digest = digests[index];
      if (!digest) throw new RangeError(`no signature ${index}`);
      return digest;
    },
    insertAtEnd: (text) => {
      if (rootSelfClosing) return `${xml.slice(0, rootEnd - 2)}>${text}</${rootName}>${xml.slice(rootEnd)}`;
      // An end tag holds no '<' but its first: the last '</' before its '>' is where it starts.
      const at = xml.lastIndexOf('</', rootEnd - 1);
      return xml.slice(0, at) + text + xml.slice(at);
    },
  };
}

/**
 * The digest each signature covers, and (last) that of the whole document: one running hash over
 * the text, copied at each signature and completed with what follows that is not a signature.
 */
function digestsWithout(
  start: string,
  between: ReadonlyArray<{ signature: number | undefined; text: string }>,
  end: string,
): Buffer[] {
  const running = createHash('sha256').update(start, 'utf8');
  const digests: Buffer[] = [];
  between.forEach((p, at) => {
    if (p.signature !== undefined) {
      const covered = running.copy();
      for (const later of between.slice(at + 1))
        if (later.signature === undefined) covered.update(later.text, 'utf8');
      digests.push(covered.update(end, 'utf8').digest());
    }
    running.update(p.text, 'utf8');
  });
  digests.push(running.update(end, 'utf8').digest());
  return digests;
}
