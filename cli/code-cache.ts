/**
 * Runs a CommonJS bundle with a V8 code cache beside it (`FILE.cache`), so a start skips compiling
 * the functions an earlier run compiled: for `joldama verify`, compiling its JavaScript was about a
 * third of its instructions (docs/architecture.md, "Start-up of `joldama verify`"). Node 20 has no
 * compile cache of its own (Node 22's module.enableCompileCache) and none for ES modules, hence
 * the CommonJS bundle and node:vm.
 *
 * The cache is made by the first run after each build (the build replaces dist/cli whole, caches
 * included) and taken after the work, so it holds every function that run compiled, not just the
 * top level. V8 refuses a cache made by another V8 version, with other flags or for another source
 * length; the bundle then compiles as if there were none, and the cache is made again. V8 does not
 * checksum the code itself, so the cache is exactly as trusted as the bundle: it is only ever
 * written beside it, by whoever may write the bundle (a folder the user cannot write, an install
 * owned by root, just means no cache), and never committed.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

export interface CachedModule {
  exports: Record<string, unknown>;
  /** Whether the code cache was there and V8 took it. */
  cacheUsed: boolean;
  /**
   * Writes the cache when there was none or V8 refused it: call when the work is done, so the
   * functions it compiled are in it. Never throws (the cache is an optimisation only).
   */
  saveCache(): void;
}

/** Loads and runs `file` (an absolute path to a CommonJS bundle) with the code cache beside it. */
export function requireWithCodeCache(file: string): CachedModule {
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // none yet
  }
  // The wrapper CommonJS gives a module, so the bundle runs as if required.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  // No import() in it: node:vm would need an experimental flag to serve one. The build turns the
  // bundle's lazy imports into require() (scripts/build-cli.mjs, COMMON_JS).
  const script = new vm.Script(source, { filename: pathToFileURL(file).href, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: module.exports,
    cacheUsed,
    saveCache: () => {
      if (cacheUsed) return;
      const staging = `${cacheFile}.${process.pid}`;
      try {
        writeFileSync(staging, script.createCachedData());
        renameSync(staging, cacheFile); // whole or not at all, as other runs may read it meanwhile
      } catch {
        try {
          rmSync(staging, { force: true });
        } catch {
          // not writable at all: no cache
        }
      }
    },
  };
}
