/**
 * The working-day calendar, year by year (docs/domain.md "Working days"). A year's rows are its
 * generated days off plus what an administrator entered (holidays.ts); an import replaces the
 * entered days and leaves the year a draft, and only a confirmation by an administrator makes it
 * trusted. The portal keeps the current and the next year present (ensureCalendarYears) and
 * warns while either is unconfirmed. Every change is written to the audit log.
 */
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.ts';
import type { CalendarYearsTable, DB } from '../db/schema.ts';
import { inTransaction } from '../db/transactions.ts';
import { Refusal } from '../refusal.ts';
import { EnteredDay, ENTERED_DAY_KINDS } from '../../protocol/admin-api.ts';
import { yearRows, type CalendarDayRow } from './holidays.ts';
import { almatyDate } from './working-days.ts';

export type YearState = 'draft' | 'confirmed';

/** A year as an administrator enters it (a file for `joldama calendar import`, or the admin API). */
export const enteredYearSchema = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    days: z.array(EnteredDay).max(60),
  })
  .superRefine((y, ctx) => {
    const seen = new Set<string>();
    for (const [i, d] of y.days.entries()) {
      const problem = !d.date.startsWith(`${y.year}-`)
        ? `${d.date} is not in ${y.year}`
        : seen.has(d.date)
          ? `${d.date} is entered twice`
          : d.kind === 'working_weekend' && !isWeekend(d.date)
            ? `${d.date} is not a Saturday or Sunday, so it cannot be made a working day`
            : null;
      seen.add(d.date);
      if (problem) ctx.addIssue({ code: 'custom', path: ['days', i], message: problem });
    }
  });
export type EnteredYear = z.infer<typeof enteredYearSchema>;

export interface CalendarYearInfo {
  year: number;
  /** 'missing': not in the database yet; its generated days off count until it is imported. */
  state: YearState | 'missing';
  entered: EnteredDay[];
  updatedAt: string | null;
  updatedBy: string | null;
  confirmedAt: string | null;
  confirmedBy: string | null;
}

/** Who acted: an administrator's IIN (admin API) or a named operator (the command). */
export interface CalendarActor {
  iin: string | null;
  name: string;
}

function isWeekend(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

const enteredDays = z.array(
  z.object({ date: z.string(), kind: z.enum(ENTERED_DAY_KINDS), name: z.string() }),
);

function info(row: Selectable<CalendarYearsTable>): CalendarYearInfo {
  return {
    year: row.year,
    state: row.state,
    entered: enteredDays.parse(JSON.parse(row.entered)),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    confirmedAt: row.confirmed_at,
    confirmedBy: row.confirmed_by,
  };
}

function readYears(db: Kysely<DB>, years?: readonly number[]) {
  let q = db.selectFrom('calendar_years').selectAll().orderBy('year');
  if (years) q = q.where('year', 'in', years.length > 0 ? [...years] : [-1]);
  return q.execute();
}

const missing = (year: number): CalendarYearInfo => ({
  year,
  state: 'missing',
  entered: [],
  updatedAt: null,
  updatedBy: null,
  confirmedAt: null,
  confirmedBy: null,
});

/** The stored years, and the `also` years (e.g. current and next) as missing when they are not stored. */
export async function listCalendarYears(
  db: Kysely<DB>,
  also: readonly number[] = [],
): Promise<CalendarYearInfo[]> {
  const stored = (await readYears(db)).map(info);
  const have = new Set(stored.map((y) => y.year));
  return [...stored, ...also.filter((y) => !have.has(y)).map(missing)].sort((a, b) => a.year - b.year);
}

/** A year and its days: stored, or (missing) the generated days that count meanwhile. */
export async function calendarYear(
  db: Kysely<DB>,
  year: number,
): Promise<{ year: CalendarYearInfo; days: CalendarDayRow[] }> {
  const [row] = await readYears(db, [year]);
  if (!row) return { year: missing(year), days: yearRows(year) };
  const days = await db
    .selectFrom('calendar_days')
    .select(['date', 'day_off', 'kind', 'name'])
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .orderBy('date')
    .execute();
  return { year: info(row), days };
}

async function writeDays(db: Kysely<DB>, year: number, entered: readonly EnteredDay[]): Promise<void> {
  await db
    .deleteFrom('calendar_days')
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .execute();
  await db.insertInto('calendar_days').values(yearRows(year, entered)).execute();
}

/** A year's row as a draft of `entered`, written by `by`. */
function draft(year: number, entered: readonly EnteredDay[], by: string, now: Date) {
  return {
    year,
    state: 'draft' as const,
    entered: JSON.stringify(entered),
    updated_at: now.toISOString(),
    updated_by: by,
    confirmed_at: null,
    confirmed_by: null,
  };
}

/**
 * Replaces a year's entered days (moving feasts, decree transfers) and regenerates its rows; the
 * year becomes (again) a draft awaiting confirmation. Refuses input that is not a valid year
 * (CALENDAR_INVALID, with the first problem).
 */
export async function importCalendarYear(
  db: Kysely<DB>,
  input: unknown,
  actor: CalendarActor,
  now: Date,
): Promise<CalendarYearInfo> {
  const parsed = enteredYearSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Refusal(
      'CALENDAR_INVALID',
      `${issue?.path.join('.') || 'calendar'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const { year, days } = parsed.data;
  await inTransaction(db, async (trx) => {
    const { year: _year, ...row } = draft(year, days, actor.name, now);
    await trx
      .insertInto('calendar_years')
      .values({ year, ...row })
      .onConflict((oc) => oc.column('year').doUpdateSet(row))
      .execute();
    await writeDays(trx, year, days);
    await appendAudit(trx, {
      at: now,
      actorIin: actor.iin,
      action: 'calendar.import',
      subject: String(year),
      details: { by: actor.name, entered: days },
    });
  });
  return (await calendarYear(db, year)).year;
}

/**
 * An administrator confirms a stored year: its deadlines are no longer provisional. Refused for a
 * year not imported yet (CALENDAR_YEAR_NOT_FOUND) and for one without its moving feast entered
 * (CALENDAR_INCOMPLETE: Kurban Ait falls every year and no rule can place it).
 */
export async function confirmCalendarYear(
  db: Kysely<DB>,
  year: number,
  actor: CalendarActor,
  now: Date,
): Promise<CalendarYearInfo> {
  await inTransaction(db, async (trx) => {
    const [row] = await readYears(trx, [year]);
    if (!row)
      throw new Refusal(
        'CALENDAR_YEAR_NOT_FOUND',
        `${year} has not been imported: import its entered days first`,
      );
    if (!info(row).entered.some((d) => d.kind === 'holiday_no_transfer')) {
      throw new Refusal(
        'CALENDAR_INCOMPLETE',
        `${year} has no moving feast entered (Kurban Ait): import it first`,
      );
    }
    await trx
      .updateTable('calendar_years')
      .set({ state: 'confirmed', confirmed_at: now.toISOString(), confirmed_by: actor.name })
      .where('year', '=', year)
      .execute();
    await appendAudit(trx, {
      at: now,
      actorIin: actor.iin,
      action: 'calendar.confirm',
      subject: String(year),
      details: { by: actor.name },
    });
  });
  return (await calendarYear(db, year)).year;
}

/** The Almaty year of `now` and the next one: the years the portal needs confirmed. */
export function yearsNeeded(now: Date): [number, number] {
  const year = Number(almatyDate(now).slice(0, 4));
  return [year, year + 1];
}

/**
 * Stores the years of `years` the database does not hold yet, as drafts of their generated days,
 * so their rows exist to be reviewed; returns the years created.
 */
export async function ensureCalendarYears(
  db: Kysely<DB>,
  years: readonly number[],
  now: Date,
): Promise<number[]> {
  const have = new Set((await readYears(db, years)).map((r) => r.year));
  const created: number[] = [];
  for (const year of years.filter((y) => !have.has(y))) {
    const made = await inTransaction(db, async (trx) => {
      // The year's row first: of two processes, the second waits on it, then does nothing.
      const inserted = await trx
        .insertInto('calendar_years')
        .values(draft(year, [], 'portal: generated', now))
        .onConflict((oc) => oc.column('year').doNothing())
        .returning('year')
        .executeTakeFirst();
      if (inserted) await writeDays(trx, year, []);
      return inserted !== undefined;
    });
    if (made) created.push(year);
  }
  return created;
}

/** Of `years`, those not confirmed (missing or draft). */
export async function unconfirmedYears(db: Kysely<DB>, years: readonly number[]): Promise<number[]> {
  const confirmed = new Set(
    (await readYears(db, years)).filter((r) => r.state === 'confirmed').map((r) => r.year),
  );
  return years.filter((y) => !confirmed.has(y));
}

const yearOf = (d: Date): number => Number(almatyDate(d).slice(0, 4));

/**
 * Whether each of `periods` (offered or issued at `from`, due at `to`) crosses a year not
 * confirmed, i.e. whether its deadline is provisional. One query for the whole list, so a
 * list of N deadlines costs one read, not N.
 */
export async function provisionalDeadlines(
  db: Kysely<DB>,
  periods: readonly { from: Date; to: Date }[],
): Promise<boolean[]> {
  if (periods.length === 0) return [];
  const first = periods.reduce((y, p) => Math.min(y, yearOf(p.from)), Infinity);
  const last = periods.reduce((y, p) => Math.max(y, yearOf(p.to)), -Infinity);
  const years: number[] = [];
  for (let y = first; y <= last; y++) years.push(y);
  const unconfirmed = new Set(await unconfirmedYears(db, years));
  return periods.map((p) => {
    for (let y = yearOf(p.from); y <= yearOf(p.to); y++) if (unconfirmed.has(y)) return true;
    return false;
  });
}

/** Whether a period from `from` to `to` crosses a year not confirmed (its deadline is provisional). */
export async function isProvisional(db: Kysely<DB>, from: Date, to: Date): Promise<boolean> {
  const [provisional] = await provisionalDeadlines(db, [{ from, to }]);
  return provisional === true;
}

/** The operator's warning while `years` (current or next) are unconfirmed: health check and log. */
export function calendarWarning(years: readonly number[]): string {
  return (
    `WORKING-DAY CALENDAR NOT CONFIRMED for ${years.join(' and ')}: deadlines over it are provisional and ` +
    'may be wrong (moving feasts, decree transfers). An administrator imports and confirms the year: ' +
    '`joldama calendar import <file>` then `joldama calendar confirm <year>`, or PUT/POST /api/admin/calendar/<year>.'
  );
}

/**
 * Keeps the current and the next year stored (as generated drafts if need be) and returns those
 * not confirmed, telling `warn` (the portal's log) about them loudly.
 */
export async function checkCalendarYears(
  db: Kysely<DB>,
  now: Date,
  warn: (message: string, years: number[]) => void = () => {},
): Promise<number[]> {
  const years = yearsNeeded(now);
  await ensureCalendarYears(db, years, now);
  const unconfirmed = await unconfirmedYears(db, years);
  if (unconfirmed.length > 0) warn(calendarWarning(unconfirmed), unconfirmed);
  return unconfirmed;
}
