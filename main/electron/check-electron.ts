/**
 * `npm run check:electron` (a stage of `npm test`): the Electron in use and its configuration.
 * - the installed version and its support status (Electron supports the latest three stable
 *   majors; the latest is asked of the registry, "unknown" without one);
 * - the fuse list the packaged build gets (after-pack.cjs) against the one @electron/fuses knows
 *   and, where the binary is installed, the binary's own fuse wire: a fuse left unset fails;
 * - @doyensec/electronegativity over main/ (window options, electron-main, preload): fails on
 *   any finding of HIGH severity (or above); lower findings are printed for review.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from '../../bin/electron-binary.js';
import { REQUIRED_WEB_PREFERENCES, windowOptions } from '../window-options.ts';

interface Issue {
  id: string;
  file: string;
  severity: { name: string; value: number };
  confidence: { name: string };
  location: { line: number; column: number };
  manualReview?: boolean;
}
type Run = (options: Record<string, unknown>) => Promise<{ issues: Issue[]; errors: unknown[] }>;

const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;
const input = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** How many stable majors Electron supports at once (electronjs.org, "Electron Releases"). */
export const SUPPORTED_MAJORS = 3;

export type SupportStatus = { state: 'supported' | 'unsupported' | 'unknown'; text: string };

export function supportStatus(installed: string, latest: string | null): SupportStatus {
  const major = Number(installed.split('.')[0]);
  const latestMajor = latest ? Number(latest.split('.')[0]) : NaN;
  if (!Number.isInteger(latestMajor)) return { state: 'unknown', text: `Electron ${installed}: support status unknown (the registry gave no latest version)` };
  const oldest = latestMajor - SUPPORTED_MAJORS + 1;
  if (major >= oldest) return { state: 'supported', text: `Electron ${installed}: supported (supported majors ${oldest}–${latestMajor}, latest ${latest})` };
  return { state: 'unsupported', text: `Electron ${installed}: OUT OF SUPPORT (supported majors ${oldest}–${latestMajor}, latest ${latest}): upgrade` };
}

function latestElectron(): string | null {
  const run = spawnSync('npm', ['view', 'electron', 'dist-tags.latest'], { encoding: 'utf8', timeout: 30_000, shell: process.platform === 'win32' });
  const version = run.status === 0 ? run.stdout.trim() : '';
  return /^\d+\.\d+\.\d+$/.test(version) ? version : null;
}

interface AfterPackModule {
  FUSES: Record<string, unknown>;
  ELECTRON_FUSE_WIRE: { major: number; fuses: readonly string[] };
}

/**
 * The fuses the packaged build gets, one line each, and what is wrong: a fuse of the chosen
 * Electron (or of the binary's wire, when given) that the list leaves unset.
 */
export function checkFuses(known: readonly string[], binaryWireLength?: number): { lines: string[]; problems: string[] } {
  const { FUSES, ELECTRON_FUSE_WIRE } = require('./after-pack.cjs') as AfterPackModule;
  const wire = ELECTRON_FUSE_WIRE.fuses;
  const lines = wire.map((name, index) => `  ${String(index).padStart(2)} ${name.padEnd(40)} ${String(FUSES[index])}`);
  const problems: string[] = [];
  wire.forEach((name, index) => {
    if (typeof FUSES[index] !== 'boolean') problems.push(`fuse ${name} is not set`);
  });
  if (known.join() !== wire.join()) problems.push(`@electron/fuses knows [${known.join(', ')}], after-pack.cjs declares [${wire.join(', ')}]`);
  if (binaryWireLength !== undefined && binaryWireLength !== wire.length) {
    problems.push(`the Electron binary has ${binaryWireLength} fuses, after-pack.cjs sets ${wire.length}`);
  }
  return { lines, problems };
}

/** electronegativity's severity scale: INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3, CRITICAL 4. */
const HIGH = 3;

export async function checkElectron(): Promise<Issue[]> {
  // Loaded here, not at import: the window-options test imports this module for checkWindowOptions.
  const run = require('@doyensec/electronegativity') as Run;
  const { issues } = await run({
    input,
    isRelative: true,
    electronVersionOverride: electronVersion,
    severitySet: 'informational',
    confidenceSet: 'tentative',
    parserPlugins: [],
    checks: [],
    excludeChecks: [],
  });
  return issues;
}

/** What electronegativity cannot see: the options windowOptions() actually returns. */
export function checkWindowOptions(): string[] {
  const prefs = (windowOptions({ preloadPath: 'preload.cjs', packaged: true }).webPreferences ?? {}) as Record<string, unknown>;
  return Object.entries(REQUIRED_WEB_PREFERENCES)
    .filter(([name, value]) => prefs[name] !== value)
    .map(([name, value]) => `webPreferences.${name} must be ${String(value)}, is ${String(prefs[name])}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(supportStatus(electronVersion, latestElectron()).text);

  const { FuseV1Options, getCurrentFuseWire } = await import('@electron/fuses');
  const known = Object.values(FuseV1Options).filter((v): v is string => typeof v === 'string');
  const found = findElectronBinary(path.dirname(require.resolve('electron/package.json')));
  let binaryWireLength: number | undefined;
  if ('binary' in found) {
    binaryWireLength = Object.keys(await getCurrentFuseWire(found.binary)).filter((k) => /^\d+$/.test(k)).length;
  }
  const fuses = checkFuses(known, binaryWireLength);
  console.log('fuses the packaged build gets (main/electron/after-pack.cjs):');
  for (const line of fuses.lines) console.log(line);
  console.log('reason' in found ? `  the Electron binary's own wire not read: ${found.reason}` : `  the Electron binary's own wire: ${binaryWireLength} fuses`);
  for (const problem of fuses.problems) console.log(`HIGH          fuses: ${problem}`);

  const issues = await checkElectron();
  for (const i of issues) {
    const review = i.manualReview ? ' (manual review)' : '';
    console.log(`${i.severity.name.padEnd(13)} ${i.confidence.name.padEnd(10)} ${i.id} ${i.file}:${i.location.line}${review}`);
  }
  const high = issues.filter((i) => i.severity.value >= HIGH);
  console.log(`electronegativity (Electron ${electronVersion}): ${issues.length} findings, ${high.length} of high severity`);
  const wrong = checkWindowOptions();
  for (const line of wrong) console.log(`HIGH          window options: ${line}`);
  process.exitCode = high.length > 0 || wrong.length > 0 || fuses.problems.length > 0 ? 1 : 0;
}
