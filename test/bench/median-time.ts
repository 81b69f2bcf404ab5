/**
 * Median time per call in ms, after a warm-up (JIT) of at least 3 calls and 500 ms. The median,
 * not the mean, because the machine is shared and other processes cause outliers.
 */
export async function medianMs(fn: () => unknown, budgetMs = 2000): Promise<number> {
  const warmStart = performance.now();
  for (let i = 0; i < 3 || performance.now() - warmStart < 500; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 7 || performance.now() - start < budgetMs) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}
