/**
 * `npm run audit:electron` (a stage of `npm test`): fails when `npm audit` reports an advisory
 * against the `electron` package itself, at the version package-lock.json pins. Advisories of
 * other packages are not this check's business (they are listed, not failed on): the Electron
 * binary ships to users, so its advisories block a merge.
 *
 * When the registry's audit service does not answer (no network; a mirror that refuses it), the
 * check says in capitals that nothing was checked and passes, unless JOLDAMA_AUDIT_REQUIRED=1.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const Advisory = z.object({
  name: z.string(),
  title: z.string().optional(),
  url: z.string().optional(),
  severity: z.string().optional(),
  range: z.string().optional(),
});
export type Advisory = z.infer<typeof Advisory>;

/** npm audit --json (report version 2): per vulnerable package, `via` holds advisories or names of vulnerable dependencies. */
const AuditReport = z.object({
  auditReportVersion: z.literal(2),
  vulnerabilities: z.record(z.string(), z.object({ via: z.array(z.union([z.string(), z.looseObject(Advisory.shape)])) })),
});

export type AuditOutcome =
  | { checked: true; electron: Advisory[]; otherPackages: string[] }
  | { checked: false; reason: string };

/** What an `npm audit --json` output says about `electron`. */
export function electronAdvisories(output: string): AuditOutcome {
  let json: unknown;
  try {
    json = JSON.parse(output);
  } catch {
    return { checked: false, reason: 'npm audit printed no report' };
  }
  const report = AuditReport.safeParse(json);
  if (!report.success) {
    const message = (json as { message?: unknown; error?: { summary?: unknown } } | null)?.message;
    return { checked: false, reason: typeof message === 'string' ? message.slice(0, 200) : 'npm audit gave no report' };
  }
  const electron = (report.data.vulnerabilities.electron?.via ?? [])
    .filter((via): via is Advisory => typeof via === 'object' && via.name === 'electron')
    .map(({ name, title, url, severity, range }) => ({ name, title, url, severity, range }));
  const otherPackages = Object.keys(report.data.vulnerabilities).filter((name) => name !== 'electron');
  return { checked: true, electron, otherPackages };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log('audit:electron: advisories against the electron package at the version package-lock.json pins (npm audit)');
  const run = spawnSync('npm', ['audit', '--json', '--package-lock-only'], { encoding: 'utf8', timeout: 120_000, shell: process.platform === 'win32' });
  const outcome = electronAdvisories(run.stdout ?? '');
  if (!outcome.checked) {
    console.log(`audit:electron: NOT CHECKED: the audit service gave no report (${outcome.reason})`);
    process.exitCode = process.env.JOLDAMA_AUDIT_REQUIRED === '1' ? 1 : 0;
  } else {
    for (const a of outcome.electron) console.log(`  ${a.severity ?? '?'} ${a.title ?? ''} ${a.url ?? ''} (affected: ${a.range ?? '?'})`);
    if (outcome.otherPackages.length > 0) console.log(`audit:electron: other packages with advisories (not failed on here): ${outcome.otherPackages.join(', ')}`);
    console.log(`audit:electron: ${outcome.electron.length === 0 ? 'no advisory against electron' : `${outcome.electron.length} advisory(ies) against electron: upgrade it`}`);
    process.exitCode = outcome.electron.length === 0 ? 0 : 1;
  }
}
