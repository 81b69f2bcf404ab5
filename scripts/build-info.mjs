/**
 * What a build was made from, so a stale build is noticed instead of run: each build writes
 * build-info.json into its output folder (the time it started, the files it read), and
 * buildProblem() finds a file changed or gone since. Used for dist/cli (scripts/build-cli.mjs)
 * and renderer/dist (renderer/vite.config.ts).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Whatever the build read from node_modules: npm rewrites this file on every install. */
const DEPENDENCIES = 'node_modules/.package-lock.json';

/** Paths relative to the repository, without node_modules ones (DEPENDENCIES sums them up). */
function ourInputs(inputs) {
  const ours = inputs
    .map((f) => path.relative(root, path.resolve(root, f)).split(path.sep).join('/'))
    .filter((f) => !f.split('/').includes('node_modules'));
  return [...new Set(ours), DEPENDENCIES];
}

/**
 * Records a build: `inputs` are paths relative to the repository (or absolute). `parts` names
 * subsets that can be checked on their own (a part's inputs: what one use of the build runs).
 */
export function writeBuildInfo(dir, startedAt, inputs, parts = {}) {
  const partInputs = Object.fromEntries(Object.entries(parts).map(([name, files]) => [name, ourInputs(files)]));
  writeFileSync(path.join(dir, 'build-info.json'), JSON.stringify({ startedAt, inputs: ourInputs(inputs), parts: partInputs }));
}

/**
 * Why the build in `dir` cannot be used as it is (missing, or a file changed since), or undefined
 * when current. With `part`, only that part's inputs are checked (all when the build has no such part).
 */
export function buildProblem(dir, part) {
  let builtAt;
  let inputs;
  try {
    const info = JSON.parse(readFileSync(path.join(dir, 'build-info.json'), 'utf8'));
    builtAt = info.startedAt;
    inputs = (part !== undefined && info.parts?.[part]) || info.inputs;
  } catch {
    return 'it is not built';
  }
  // Called on every start of the `joldama` command: a plain join and a stat that does not throw
  // keep this a few milliseconds for a few hundred files (path.resolve each time cost tens).
  for (const input of inputs) {
    const changedAt = statSync(path.isAbsolute(input) ? input : `${root}/${input}`, { throwIfNoEntry: false })?.mtimeMs;
    if (changedAt === undefined) return `${input} is gone since it was built`;
    if (changedAt > builtAt) return `${input} changed since it was built`;
  }
  return undefined;
}
