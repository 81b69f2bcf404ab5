/**
 * Verifying a document with many attributes or namespace declarations on one start tag, in
 * `npm run bench`: 10k and 100k on the document element beside the same count on a child element.
 * The document element's start tag is read apart from the rest (it is canonicalised once for each
 * signature), so it is where a quadratic cost would hide; the goal is that it costs at most 2× the
 * same count on a child, and that 10× the count costs about 10× the time.
 * Run alone: `npx tsx test/bench/xml-growth.bench.ts`.
 */
import { fileURLToPath } from 'node:url';
import type { Signer } from '../../signing/types.ts';
import { TrustStore } from '../../signing/trust/trust-store.ts';
import { signXml } from '../../signing/xml/sign.ts';
import { verifyXml, type VerifyXmlOptions } from '../../signing/xml/verify.ts';
import { getTestPki } from '../signing/xml/fixtures.ts';
import { attributes, declarations } from '../signing/xml/grown-documents.ts';
import { medianMs } from './median-time.ts';

export interface GrowthRow {
  name: string;
  doc: string;
  ms: number;
}

export const GROWTH_COUNTS = [10_000, 100_000] as const;
const KINDS = [
  ['attributes', attributes],
  ['namespace declarations', declarations],
] as const;
const PLACES = [
  ['document element', (items: string) => `<r${items}><c>x</c></r>`],
  ['child element', (items: string) => `<r><c${items}>x</c></r>`],
] as const;

export const growthRowName = (kind: string, place: string): string => `verifyXml, ${kind} on the ${place}`;
export const growthDoc = (count: number): string => `${count / 1000}k`;

export async function benchXmlGrowth(signer: Signer, options: VerifyXmlOptions): Promise<GrowthRow[]> {
  const rows: GrowthRow[] = [];
  for (const [kind, items] of KINDS) {
    for (const count of GROWTH_COUNTS) {
      for (const [place, document] of PLACES) {
        const signed = await signXml(document(items(count)), signer);
        const check = await verifyXml(signed, options);
        if (check.indication !== 'TOTAL_PASSED') throw new Error(`bench setup: ${JSON.stringify(check.errors)}`);
        rows.push({ name: growthRowName(kind, place), doc: growthDoc(count), ms: await medianMs(() => verifyXml(signed, options)) });
      }
    }
  }
  return rows;
}

/** The goal lines: document element vs child (≤ 2×) at each count, and 10k → 100k growth. */
export function growthGoals(rows: GrowthRow[]): string[] {
  const ms = (kind: string, place: string, count: number): number =>
    rows.find((r) => r.name === growthRowName(kind, place) && r.doc === growthDoc(count))?.ms ?? Number.NaN;
  const lines: string[] = [];
  for (const [kind] of KINDS) {
    for (const count of GROWTH_COUNTS) {
      const ratio = ms(kind, 'document element', count) / ms(kind, 'child element', count);
      lines.push(`verify, ${growthDoc(count)} ${kind}, document element vs child ≤ 2×: ${ratio.toFixed(2)}× ${ratio <= 2 ? 'met' : 'NOT met'}`);
    }
    for (const [place] of PLACES) {
      const [small, large] = GROWTH_COUNTS.map((count) => ms(kind, place, count)) as [number, number];
      lines.push(`verify, ${kind} on the ${place}, 10k → 100k (linear: ~10×): ${(large / small).toFixed(1)}×`);
    }
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const pki = await getTestPki();
  const leaf = await pki.issue({ purpose: 'SIGN' });
  const rows = await benchXmlGrowth(leaf.signer, { trust: TrustStore.fromCertificates([pki.ca]), revocation: false });
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) console.log(`${r.name.padEnd(width)}  ${r.doc.padEnd(4)}  ${r.ms.toFixed(2).padStart(8)}`);
  for (const line of growthGoals(rows)) console.log(`  ${line}`);
}
