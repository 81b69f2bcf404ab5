/**
 * Reading, canonicalising, signing and verifying cost time linear in what an outsider sends (the
 * portal verifies login documents before anyone is logged in). Each dimension of a document is
 * grown twice over and the cost ratio measured in the same run (test/helpers/growth.ts): linear
 * work gives about 2, quadratic about 4. The sizes are large enough that the document's cost, not
 * the fixed cost of one RSA operation, dominates (and that the quadratic costs this replaced
 * measured over 4).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalizeElement } from '../../../signing/xml/c14n.ts';
import { parseXml } from '../../../signing/xml/parse.ts';
import { signXml } from '../../../signing/xml/sign.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import { LINEAR_BOUND, growthRatio } from '../../helpers/growth.ts';
import { attributes, declarations, list } from './grown-documents.ts';
import { getXmlTestContext, type XmlTestContext } from './helpers.ts';

let ctx: XmlTestContext;

beforeAll(async () => {
  ctx = await getXmlTestContext();
});

const longName = (n: number, end: string): string => `urn:${'n'.repeat(n)}:${end}`;

/**
 * Each dimension the document can grow in, on the document element and on a child element: a
 * document of size n (counts chosen so that n takes some tens of ms to verify).
 */
const DIMENSIONS: Array<[string, number, (n: number) => string]> = [
  ['attributes on the document element', 20_000, (n) => `<r${attributes(n)}><c>x</c></r>`],
  ['attributes on a child element', 10_000, (n) => `<r><c${attributes(n)}>x</c></r>`],
  ['namespace declarations on the document element', 20_000, (n) => `<r${declarations(n)}><c>x</c></r>`],
  ['namespace declarations on a child element', 10_000, (n) => `<r><c${declarations(n)}>x</c></r>`],
  ['elements in the document element', 20_000, (n) => `<r>${list(n, (i) => `<e n="${i}">x</e>`)}</r>`],
  ['elements in a child element', 20_000, (n) => `<r><c>${list(n, (i) => `<e n="${i}">x</e>`)}</c></r>`],
  ['text in the document element', 200_000, (n) => `<r>${'abcdefghij'.repeat(n)}</r>`],
  ['text in a child element', 200_000, (n) => `<r><c>${'abcdefghij'.repeat(n)}</c></r>`],
  [
    'elements declaring a namespace, under many declarations',
    5_000,
    (n) => `<r${declarations(n)}>${list(n, (i) => `<e xmlns:q${i}="urn:q"/>`)}</r>`,
  ],
  [
    'attributes in two namespaces with long names',
    50_000,
    (n) =>
      `<r xmlns:a="${longName(n, 'a')}" xmlns:b="${longName(n, 'b')}">` +
      `<c${list(n / 20, (i) => ` a:x${i}="" b:x${i}=""`)}/>${list(n / 100, () => '<d a:x="" b:x=""/>')}</r>`,
  ],
];

describe('reading, canonicalising, signing and verifying cost time linear in every dimension of a document', () => {
  for (const [dimension, n, make] of DIMENSIONS) {
    it(`parseXml: ${dimension}`, async () => {
      const ratio = await growthRatio((xml) => parseXml(xml), make(n), make(2 * n));
      expect(ratio).toBeLessThan(LINEAR_BOUND);
    }, 120_000);

    it(`canonicalizeElement: ${dimension}`, async () => {
      // The tree is read beforehand: this measures canonicalising alone.
      const ratio = await growthRatio((tree) => canonicalizeElement(tree), parseXml(make(n)), parseXml(make(2 * n)));
      expect(ratio).toBeLessThan(LINEAR_BOUND);
    }, 120_000);

    it(`signXml: ${dimension}`, async () => {
      const ratio = await growthRatio((xml) => signXml(xml, ctx.signLeaf.signer), make(n), make(2 * n));
      expect(ratio).toBeLessThan(LINEAR_BOUND);
    }, 120_000);

    it(`verifyXml: ${dimension}`, async () => {
      const [small, large] = await Promise.all(
        [make(n), make(2 * n)].map((xml) => signXml(xml, ctx.signLeaf.signer)),
      );
      const verify = async (xml: string): Promise<void> => {
        expect((await verifyXml(xml, ctx.options)).indication).toBe('TOTAL_PASSED');
      };
      const ratio = await growthRatio(verify, small as string, large as string);
      expect(ratio).toBeLessThan(LINEAR_BOUND);
    }, 120_000);
  }

  it('verifyXml: attributes on the signature element', async () => {
    const signed = await signXml('<r><c>x</c></r>', ctx.signLeaf.signer);
    const make = (n: number): string => signed.replace('<ds:Signature ', `<ds:Signature${attributes(n)} `);
    const ratio = await growthRatio((xml) => verifyXml(xml, ctx.options), make(20_000), make(40_000));
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  }, 120_000);
});
