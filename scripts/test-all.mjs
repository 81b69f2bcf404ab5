#!/usr/bin/env node
// `npm test`: every check, in order, each stage's output shown as it runs. At the end one
// summary table and the plain closing line "N passed, N failed" that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

mkdirSync('test-results', { recursive: true });
const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts ?? {};

/** @type {Array<{ name: string, cmd: string[], counts?: () => { passed: number, failed: number }, afterFailure?: () => void }>} */
const stages = [
  { name: 'lint', cmd: ['npx', 'eslint', '.'] },
  { name: 'typecheck', cmd: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'] },
  {
    name: 'unit + integration (vitest)',
    cmd: ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json'],
    counts: () => {
      const r = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
      return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numFailedTestSuites ?? 0) };
    },
  },
];
if (scripts['check:electron']) stages.push({ name: 'electron config check', cmd: ['npm', 'run', '-s', 'check:electron'] });
// Fails on an advisory against the electron package (npm audit); says NOT CHECKED when the audit service does not answer.
if (scripts['audit:electron']) stages.push({ name: 'electron advisories (npm audit)', cmd: ['npm', 'run', '-s', 'audit:electron'] });
if (scripts['test:e2e']) {
  stages.push({
    name: 'end-to-end (playwright, chromium)',
    cmd: ['npm', 'run', '-s', 'test:e2e'],
    counts: () => {
      const r = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
      return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected };
    },
    afterFailure: printPageSnapshots,
  });
}

/**
 * What each failed end-to-end test's page showed when it failed (Playwright's ARIA snapshot in its
 * error-context.md): CI keeps only this log, not test-results/.
 */
function printPageSnapshots() {
  const root = 'test-results/playwright';
  if (!existsSync(root)) return;
  for (const dir of readdirSync(root)) {
    const file = path.join(root, dir, 'error-context.md');
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('# Page snapshot');
    const snapshot = at === -1 ? '(no page snapshot: the page was empty or closed)' : text.slice(at, at + 6000);
    console.log(`\n=== page at the failure: ${dir}\n${snapshot}`);
  }
}

let passed = 0;
let failed = 0;
const rows = [];
for (const stage of stages) {
  console.log(`\n=== ${stage.name}: ${stage.cmd.join(' ')}`);
  const started = Date.now();
  const run = spawnSync(stage.cmd[0], stage.cmd.slice(1), { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const ok = run.status === 0;
  let note = ok ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`;
  if (stage.counts) {
    try {
      const c = stage.counts();
      passed += c.passed;
      failed += c.failed;
      note += `, ${c.passed} passed, ${c.failed} failed`;
    } catch {
      note += ', no test report';
    }
  }
  if (!ok && !stage.counts) failed += 1;
  if (!ok && stage.counts && failed === 0) failed += 1;
  if (!ok && stage.afterFailure) stage.afterFailure();
  rows.push(`${stage.name.padEnd(36)} ${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s  ${note}`);
}

console.log('\n=== summary');
for (const row of rows) console.log(row);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && rows.every((r) => !r.includes('FAILED')) ? 0 : 1);
