/**
 * Random XML documents for property tests of canonicalisation, signing and verification: nested
 * elements with default and prefixed namespaces (declared, redeclared, undeclared), attributes with
 * and without prefixes, text with characters that need escaping, line ends, character references,
 * CDATA and comments. Every prefix used is declared where it is first needed.
 */
import fc from 'fast-check';

interface GenElement {
  kind: 'element';
  prefix: string;
  local: string;
  declarations: Array<[string, string]>;
  attributes: Array<{ prefix: string; local: string; value: string }>;
  children: GenNode[];
}
type GenNode = GenElement | { kind: 'text' | 'cdata' | 'comment'; value: string };

// Lower-case prefixes and namespace names none of which is a prefix of another: where xml-crypto
// departs from the specification (localeCompare, concatenated sort keys), these never reach it.
const PREFIXES = ['', 'a', 'b', 'c'];
const URIS = ['urn:one', 'urn:two', 'http://example.kz/three?x=1'];
const CHARS = ['a', 'Қ', 'ә', ' ', '\t', '\n', '\r', '\r\n', '&', '<', '>', '"', "'", ']]', '\u{1F600}', '0'];

const textValue = fc.array(fc.constantFrom(...CHARS), { maxLength: 8 }).map((a) => a.join(''));

const genTree = fc.letrec<{ element: GenElement; node: GenNode }>((tie) => ({
  element: fc.record({
    kind: fc.constant('element' as const),
    prefix: fc.constantFrom(...PREFIXES),
    local: fc.constantFrom('e', 'f', 'doc'),
    declarations: fc.uniqueArray(fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom('', ...URIS)), {
      maxLength: 3,
      selector: ([p]) => p,
    }),
    attributes: fc.array(
      fc.record({
        prefix: fc.constantFrom(...PREFIXES),
        local: fc.constantFrom('x', 'y', 'Id'),
        value: textValue,
      }),
      {
        maxLength: 3,
      },
    ),
    children: fc.array(tie('node'), { maxLength: 4 }),
  }),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constantFrom('text' as const, 'cdata' as const, 'comment' as const),
      value: textValue,
    }),
    tie('element'),
  ),
})).element;

const escapeText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, '&quot;');
// Character references keep a tab, line feed or carriage return that a literal would lose to normalisation.
const withRefs = (s: string, i: number): string =>
  i % 2 === 0 ? s : s.replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');

/** Serialises a generated tree, declaring whatever prefix it uses that is not yet in scope. */
function serialize(root: GenElement): string {
  let counter = 0;
  const write = (e: GenElement, scope: Map<string, string>): string => {
    const inScope = new Map(scope);
    const decls = new Map<string, string>();
    for (const [p, u] of e.declarations) if (p === '' || u !== '') decls.set(p, u);
    const need = (p: string): void => {
      if (p !== '' && !decls.has(p) && !inScope.has(p))
        decls.set(p, URIS[p.charCodeAt(0) % URIS.length] as string);
    };
    need(e.prefix);
    const seen = new Set<string>();
    const attrs: string[] = [];
    for (const a of e.attributes) {
      need(a.prefix);
      const uri = a.prefix === '' ? '' : (decls.get(a.prefix) ?? inScope.get(a.prefix));
      const key = `${uri}|${a.local}`;
      if (seen.has(key)) continue;
      seen.add(key);
      attrs.push(
        ` ${a.prefix ? `${a.prefix}:` : ''}${a.local}="${withRefs(escapeAttr(a.value), counter++)}"`,
      );
    }
    for (const [p, u] of decls) inScope.set(p, u);
    const name = `${e.prefix ? `${e.prefix}:` : ''}${e.local}`;
    const ns = [...decls].map(([p, u]) => ` xmlns${p ? `:${p}` : ''}="${escapeAttr(u)}"`).join('');
    const body = e.children
      .map((c) => {
        if (c.kind === 'element') return write(c, inScope);
        if (c.kind === 'text') return withRefs(escapeText(c.value), counter++);
        if (c.kind === 'cdata') return `<![CDATA[${c.value.replace(/]]>/g, '')}]]>`;
        return `<!--${c.value.replace(/-/g, '')}x-->`;
      })
      .join('');
    return `<${name}${ns}${attrs.join('')}>${body}</${name}>`;
  };
  return write(root, new Map());
}

export const generatedDocuments: fc.Arbitrary<string> = genTree.map(serialize);
