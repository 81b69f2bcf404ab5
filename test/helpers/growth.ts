/**
 * Growth of a cost with its input, measured as a ratio in one run: the median cost on an input
 * twice as large over the median cost on the smaller one. Linear work gives about 2, quadratic
 * about 4 (and more as the quadratic part takes over).
 *
 * The cost is this process's CPU time (user + system), not wall time: on a shared machine waiting
 * for a core is not work. Each run starts after a full garbage collection, so that one run does not
 * pay for another's garbage, and the two sizes are measured alternately after a warm-up. Other
 * processes can still only make a run slower, never a cost grow slower: one measurement under the
 * bound is proof, so a measurement over it is repeated (at most `attempts` times, the lowest kept).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** The bound a 2x input's ratio must stay under: between linear (2) and quadratic (4). */
export const LINEAR_BOUND = 3.5;

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

async function cpuCost(run: () => unknown): Promise<number> {
  collectGarbage();
  const start = process.cpuUsage();
  await run();
  const { user, system } = process.cpuUsage(start);
  return user + system;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function growthRatio<T>(
  run: (input: T) => unknown,
  small: T,
  large: T,
  { runs = 5, attempts = 5 } = {},
): Promise<number> {
  await run(small); // warm-up: JIT, caches
  await run(large);
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < attempts && best >= LINEAR_BOUND; attempt++) {
    const costs: [number[], number[]] = [[], []];
    for (let i = 0; i < runs; i++) {
      costs[0].push(await cpuCost(() => run(small)));
      costs[1].push(await cpuCost(() => run(large)));
    }
    best = Math.min(best, median(costs[1]) / median(costs[0]));
  }
  return best;
}
