/**
 * `joldama sign <in.xml> --key <file.p12> --password-env NAME [--key-index N] [--out FILE]`:
 * signs an XML document in the Kalkan format. The password never comes from an argument.
 * Exit codes: 0 signed, 3 bad usage, unreadable input, wrong password or unsuitable key.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { SigningError } from '../signing/errors.ts';
import { fileSigner } from '../signing/keystore/file-signer.ts';
import { openKeyStore } from '../signing/keystore/pkcs12.ts';
import { readXmlFile } from '../signing/xml/read-file.ts';
import { signXml } from '../signing/xml/sign.ts';
import { readPassword } from './keys.ts';
import { envName, parseOptions } from './options.ts';

const EXIT_OK = 0;
const EXIT_USAGE = 3;

const optionsSchema = z.object({
  key: z.string().check(z.minLength(1)),
  passwordEnv: z.optional(envName()),
  keyIndex: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 0),
  out: z.optional(z.string().check(z.minLength(1))),
});

async function runSign(input: string, rawOptions: unknown): Promise<number> {
  const options = parseOptions(optionsSchema, rawOptions);
  if (!options) return EXIT_USAGE;
  try {
    const xml = await readXmlFile(input);
    const password = await readPassword(options.passwordEnv);
    const keys = await openKeyStore(options.key, password);
    const key = keys[options.keyIndex];
    if (!key) {
      throw new SigningError('KEY_INDEX_OUT_OF_RANGE', `The key file holds ${keys.length} key(s); --key-index ${options.keyIndex} does not exist.`);
    }
    const signed = await signXml(xml, fileSigner(key));
    if (options.out) await writeFile(options.out, signed, 'utf8');
    else process.stdout.write(signed);
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof SigningError)) throw e;
    const hint = e.code === 'WRONG_PASSWORD' && !/password/i.test(e.message) ? ' (wrong password?)' : '';
    process.stderr.write(`error: ${e.message}${hint}\n`);
    return EXIT_USAGE;
  }
}

export function registerSignCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('sign')
    .description('Sign an XML document (enveloped XMLDSig, as Kalkan/NCALayer do)')
    .argument('<in.xml>', 'the document to sign (UTF-8)')
    .requiredOption('--key <file.p12>', 'the key container (.p12, .pfx)')
    .option('--password-env <NAME>', 'read the key password from this environment variable (else: prompt)')
    .option('--key-index <N>', 'which key of the container (default 0)')
    .option('--out <FILE>', 'write the signed document here instead of standard output')
    .action(async (input: string, options: unknown) => {
      setExit(await runSign(input, options));
    });
}
