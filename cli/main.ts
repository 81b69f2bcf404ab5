/**
 * `joldama` command dispatcher. A plain `joldama verify` call (files and options as parseArgs reads
 * them from verify's option table) runs without commander: it is run once per document, so its
 * start-up is most of its cost (docs/architecture.md, "Start-up of `joldama verify`"). Everything
 * else, help and any call the fast path declines included, goes to commander (cli/program.ts).
 * Exit codes (verify): 0 TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 3 bad usage or unreadable input.
 */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'verify') {
    const code = await (await import('./verify.ts')).runVerifyCall(argv.slice(1));
    if (code !== undefined) return code;
  }
  return (await import('./program.ts')).runProgram(argv);
}
