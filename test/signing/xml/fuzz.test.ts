/**
 * Fuzzing verifyXml with fast-check: mutated signed documents always get a report (never a throw),
 * and a report never says TOTAL_PASSED unless what it covered is exactly what was signed.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signXml } from '../../../signing/xml/sign.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import { getXmlTestContext, type XmlTestContext } from './helpers.ts';

let ctx: XmlTestContext;
let signed: string;
let original: string;

beforeAll(async () => {
  ctx = await getXmlTestContext();
  signed = await signXml(
    '<Referral Id="r1" xmlns:x="urn:x"><iin>870101300123</iin><x:amount cur="KZT">100</x:amount><note>Қазақ &amp; тілі</note></Referral>',
    ctx.signLeaf.signer,
    { referenceId: 'r1' },
  );
  const report = await verifyXml(signed, ctx.options);
  expect(report.indication).toBe('TOTAL_PASSED');
  original = report.signedXml!;
});

const SNIPPETS = ['<', '>', '&', '"', '<!---->', '<![CDATA[x]]>', ' Id="r1"', '<a Id="r1"/>', '<!DOCTYPE x>', '&#0;', 'ds:', '<?x?>', '=', '/', '0', 'Қ'];

type Mutation = { kind: 'replace' | 'insert' | 'delete'; at: number; text: string; length: number };

function mutate(xml: string, m: Mutation): string {
  const at = m.at % (xml.length + 1);
  if (m.kind === 'insert') return xml.slice(0, at) + m.text + xml.slice(at);
  if (m.kind === 'delete') return xml.slice(0, at) + xml.slice(at + m.length);
  return xml.slice(0, at) + m.text + xml.slice(at + m.text.length);
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'insert', 'delete'),
  at: fc.nat(),
  text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ minLength: 1, maxLength: 3 })),
  length: fc.integer({ min: 1, max: 8 }),
});

describe('verifyXml under mutation', () => {
  it('always reports, and passes only when the covered content is the signed content', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const xml = mutations.reduce(mutate, signed);
        const report = await verifyXml(xml, ctx.options);
        expect(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE']).toContain(report.indication);
        expect(Array.isArray(report.errors)).toBe(true);
        if (report.indication === 'TOTAL_PASSED') expect(report.signedXml).toBe(original);
        else expect(report.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 200, seed: 20261124 },
    );
  });

  it('a change to any covered character of the document never passes', async () => {
    const body = signed.slice(0, signed.indexOf('<ds:Signature'));
    // Positions inside text content and attribute values, where any change alters the meaning.
    const positions = [...body.matchAll(/>([^<]+)</g)].flatMap((m) => [m.index + 1]);
    positions.push(...[...body.matchAll(/="([^"]+)"/g)].map((m) => m.index + 2));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...positions), fc.constantFrom('7', 'X', 'ә'), async (at, ch) => {
        fc.pre(signed[at] !== ch);
        const report = await verifyXml(signed.slice(0, at) + ch + signed.slice(at + 1), ctx.options);
        expect(report.indication).not.toBe('TOTAL_PASSED');
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
