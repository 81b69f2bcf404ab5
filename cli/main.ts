/**
 * `joldama` command dispatcher. A plain `joldama verify` call (files and options as parseArgs reads
 * them from verify's option table) runs without commander, and, when built, from verify.cjs with
 * a V8 code cache (cli/code-cache.ts): it is run once per document, so its start-up is most of its
 * cost (docs/architecture.md, "Start-up of `joldama verify`"). Everything else, help and any call
 * the fast path declines included, goes to commander (cli/program.ts).
 * Exit codes (verify): 0 TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 3 bad usage or unreadable input.
 */
import path from 'node:path';
import { requireWithCodeCache } from './code-cache.ts';
import type * as VerifyCommand from './verify.ts';

/** true in the built main.js (scripts/build-cli.mjs defines it); undeclared when run from source. */
declare const JOLDAMA_BUILT: boolean | undefined;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'verify') {
    const code = typeof JOLDAMA_BUILT === 'undefined' ? await verifyFromSource(argv) : await verifyBuilt(argv);
    if (code !== undefined) return code;
  }
  return (await import('./program.ts')).runProgram(argv);
}

async function verifyFromSource(argv: string[]): Promise<number | undefined> {
  return (await import('./verify.ts')).runVerifyCall(argv.slice(1));
}

async function verifyBuilt(argv: string[]): Promise<number | undefined> {
  const verify = requireWithCodeCache(path.join(import.meta.dirname, 'verify.cjs'));
  const code = await (verify.exports as unknown as typeof VerifyCommand).runVerifyCall(argv.slice(1));
  if (code !== undefined) verify.saveCache();
  return code;
}
