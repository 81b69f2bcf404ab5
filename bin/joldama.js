#!/usr/bin/env node
// The `joldama` command: runs the built JavaScript in dist/cli/ (scripts/build-cli.mjs), building
// it first when it is missing or older than its sources (a checkout that changed since).
import { ensureCliBuilt } from '../scripts/build-cli.mjs';

try {
  await ensureCliBuilt(process.argv[2]);
} catch (e) {
  process.stderr.write(
    `joldama: the command is not built and could not be built (${e instanceof Error ? e.message : String(e)}).\n` +
      'Run `bash scripts/setup.sh` or `npm run build:cli` in the repository, then try again.\n',
  );
  process.exit(3);
}
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
