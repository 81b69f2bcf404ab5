/**
 * The `joldama` command's commander program: help, and every command but a plain `joldama verify`
 * call (cli/main.ts). Only the module of the command asked for is loaded (a command never loads the
 * portal, Fastify or a database driver unless it needs them); help and unknown commands load them
 * all so commander can list them.
 */
import { Command, CommanderError } from 'commander';

const EXIT_USAGE = 3;

type Register = (program: Command, setExit: (code: number) => void) => void;

/** In the order `joldama --help` lists them. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  keys: async () => (await import('./keys.ts')).registerKeysCommand,
  sign: async () => (await import('./sign.ts')).registerSignCommand,
  verify: async () => (await import('./verify.ts')).registerVerifyCommand,
  'demo-pki': async () => (await import('./demo-pki.ts')).registerDemoPkiCommand,
  portal: async () => (await import('./portal.ts')).registerPortalCommand,
  calendar: async () => (await import('./calendar.ts')).registerCalendarCommand,
};

export async function runProgram(argv: string[]): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('joldama')
    .description('Joldama: Kazakh EDS keys, XML signatures and the referral portal')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const asked = argv[0];
  const names = asked !== undefined && Object.hasOwn(COMMANDS, asked) ? [asked] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]!())(program, setExit);
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
