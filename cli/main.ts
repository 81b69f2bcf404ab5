/**
 * `joldama` command dispatcher. Each command lives in its own module and returns an exit code.
 * Exit codes (verify): 0 TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 3 bad usage or unreadable input.
 */
import { Command, CommanderError } from 'commander';
import { registerKeysCommand } from './keys.ts';
import { registerSignCommand } from './sign.ts';
import { registerVerifyCommand } from './verify.ts';
import { registerDemoPkiCommand } from './demo-pki.ts';
import { registerPortalCommand } from './portal.ts';

export const EXIT_USAGE = 3;

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('joldama')
    .description('Joldama: Kazakh EDS keys, XML signatures and the referral portal')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerKeysCommand(program, setExit);
  registerSignCommand(program, setExit);
  registerVerifyCommand(program, setExit);
  registerDemoPkiCommand(program, setExit);
  registerPortalCommand(program, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    throw e;
  }
  return exitCode;
}
