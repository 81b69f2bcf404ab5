/**
 * `joldama calendar list|import|confirm`: the working-day calendar year by year, kept by an
 * administrator on the portal's own database (docs/domain.md "Working days"):
 *
 *   joldama calendar list [--year YYYY] [--json] [--db URL]
 *   joldama calendar import <file.json> [--by NAME] [--db URL]     { "year": 2027, "days": [ { "date", "kind", "name" } ] }
 *   joldama calendar confirm <year> [--by NAME] [--db URL]
 *
 * `kind` is holiday_no_transfer (a moving feast: Kurban Ait), decree_day_off or working_weekend
 * (the decree's transfers); the fixed-date holidays and their weekend transfers are generated.
 * An import leaves the year a draft; only `confirm` makes it trusted. Both are written to the
 * audit log with --by (default: cli:<the system user>). Exit codes: 0 done, 1 refused (the
 * calendar's own code), 3 bad usage or unreadable input.
 */
import { readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { DB } from '../portal/db/schema.ts';

const EXIT_REFUSED = 1;
const EXIT_USAGE = 3;
/** A year's entries are a few hundred bytes; anything much bigger is not a calendar file. */
const MAX_FILE_BYTES = 64 * 1024;

interface DbOptions {
  db?: string;
  dataDir?: string;
}

/** The portal's database (as `joldama portal` opens it), migrated; loaded only when a sub-command runs. */
async function openPortalDatabase(opts: DbOptions) {
  const [{ migrateToLatest, openDatabase }, { defaultDataDir }] = await Promise.all([
    import('../portal/db/database.ts'),
    import('../portal/server/data-dir.ts'),
  ]);
  const handle = openDatabase(opts.db ?? join(opts.dataDir ?? defaultDataDir(), 'portal.sqlite'));
  await migrateToLatest(handle.db);
  return handle;
}

const defaultActor = (): string => `cli:${userInfo().username}`;

export function registerCalendarCommand(program: Command, setExit: (code: number) => void): void {
  const calendar = program
    .command('calendar')
    .description("The portal's working-day calendar: list, import and confirm a year");
  const dbOptions = (c: Command) =>
    c
      .option('--db <url>', 'SQLite file or postgres://... (default: portal.sqlite in the data folder)')
      .option('--data-dir <dir>', 'data folder (default: the user data folder)');

  /** Runs `fn` on the database; a calendar refusal prints its code and message and exits 1. */
  async function withDb(opts: DbOptions, fn: (db: Kysely<DB>) => Promise<void>) {
    const { Refusal } = await import('../portal/refusal.ts');
    let handle;
    try {
      handle = await openPortalDatabase(opts);
    } catch (e) {
      process.stderr.write(
        `Could not open the portal database: ${e instanceof Error ? e.message : String(e)}\n`,
      );
      setExit(EXIT_USAGE);
      return;
    }
    try {
      await fn(handle.db);
      setExit(0);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      process.stderr.write(`${e.code}: ${e.message}\n`);
      setExit(EXIT_REFUSED);
    } finally {
      await handle.close();
    }
  }

  dbOptions(calendar.command('list').description('the stored years and their state; with --year, its days'))
    .option('--year <yyyy>', 'list the days of this year', (v) => Number(v))
    .option('--json', 'print JSON')
    .action(async (opts: DbOptions & { year?: number; json?: boolean }) => {
      if (
        opts.year !== undefined &&
        !(Number.isInteger(opts.year) && opts.year >= 2000 && opts.year <= 2100)
      ) {
        process.stderr.write('--year expects a year from 2000 to 2100\n');
        setExit(EXIT_USAGE);
        return;
      }
      const years = await import('../portal/calendar/years.ts');
      await withDb(opts, async (db) => {
        if (opts.year !== undefined) {
          const y = await years.calendarYear(db, opts.year);
          if (opts.json) process.stdout.write(`${JSON.stringify(y, null, 2)}\n`);
          else {
            process.stdout.write(`${describe(y.year)}\n`);
            for (const d of y.days)
              process.stdout.write(
                `  ${d.date}  ${d.day_off ? 'day off    ' : 'working day'}  ${d.kind.padEnd(19)}  ${d.name}\n`,
              );
          }
          return;
        }
        const list = await years.listCalendarYears(db, years.yearsNeeded(new Date()));
        if (opts.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else for (const y of list) process.stdout.write(`${describe(y)}\n`);
      });
    });

  dbOptions(
    calendar
      .command('import')
      .description("replace a year's entered days from a JSON file (the year becomes a draft)"),
  )
    .argument(
      '<file>',
      '{ "year": YYYY, "days": [ { "date": "YYYY-MM-DD", "kind": "...", "name": "..." } ] }',
    )
    .option('--by <name>', 'who imports (kept in the audit log)')
    .action(async (file: string, opts: DbOptions & { by?: string }) => {
      let input: unknown;
      try {
        if ((await stat(file)).size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
        input = JSON.parse(await readFile(file, 'utf8'));
      } catch (e) {
        process.stderr.write(`Could not read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
        setExit(EXIT_USAGE);
        return;
      }
      const years = await import('../portal/calendar/years.ts');
      await withDb(opts, async (db) => {
        const y = await years.importCalendarYear(
          db,
          input,
          { iin: null, name: opts.by ?? defaultActor() },
          new Date(),
        );
        process.stdout.write(
          `${describe(y)}\nImported; confirm it with: joldama calendar confirm ${y.year}\n`,
        );
      });
    });

  dbOptions(
    calendar.command('confirm').description('confirm a stored year: its deadlines are no longer provisional'),
  )
    .argument('<year>', 'YYYY')
    .option('--by <name>', 'who confirms (kept in the audit log)')
    .action(async (year: string, opts: DbOptions & { by?: string }) => {
      const y = Number(year);
      if (!/^\d{4}$/.test(year) || y < 2000 || y > 2100) {
        process.stderr.write('confirm expects a year from 2000 to 2100\n');
        setExit(EXIT_USAGE);
        return;
      }
      const years = await import('../portal/calendar/years.ts');
      await withDb(opts, async (db) => {
        process.stdout.write(
          `${describe(await years.confirmCalendarYear(db, y, { iin: null, name: opts.by ?? defaultActor() }, new Date()))}\n`,
        );
      });
    });
}

function describe(y: {
  year: number;
  state: string;
  entered: ReadonlyArray<{ date: string; kind: string; name: string }>;
  updatedAt: string | null;
  updatedBy: string | null;
  confirmedAt: string | null;
  confirmedBy: string | null;
}): string {
  const state =
    y.state === 'confirmed'
      ? `confirmed ${y.confirmedAt?.slice(0, 10)} by ${y.confirmedBy}`
      : y.state === 'draft'
        ? `DRAFT, not confirmed (updated ${y.updatedAt?.slice(0, 10)} by ${y.updatedBy})`
        : 'MISSING: not imported (its generated days off count meanwhile)';
  const entered = y.entered.map((d) => `${d.date} ${d.kind} ${d.name}`).join('; ');
  return `${y.year}  ${state}${entered ? `; entered: ${entered}` : ''}`;
}
