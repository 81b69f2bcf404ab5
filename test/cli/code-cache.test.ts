/**
 * cli/code-cache.ts: `joldama verify` runs its CommonJS bundle with a V8 code cache beside it. The
 * cache is made once, then taken; a damaged or foreign one is refused by V8 and made again, and
 * the bundle runs the same either way (a cache is never needed to run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'joldama-code-cache-'));
  file = join(dir, 'bundle.cjs');
  writeFileSync(join(dir, 'helper.cjs'), 'exports.twice = (n) => n * 2;\n');
  // A module as a bundle is: CommonJS, requiring a file beside it, knowing its own name.
  writeFileSync(file, "const { twice } = require('./helper.cjs');\nexports.run = (n) => twice(n) + 1;\nexports.name = __filename;\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Loads the bundle in a new process, as each `joldama verify` does (within one process V8 keeps
 * compiled scripts in memory and would not even look at the cache), and saves the cache.
 */
function load(): { result: number; name: string; cacheUsed: boolean } {
  const script = `
    import { requireWithCodeCache } from ${JSON.stringify(pathToFileURL(join(process.cwd(), 'cli/code-cache.ts')).href)};
    const loaded = requireWithCodeCache(${JSON.stringify(file)});
    const result = loaded.exports.run(20);
    loaded.saveCache();
    console.log(JSON.stringify({ result, name: loaded.exports.name, cacheUsed: loaded.cacheUsed }));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout) as { result: number; name: string; cacheUsed: boolean };
}

describe('requireWithCodeCache', () => {
  it('runs the bundle as CommonJS; the first run makes the cache, the next one takes it', () => {
    expect(load()).toEqual({ result: 41, name: file, cacheUsed: false });
    expect(existsSync(`${file}.cache`)).toBe(true);
    expect(load()).toEqual({ result: 41, name: file, cacheUsed: true });
  });

  it('a damaged cache is refused, the bundle still runs, and the cache is made again', () => {
    load();
    const good = readFileSync(`${file}.cache`);
    // The header: what V8 checks (its version, the flags, the source's length).
    writeFileSync(`${file}.cache`, Buffer.from(good.map((b, i) => (i < 16 ? b ^ 0xff : b))));
    expect(load()).toMatchObject({ result: 41, cacheUsed: false });
    expect(load()).toMatchObject({ result: 41, cacheUsed: true });
  });

  it('a cache made for another source is refused', () => {
    load();
    writeFileSync(file, 'exports.run = (n) => n - 1; // a longer, different bundle than the one cached\n');
    expect(load()).toMatchObject({ result: 19, cacheUsed: false });
  });
});
