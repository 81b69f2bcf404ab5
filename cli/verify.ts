/**
 * `joldama verify <file.xml|folder>... [--trust PEM-FILE-OR-FOLDER]... [--at ISO-8601] [--crl FILE]...
 *  [--ocsp FILE]... [--no-revocation] [--multi] [--purpose AUTH|SIGN] [--json]`
 * One file: its full report. Several files, or a folder (its .xml files in name order, not its
 * subfolders): one line per file. --json: one JSON object per file, one per line (JSON Lines),
 * each with its `file`; a file that cannot be read, or is not an XML document at all, gives
 * `{ file, error: { code, message } }` (exit 3).
 * Exit codes: 0 TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 3 bad usage or unreadable input.
 * For several files, the most serious of theirs: 1 before 3 before 2 before 0 (see EXIT_SEVERITY).
 * Trust: the production NCA roots, plus every --trust. With --crl or --ocsp, revocation is decided
 * by those files alone (no network), judged at the validation time (--at, default now). The trust
 * store, the CRLs and the OCSP answers are loaded once per call and shared by all its files.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { SigningError } from '../signing/errors.ts';
import { createRevocationChecker } from '../signing/trust/revocation/checker.ts';
import { loadTrustStore } from '../signing/trust/trust-store.ts';
import type { Indication, RevocationOptions, SignerDetails, SignerReport, VerificationReport } from '../signing/types.ts';
import { readXmlFile } from '../signing/xml/read-file.ts';
import { verifyXml, type VerifyXmlOptions } from '../signing/xml/verify.ts';
import { isoInstant, parseOptions } from './options.ts';

const EXIT_CODES: Record<Indication, number> = { TOTAL_PASSED: 0, TOTAL_FAILED: 1, INDETERMINATE: 2 };
const EXIT_USAGE = 3;
/**
 * Which exit code wins when files differ, least serious first. A definite failure (forged,
 * changed, revoked) outranks all: neither a retry nor a corrected call makes that document valid.
 * Then unreadable input: the call itself must be corrected. Then INDETERMINATE, which may pass later.
 */
const EXIT_SEVERITY = [0, 2, EXIT_USAGE, 1];
const NO_REVOCATION_WARNING = 'Revocation was not checked (--no-revocation).';
/** Files verified at once: overlaps reading and OCSP round trips, bounds memory. */
const IN_FLIGHT = 8;

const optionsSchema = z.object({
  trust: z._default(z.array(z.string().check(z.minLength(1))), []),
  at: z.optional(isoInstant()),
  crl: z._default(z.array(z.string().check(z.minLength(1))), []),
  ocsp: z._default(z.array(z.string().check(z.minLength(1))), []),
  revocation: z._default(z.boolean(), true),
  multi: z.optional(z.boolean()),
  purpose: z.optional(z.enum(['AUTH', 'SIGN'])),
  json: z.optional(z.boolean()),
});

/** What one file came to: a report, or why it could not be verified at all. */
type Outcome = { file: string; report: VerificationReport } | { file: string; error: { code: string; message: string } };

/** The CLI's JSON: the report without signedXml (the CLI shows a verdict, not content). */
function jsonReport(report: VerificationReport): Record<string, unknown> {
  return {
    indication: report.indication,
    ...(report.subIndication ? { subIndication: report.subIndication } : {}),
    ...(report.signer ? { signer: report.signer } : {}),
    ...(report.signers ? { signers: report.signers } : {}),
    ...(report.validatedAt ? { validatedAt: report.validatedAt } : {}),
    errors: report.errors,
    warnings: report.warnings,
  };
}

const VERDICT: Record<Indication, string> = {
  TOTAL_PASSED: 'VALID',
  TOTAL_FAILED: 'INVALID',
  INDETERMINATE: 'CANNOT BE CONFIRMED',
};

function describeSigner(s: SignerDetails): string {
  const id = s.iin ? `, IIN ${s.iin}` : '';
  const org = s.organization ? `, ${s.organization}${s.bin ? ` (BIN ${s.bin})` : ''}` : '';
  return `${s.commonName}${id}${org}; certificate ${s.serialNumber} from ${s.issuer}, valid ${s.notBefore.slice(0, 10)} to ${s.notAfter.slice(0, 10)}`;
}

function verdictLine(r: VerificationReport | SignerReport): string {
  return `${VERDICT[r.indication]}${r.subIndication ? ` (${r.subIndication})` : ''}`;
}

function humanReport(report: VerificationReport): string {
  const lines = [`Signature: ${verdictLine(report)}`];
  if (report.signer) lines.push(`Signed by: ${describeSigner(report.signer)}`);
  report.signers?.forEach((s, i) => {
    lines.push(`Signature ${i + 1}: ${verdictLine(s)}${s.signer ? ` — ${describeSigner(s.signer)}` : ''}`);
  });
  if (report.validatedAt) lines.push(`Validated at: ${report.validatedAt}`);
  for (const e of report.errors) lines.push(`error: ${e}`);
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

/** One line for one of several files: verdict, who signed, the first error, how many warnings. */
function reportLine(outcome: Outcome): string {
  if ('error' in outcome) return `${outcome.file}: NOT READ — ${outcome.error.message}\n`;
  const { report } = outcome;
  const who = report.signer
    ? ` — ${report.signer.commonName}${report.signer.iin ? `, IIN ${report.signer.iin}` : ''}`
    : report.signers
      ? ` — ${report.signers.length} signatures`
      : '';
  const error = report.errors[0] ? `; error: ${report.errors[0]}` : '';
  const count = report.warnings.length;
  const warnings = count > 0 ? `; ${count} warning${count === 1 ? '' : 's'} (--json shows them)` : '';
  return `${outcome.file}: ${verdictLine(report)}${who}${error}${warnings}\n`;
}

function jsonLine(outcome: Outcome): string {
  const body = 'error' in outcome ? { error: outcome.error } : jsonReport(outcome.report);
  return `${JSON.stringify({ file: outcome.file, ...body })}\n`;
}

function exitCodeOf(outcome: Outcome): number {
  return 'error' in outcome ? EXIT_USAGE : EXIT_CODES[outcome.report.indication];
}

function mostSerious(codes: number[]): number {
  return codes.reduce((worst, code) => (EXIT_SEVERITY.indexOf(code) > EXIT_SEVERITY.indexOf(worst) ? code : worst), 0);
}

/** The files to verify, in order: each argument, or the .xml files of an argument that is a folder. */
async function expandArguments(args: string[]): Promise<{ files: string[]; hadFolder: boolean }> {
  const files: string[] = [];
  let hadFolder = false;
  for (const arg of args) {
    const info = await stat(arg).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(arg); // a missing or unreadable file is reported when it is read
      continue;
    }
    hadFolder = true;
    const entries = await readdir(arg, { withFileTypes: true });
    const names = entries.filter((e) => !e.isDirectory() && /\.xml$/i.test(e.name)).map((e) => e.name);
    if (names.length === 0) throw new SigningError('FILE_NOT_FOUND', `No .xml files in the folder ${arg}`);
    files.push(...names.sort().map((name) => join(arg, name)));
  }
  return { files, hadFolder };
}

/** Verifies one file; never throws: a file that cannot be read, or is not XML, is an outcome too. */
async function verifyFile(file: string, options: VerifyXmlOptions, warnNoRevocation: boolean): Promise<Outcome> {
  let xml: string;
  try {
    xml = await readXmlFile(file);
  } catch (e) {
    if (!(e instanceof SigningError)) throw e;
    return { file, error: { code: e.code, message: e.message } };
  }
  const report = await verifyXml(xml, options);
  if (report.unreadable) {
    const message = `The input cannot be read as an XML document: ${report.errors.join(' ')}`;
    return { file, error: { code: report.unreadable, message } };
  }
  if (warnNoRevocation && !report.warnings.some((w) => /revocation was not checked/i.test(w))) {
    report.warnings.push(NO_REVOCATION_WARNING);
  }
  return { file, report };
}

/** Runs `work` on each item, at most `limit` at once, and yields the results in the items' order. */
async function* inOrder<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): AsyncGenerator<R> {
  const running: Promise<R>[] = [];
  let next = 0;
  const startNext = (): void => {
    if (next < items.length) running.push(work(items[next++]!));
  };
  while (running.length < limit && next < items.length) startNext();
  while (running.length > 0) {
    const result = await running.shift()!;
    startNext();
    yield result;
  }
}

async function runVerify(args: string[], rawOptions: unknown): Promise<number> {
  const options = parseOptions(optionsSchema, rawOptions);
  if (!options) return EXIT_USAGE;
  let files: string[];
  let oneLineEach: boolean;
  let verifyOptions: VerifyXmlOptions;
  try {
    const expanded = await expandArguments(args);
    files = expanded.files;
    oneLineEach = expanded.hadFolder || files.length > 1;
    let revocation: RevocationOptions | false = false;
    if (options.revocation) {
      // One checker for the whole call: an OCSP answer or a CRL serves every file it applies to.
      revocation = { checker: createRevocationChecker() };
      if (options.crl.length > 0 || options.ocsp.length > 0) {
        const read = (paths: string[], what: string): Promise<Buffer[]> =>
          Promise.all(
            paths.map((f) =>
              readFile(f).catch(() => {
                throw new SigningError('FILE_NOT_FOUND', `The ${what} file cannot be read: ${f}`);
              }),
            ),
          );
        const crls = await read(options.crl, 'CRL');
        revocation = { ...revocation, crls, ocspResponses: await read(options.ocsp, 'OCSP response') };
      }
    }
    verifyOptions = {
      trust: await loadTrustStore({ extra: options.trust }),
      revocation,
      ...(options.at ? { at: new Date(options.at) } : {}),
      ...(options.purpose ? { purpose: options.purpose } : {}),
      ...(options.multi ? { multi: true } : {}),
    };
  } catch (e) {
    const message = e instanceof SigningError ? e.message : `Cannot read the trust anchors or input: ${(e as Error).message}`;
    process.stderr.write(`error: ${message}\n`);
    return EXIT_USAGE;
  }

  const codes: number[] = [];
  for await (const outcome of inOrder(files, IN_FLIGHT, (file) => verifyFile(file, verifyOptions, !options.revocation))) {
    codes.push(exitCodeOf(outcome));
    if (options.json) process.stdout.write(jsonLine(outcome));
    else if (oneLineEach) process.stdout.write(reportLine(outcome));
    else if ('error' in outcome) process.stderr.write(`error: ${outcome.error.message}\n`);
    else process.stdout.write(humanReport(outcome.report));
  }
  return mostSerious(codes);
}

/**
 * verify's options, the one table both parsers read: commander (help, and any call the fast path
 * declines) and node:util's parseArgs (runVerifyCall, a call as a user types it, without loading
 * commander: a good part of the command's start-up; docs/architecture.md).
 */
const OPTIONS: ReadonlyArray<{ name: string; value?: string; repeatable?: true; description: string }> = [
  { name: 'trust', value: 'PEM-FILE-OR-FOLDER', repeatable: true, description: 'also trust these CA certificates (repeatable)' },
  { name: 'at', value: 'ISO-8601', description: 'validate at this time instead of now' },
  { name: 'crl', value: 'FILE', repeatable: true, description: 'decide revocation with this CRL file, no network (repeatable)' },
  { name: 'ocsp', value: 'FILE', repeatable: true, description: 'decide revocation with this OCSP response (DER), no network (repeatable)' },
  { name: 'no-revocation', description: 'do not check revocation (reported as a warning)' },
  { name: 'multi', description: 'accept several signatures (each covering the earlier ones)' },
  { name: 'purpose', value: 'AUTH|SIGN', description: 'require this certificate purpose' },
  { name: 'json', description: 'print one JSON object per file, one per line' },
];

/** A negated flag (`--no-x`) sets `x` to false, as commander does; `x` is true when it is absent. */
const NEGATED = /^no-(.+)$/;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerVerifyCommand(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('verify')
    .description('Verify signed XML documents (Kalkan/NCALayer format): files, or folders of .xml files')
    .argument('<file-or-folder...>', 'signed documents, or folders holding them');
  for (const o of OPTIONS) {
    const flags = `--${o.name}${o.value ? ` <${o.value}>` : ''}`;
    if (o.repeatable) command.option(flags, o.description, collect);
    else command.option(flags, o.description);
  }
  command.action(async (files: string[], options: unknown) => {
    setExit(await runVerify(files, options));
  });
}

/**
 * The files and options of `joldama verify ARGS`, read from OPTIONS by parseArgs, in the shape
 * commander gives them; undefined for anything parseArgs refuses or a call without a file (help,
 * an unknown option, a missing value...): commander then handles the call as it always has.
 */
export function parseVerifyCall(args: string[]): { files: string[]; options: Record<string, unknown> } | undefined {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        OPTIONS.map((o) => [o.name, { type: o.value ? ('string' as const) : ('boolean' as const), multiple: o.repeatable === true }]),
      ),
    });
  } catch {
    return undefined;
  }
  if (parsed.positionals.length === 0) return undefined;
  const options: Record<string, unknown> = {};
  for (const o of OPTIONS) {
    const negated = NEGATED.exec(o.name)?.[1];
    const value = parsed.values[o.name];
    if (negated !== undefined) options[negated] = value !== true;
    else if (value !== undefined) options[o.name] = value;
  }
  return { files: parsed.positionals, options };
}

/** `joldama verify ARGS` without commander; undefined when parseVerifyCall declines the call. */
export async function runVerifyCall(args: string[]): Promise<number | undefined> {
  const call = parseVerifyCall(args);
  return call && runVerify(call.files, call.options);
}
