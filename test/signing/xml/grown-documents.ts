/**
 * Documents grown in one dimension, shared by the growth tests (linear-time.test.ts) and the bench
 * (test/bench/xml-growth.bench.ts): n attributes or namespace declarations on one start tag.
 */
export const list = (n: number, item: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => item(i)).join('');
export const attributes = (n: number): string => list(n, (i) => ` a${i}="v${i}"`);
export const declarations = (n: number): string => list(n, (i) => ` xmlns:p${i}="urn:p:${i}"`);
