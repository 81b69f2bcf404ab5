/**
 * Stand-in for bin/joldama.js while signing/cli/main.ts cannot load yet (sign.ts / verify.ts are
 * other engineers' and may be missing): the same dispatcher shape with only `keys` and `demo-pki`.
 */
import { Command, CommanderError } from 'commander';
import { registerDemoPkiCommand } from '../../../signing/cli/demo-pki.ts';
import { registerKeysCommand } from '../../../signing/cli/keys.ts';

let exitCode = 0;
const program = new Command('joldama').exitOverride();
registerKeysCommand(program, (code) => (exitCode = code));
registerDemoPkiCommand(program, (code) => (exitCode = code));
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  exitCode = e.exitCode === 0 ? 0 : 3;
}
process.exitCode = exitCode;
