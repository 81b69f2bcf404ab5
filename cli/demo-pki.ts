/**
 * `joldama demo-pki <out-folder> [--ocsp-url URL] [--crl-url URL]`: writes the demo CA, demo keys
 * (NCA .p12 format, password Qwerty12), the CRL and index.json, then shows what it wrote.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { generateDemoPki } from '../demo/pki/generate.ts';
import { formatTable } from './keys.ts';
import { parseOptions } from './options.ts';

const EXIT_OK = 0;
const EXIT_FAILURE = 3;

const httpUrl = z.url({ protocol: /^https?$/ });
const optionsSchema = z.object({ ocspUrl: z.optional(httpUrl), crlUrl: z.optional(httpUrl) });

/** Writing into a folder that holds something else than a previous demo PKI would mix files up. */
async function isUsableFolder(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir);
    return entries.length === 0 || entries.includes('index.json');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

async function runDemoPki(outFolder: string, rawOptions: unknown): Promise<number> {
  const options = parseOptions(optionsSchema, rawOptions);
  if (!options) return EXIT_FAILURE;
  const dir = resolve(outFolder);
  if (!(await isUsableFolder(dir))) {
    process.stderr.write(
      `error: ${dir} is not empty and holds no demo PKI: choose an empty or new folder.\n`,
    );
    return EXIT_FAILURE;
  }
  try {
    const index = await generateDemoPki(dir, options);
    process.stdout.write(
      `Demo PKI written to ${dir}\n` +
        `  root CA:        ${join(dir, index.ca.root)}\n` +
        `  issuing CA:     ${join(dir, index.ca.intermediate)} (its key: ${index.ca.intermediateKey})\n` +
        `  CRL:            ${join(dir, index.ca.crl)}\n` +
        `  index:          ${join(dir, 'index.json')}\n` +
        `  key password:   ${index.password}\n\n`,
    );
    process.stdout.write(
      formatTable(
        ['OWNER', 'IIN', 'BIN', 'ROLE', 'PURPOSE', 'STATUS', 'VALID UNTIL', 'FILE'],
        index.keys.map((k) => [
          k.owner,
          k.iin,
          k.bin ?? '',
          k.role,
          k.purposes.join('+'),
          k.status,
          k.notAfter.slice(0, 10),
          k.file,
        ]),
      ),
    );
    return EXIT_OK;
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'unexpected failure';
    process.stderr.write(`error: could not write the demo PKI to ${dir} (${reason}).\n`);
    return EXIT_FAILURE;
  }
}

export function registerDemoPkiCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('demo-pki')
    .description('Generate a demo CA, demo NCA-format keys (password Qwerty12), a CRL and index.json')
    .argument('<out-folder>', 'where to write (empty, new, or a previous demo PKI)')
    .option(
      '--ocsp-url <URL>',
      'OCSP address written into the certificates (default http://127.0.0.1:8740/ocsp)',
    )
    .option('--crl-url <URL>', 'CRL address written into the certificates')
    .action(async (outFolder: string, options: unknown) => {
      setExit(await runDemoPki(outFolder, options));
    });
}
