/**
 * `joldama verify <file.xml> [--trust PEM-FILE-OR-FOLDER]... [--at ISO-8601] [--crl FILE]...
 *  [--no-revocation] [--multi] [--purpose AUTH|SIGN] [--json]`
 * Exit codes: 0 TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 3 bad usage or unreadable input.
 * Trust: the production NCA roots, plus every --trust. With --crl, revocation is decided by those
 * CRLs alone (no network).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { SigningError } from '../signing/errors.ts';
import { loadTrustStore } from '../signing/trust/trust-store.ts';
import type { Indication, RevocationOptions, SignerDetails, SignerReport, VerificationReport } from '../signing/types.ts';
import { readXmlFile } from '../signing/xml/read-file.ts';
import { verifyXml } from '../signing/xml/verify.ts';

const EXIT_CODES: Record<Indication, number> = { TOTAL_PASSED: 0, TOTAL_FAILED: 1, INDETERMINATE: 2 };
const EXIT_USAGE = 3;
const NO_REVOCATION_WARNING = 'Revocation was not checked (--no-revocation).';

const optionsSchema = z.object({
  trust: z.array(z.string().min(1)).default([]),
  at: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).optional(),
  crl: z.array(z.string().min(1)).default([]),
  revocation: z.boolean().default(true),
  multi: z.boolean().optional(),
  purpose: z.enum(['AUTH', 'SIGN']).optional(),
  json: z.boolean().optional(),
});

/** The CLI's JSON: the report without signedXml (the CLI shows a verdict, not content). */
function jsonReport(report: VerificationReport): Record<string, unknown> {
  return {
    indication: report.indication,
    ...(report.subIndication ? { subIndication: report.subIndication } : {}),
    ...(report.signer ? { signer: report.signer } : {}),
    ...(report.signers ? { signers: report.signers } : {}),
    ...(report.signedAt ? { signedAt: report.signedAt } : {}),
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
  if (report.signedAt) lines.push(`Checked at: ${report.signedAt}`);
  for (const e of report.errors) lines.push(`error: ${e}`);
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

async function runVerify(file: string, rawOptions: unknown): Promise<number> {
  const parsed = optionsSchema.safeParse(rawOptions);
  if (!parsed.success) {
    process.stderr.write(`error: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
    return EXIT_USAGE;
  }
  const options = parsed.data;
  let revocation: RevocationOptions | false = false;
  let xml: string;
  let trust;
  try {
    xml = await readXmlFile(file);
    trust = await loadTrustStore({ extra: options.trust });
    if (options.revocation) {
      revocation = {};
      if (options.crl.length > 0) {
        const crls = await Promise.all(
          options.crl.map((f) =>
            readFile(f).catch(() => {
              throw new SigningError('FILE_NOT_FOUND', `The CRL file cannot be read: ${f}`);
            }),
          ),
        );
        revocation = { crls, ocsp: false };
      }
    }
  } catch (e) {
    const message = e instanceof SigningError ? e.message : `Cannot read the trust anchors or input: ${(e as Error).message}`;
    process.stderr.write(`error: ${message}\n`);
    return EXIT_USAGE;
  }

  const report = await verifyXml(xml, {
    trust,
    revocation,
    ...(options.at ? { at: new Date(options.at) } : {}),
    ...(options.purpose ? { purpose: options.purpose } : {}),
    ...(options.multi ? { multi: true } : {}),
  });
  if (!options.revocation && !report.warnings.some((w) => /revocation was not checked/i.test(w))) {
    report.warnings.push(NO_REVOCATION_WARNING);
  }
  process.stdout.write(options.json ? `${JSON.stringify(jsonReport(report), null, 2)}\n` : humanReport(report));
  return EXIT_CODES[report.indication];
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerVerifyCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description('Verify a signed XML document (Kalkan/NCALayer format)')
    .argument('<file.xml>', 'the signed document')
    .option('--trust <PEM-FILE-OR-FOLDER>', 'also trust these CA certificates (repeatable)', collect)
    .option('--at <ISO-8601>', 'validate at this time instead of now')
    .option('--crl <FILE>', 'decide revocation with this CRL file, no network (repeatable)', collect)
    .option('--no-revocation', 'do not check revocation (reported as a warning)')
    .option('--multi', 'accept several signatures (each covering the earlier ones)')
    .option('--purpose <AUTH|SIGN>', 'require this certificate purpose')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: unknown) => {
      setExit(await runVerify(file, options));
    });
}
