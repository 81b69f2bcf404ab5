/**
 * What the user is shown of each document before signing it (docs/ncalayer.md, "The dialog"):
 * XML as readable "path: text" lines, other data as its size and SHA-256, a ready hash as itself.
 * The XML is read by signing's hardened parser (no DTDs or entities); a document it refuses is
 * refused here, before any dialog opens.
 */
import { isSigningError, parseXml, type XmlElement } from '../../signing/index.ts';
import { NcaLayerFailure } from './replies.ts';
import { sha256Hex, type CmsDocument, type SignJob } from './requests.ts';
import type { DocumentSummary } from './user.ts';

/** Larger documents are shown by size and hash only: their lines would not be read anyway. */
export const MAX_READABLE_XML_BYTES = 1024 * 1024;
export const MAX_LINES = 500;
const MAX_TEXT = 300;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}

/** Elements and attributes that hold text, as "a/b/c" and "a/b/@id" paths, in document order. */
function readableLines(root: XmlElement): { lines: Array<{ path: string; text: string }>; complete: boolean } {
  const lines: Array<{ path: string; text: string }> = [];
  const stack: Array<{ element: XmlElement; path: string }> = [{ element: root, path: root.local }];
  while (stack.length > 0) {
    const { element, path } = stack.pop()!;
    // Namespace declarations are kept apart from the attributes by the parser: not shown.
    for (const attribute of element.attributes) lines.push({ path: `${path}/@${attribute.local}`, text: clip(attribute.value) });
    let text = '';
    const children: XmlElement[] = [];
    for (const child of element.children) {
      if (child.kind === 'text') text += child.text;
      else if (child.kind === 'element') children.push(child);
    }
    if (text.trim()) lines.push({ path, text: clip(text) });
    if (lines.length >= MAX_LINES) return { lines: lines.slice(0, MAX_LINES), complete: false };
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      stack.push({ element: child, path: `${path}/${child.local}` });
    }
  }
  return { lines, complete: true };
}

export function summarizeXml(xml: string): DocumentSummary {
  const bytes = Buffer.byteLength(xml, 'utf8');
  const base = { kind: 'xml', bytes, sha256: sha256Hex(xml) } as const;
  if (bytes > MAX_READABLE_XML_BYTES) return { ...base, lines: [], complete: false };
  try {
    return { ...base, ...readableLines(parseXml(xml)) };
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
