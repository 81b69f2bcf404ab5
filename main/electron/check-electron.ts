/**
 * CI static check of the Electron configuration with @doyensec/electronegativity
 * (`npm run check:electron`): scans main/ (window options, electron-main, preload) and fails on
 * any finding of HIGH severity (or above). Lower findings are printed for review.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
  const prefs = (windowOptions({ preloadPath: 'preload.cjs' }).webPreferences ?? {}) as Record<string, unknown>;
  return Object.entries(REQUIRED_WEB_PREFERENCES)
    .filter(([name, value]) => prefs[name] !== value)
    .map(([name, value]) => `webPreferences.${name} must be ${String(value)}, is ${String(prefs[name])}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const issues = await checkElectron();
  for (const i of issues) {
    const review = i.manualReview ? ' (manual review)' : '';
    console.log(`${i.severity.name.padEnd(13)} ${i.confidence.name.padEnd(10)} ${i.id} ${i.file}:${i.location.line}${review}`);
  }
  const high = issues.filter((i) => i.severity.value >= HIGH);
  console.log(`electronegativity (Electron ${electronVersion}): ${issues.length} findings, ${high.length} of high severity`);
  const wrong = checkWindowOptions();
  for (const line of wrong) console.log(`HIGH          window options: ${line}`);
  process.exitCode = high.length > 0 || wrong.length > 0 ? 1 : 0;
}
