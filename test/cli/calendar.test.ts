/** `joldama calendar`: list, import and confirm a year on a portal database; refusals and bad input exit with their codes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerCalendarCommand } from '../../cli/calendar.ts';
import { openDatabase } from '../../portal/db/database.ts';

const dir = mkdtempSync(join(tmpdir(), 'joldama-calendar-'));
const db = join(dir, 'portal.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  let code: number | undefined;
  const program = new Command('joldama').exitOverride();
  registerCalendarCommand(program, (c) => {
    code = c;
  });
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    await program.parseAsync(['calendar', ...args, '--db', db], { from: 'user' });
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('joldama calendar', () => {
  it('lists the years, imports one from a file and confirms it, each step in the audit log', async () => {
    const listed = await run(['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^2027 {2}DRAFT, not confirmed/m);
    expect(listed.stdout).toMatch(/^2026 {2}DRAFT.*entered: 2026-05-27 holiday_no_transfer/m);

    const year = file('2027.json', {
      year: 2027,
      days: [
        { date: '2027-05-17', kind: 'holiday_no_transfer', name: 'Құрбан айт / Курбан айт' },
        { date: '2027-01-09', kind: 'working_weekend', name: 'Рабочий день (постановление)' },
      ],
    });
    const imported = await run(['import', year, '--by', 'operator Asel']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('2027  DRAFT, not confirmed');
    expect(imported.stdout).toContain('joldama calendar confirm 2027');

    const confirmed = await run(['confirm', '2027', '--by', 'operator Asel']);
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toMatch(/^2027 {2}confirmed \d{4}-\d\d-\d\d by operator Asel/);

    const days = await run(['list', '--year', '2027', '--json']);
    const parsed = JSON.parse(days.stdout) as {
      year: { state: string };
      days: Array<{ date: string; day_off: number }>;
    };
    expect(parsed.year.state).toBe('confirmed');
    expect(parsed.days.find((d) => d.date === '2027-01-09')?.day_off).toBe(0);

    const handle = openDatabase(db);
    try {
      const audit = await handle.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .orderBy('id')
        .execute();
      expect(audit.map((a) => [a.action, (JSON.parse(a.details) as { by: string }).by])).toEqual([
        ['calendar.import', 'operator Asel'],
        ['calendar.confirm', 'operator Asel'],
      ]);
    } finally {
      await handle.close();
    }
  });

  it('refuses an invalid year (1) and unreadable input (3)', async () => {
    const wrong = file('wrong.json', {
      year: 2028,
      days: [{ date: '2029-01-01', kind: 'decree_day_off', name: 'x' }],
    });
    const invalid = await run(['import', wrong]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('CALENDAR_INVALID');
    const incomplete = await run(['confirm', '2028']);
    expect(incomplete.code).toBe(1);
    expect(incomplete.stderr).toContain('CALENDAR_INCOMPLETE');
    const notJson = await run(['import', file('broken.json', '{ "year": ')]);
    expect(notJson.code).toBe(3);
    expect((await run(['import', join(dir, 'absent.json')])).code).toBe(3);
    expect((await run(['confirm', 'next'])).code).toBe(3);
    expect((await run(['list', '--year', '99'])).code).toBe(3);
  });
});
