/**
 * What the user is shown of each document before signing it (docs/ncalayer.md, "The dialog"):
 * XML as readable "path: text" lines, other data as its size and SHA-256, a ready hash as itself.
 * The XML is read by signing's hardened parser (no DTDs or entities); a document it refuses is
 * refused here, before any dialog opens.
 */
import { isSigningError, parseXml } from '../../signing/index.ts';
import type { Element, Node } from '@xmldom/xmldom';
import { NcaLayerFailure } from './replies.ts';
import { sha256Hex, type CmsDocument, type SignJob } from './requests.ts';
import type { DocumentSummary } from './user.ts';

/** Larger documents are shown by size and hash only: their lines would not be read anyway. */
export const MAX_READABLE_XML_BYTES = 1024 * 1024;
export const MAX_LINES = 500;
const MAX_TEXT = 300;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}

/** Elements and attributes that hold text, as "a/b/c" and "a/b/@id" paths, in document order. */
function readableLines(root: Element): { lines: Array<{ path: string; text: string }>; complete: boolean } {
  const lines: Array<{ path: string; text: string }> = [];
  const stack: Array<{ element: Element; path: string }> = [{ element: root, path: root.localName ?? root.nodeName }];
  while (stack.length > 0) {
    const { element, path } = stack.pop()!;
    for (let i = 0; i < element.attributes.length; i++) {
      const attribute = element.attributes.item(i)!;
      if (attribute.name === 'xmlns' || attribute.name.startsWith('xmlns:')) continue;
      lines.push({ path: `${path}/@${attribute.localName ?? attribute.name}`, text: clip(attribute.value) });
    }
    let text = '';
    const children: Element[] = [];
    for (let child: Node | null = element.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) text += child.nodeValue ?? '';
      else if (child.nodeType === ELEMENT_NODE) children.push(child as Element);
    }
    if (text.trim()) lines.push({ path, text: clip(text) });
    if (lines.length >= MAX_LINES) return { lines: lines.slice(0, MAX_LINES), complete: false };
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      stack.push({ element: child, path: `${path}/${child.localName ?? child.nodeName}` });
    }
  }
  return { lines, complete: true };
}

export function summarizeXml(xml: string): DocumentSummary {
  const bytes = Buffer.byteLength(xml, 'utf8');
  const base = { kind: 'xml', bytes, sha256: sha256Hex(xml) } as const;
  if (bytes > MAX_READABLE_XML_BYTES) return { ...base, lines: [], complete: false };
  try {
    const root = parseXml(xml).documentElement;
    if (!root) throw new NcaLayerFailure('XML_MALFORMED', 'The XML document has no root element.');
    return { ...base, ...readableLines(root as unknown as Element) };
  } catch (e) {
    if (isSigningError(e)) throw new NcaLayerFailure(e.code, e.message);
    throw e;
  }
}

function summarizeCms(document: CmsDocument): DocumentSummary {
  if ('sha256' in document) return { kind: 'hash', sha256: document.sha256.toString('hex').toUpperCase() };
  return { kind: 'binary', bytes: document.bytes.length, sha256: sha256Hex(document.bytes) };
}

export function summarize(job: SignJob): DocumentSummary[] {
  switch (job.format) {
    case 'xml':
      return job.documents.map(summarizeXml);
    case 'cms':
      return job.documents.map(summarizeCms);
    case 'raw':
      return job.documents.map((bytes) => summarizeCms({ bytes }));
  }
}
