/**
 * `joldama keys <file-or-folder> [--password-env NAME] [--at ISO-8601] [--json]`: lists the keys in
 * key containers. The password never comes from an argument (shell history, ps): an environment
 * variable named by --password-env, or a no-echo prompt on the terminal.
 */
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { SigningError } from '../signing/errors.ts';
import { listKeysWithProblems, type KeyListProblem } from '../signing/keystore/find.ts';
import type { KeyEntry } from '../signing/types.ts';
import { envName, isoInstant, parseOptions } from './options.ts';

const EXIT_OK = 0;
const EXIT_FAILURE = 3;

const optionsSchema = z.object({
  passwordEnv: z.optional(envName()),
  at: z.optional(isoInstant()),
  json: z.optional(z.boolean()),
});

/** Reads a password without echo from the terminal, or fails when there is none. */
function promptPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return Promise.reject(
      new SigningError('WRONG_PASSWORD', 'No terminal to ask for the password: use --password-env NAME.'),
    );
  }
  return new Promise((resolve, reject) => {
    let password = '';
    const finish = (error?: SigningError): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(password);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003')
          return finish(new SigningError('WRONG_PASSWORD', 'Cancelled: no password given.'));
        if (char === '\u007f' || char === '\b') password = [...password].slice(0, -1).join('');
        else password += char;
      }
    };
    // Echo off before the prompt shows: keys typed as soon as it appears must not be echoed.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The key password: from the named environment variable, else a no-echo terminal prompt. */
export async function readPassword(passwordEnv: string | undefined): Promise<string> {
  if (passwordEnv === undefined) return promptPassword('Key password: ');
  const value = process.env[passwordEnv];
  if (value === undefined) {
    throw new SigningError(
      'WRONG_PASSWORD',
      `The environment variable ${passwordEnv} (--password-env) is not set.`,
    );
  }
  return value;
}

/** The `keys --json` shape: exactly these fields, in this order. */
function jsonEntry(key: KeyEntry): Record<string, unknown> {
  return {
    file: key.file,
    index: key.index,
    commonName: key.commonName,
    iin: key.iin,
    bin: key.bin,
    organization: key.organization,
    role: key.role,
    purposes: key.purposes,
    serialNumber: key.serialNumber,
    issuer: key.issuer,
    notBefore: key.notBefore,
    notAfter: key.notAfter,
    status: key.status,
    algorithm: key.algorithm,
    keySize: key.keySize,
    fingerprintSha256: key.fingerprintSha256,
  };
}

/** A plain text table: columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c + ' '.repeat((widths[i] ?? 0) - [...c].length))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

function humanTable(keys: KeyEntry[]): string {
  return formatTable(
    ['FILE', '#', 'OWNER', 'IIN', 'BIN', 'ROLE', 'PURPOSE', 'STATUS', 'VALID UNTIL', 'SERIAL', 'ISSUER'],
    keys.map((k) => [
      k.file,
      String(k.index),
      k.commonName,
      k.iin ?? '',
      k.bin ?? '',
      k.role,
      k.purposes.join('+'),
      k.status,
      k.notAfter.slice(0, 10),
      k.serialNumber,
      k.issuer,
    ]),
  );
}

function reportProblems(problems: KeyListProblem[]): void {
  for (const p of problems) process.stderr.write(`warning: ${p.file}: ${p.message}\n`);
}

async function runKeys(path: string, rawOptions: unknown): Promise<number> {
  const options = parseOptions(optionsSchema, rawOptions);
  if (!options) return EXIT_FAILURE;
  const at = options.at === undefined ? new Date() : new Date(options.at);
  try {
    const password = await readPassword(options.passwordEnv);
    const { keys, problems } = await listKeysWithProblems(path, password, at);
    if (keys.length === 0) {
      const problem = problems.find((p) => p.code === 'WRONG_PASSWORD') ?? problems[0];
      process.stderr.write(
        `error: ${problem ? problem.message : `No key files (.p12, .pfx) found in ${path}`}\n`,
      );
      return EXIT_FAILURE;
    }
    reportProblems(problems);
    process.stdout.write(
      options.json ? `${JSON.stringify(keys.map(jsonEntry), null, 2)}\n` : humanTable(keys),
    );
    return EXIT_OK;
  } catch (e) {
    const message = e instanceof SigningError ? e.message : 'Unexpected failure while reading the keys.';
    process.stderr.write(`error: ${message}\n`);
    return EXIT_FAILURE;
  }
}

export function registerKeysCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('keys')
    .description('List the keys in a key file or in the key files of a folder (.p12, .pfx)')
    .argument('<file-or-folder>', 'a key container or a folder to search')
    .option('--password-env <NAME>', 'read the key password from this environment variable (else: prompt)')
    .option('--at <ISO-8601>', 'report validity at this time instead of now')
    .option('--json', 'print JSON instead of a table')
    .action(async (path: string, options: unknown) => {
      setExit(await runKeys(path, options));
    });
}
