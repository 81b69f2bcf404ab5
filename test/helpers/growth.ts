/**
 * Growth of a cost with its input, measured as a ratio in one run: the median time on an input
 * twice as large over the median time on the smaller one. Linear work gives about 2, quadratic
 * about 4. The two sizes are timed alternately so that load from other processes falls on both.
 */
export async function growthRatio<T>(
  run: (input: T) => unknown,
  small: T,
  large: T,
  runs = 5,
): Promise<number> {
  await run(small); // warm-up: JIT, caches
  await run(large);
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [k, input] of [small, large].entries()) {
      const start = performance.now();
      await run(input);
      times[k as 0 | 1].push(performance.now() - start);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return median(times[1]) / median(times[0]);
}
