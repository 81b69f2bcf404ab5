/**
 * Working-day arithmetic in Asia/Almaty (UTC+5 all year, no DST since 2024). Day boundaries are
 * Almaty midnights; the holiday calendar is data (`calendar_days`, year by year in
 * `calendar_years`), loaded into a `WorkingCalendar` snapshot before computing. A year the
 * database does not hold yet counts its generated days off (holidays.ts), so the arithmetic never
 * runs out; such a year, like an unconfirmed one, makes a deadline provisional.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { yearRows } from './holidays.ts';

export const ALMATY_OFFSET_MINUTES = 5 * 60;
const DAY_MS = 24 * 60 * 60 * 1000;
const OFFSET_MS = ALMATY_OFFSET_MINUTES * 60 * 1000;

export interface WorkingCalendar {
  /** Explicit entries by YYYY-MM-DD: true = day off, false = working day (even on a weekend). */
  readonly days: ReadonlyMap<string, boolean>;
  /** The years the entries cover; other years count their generated days off. Absent: `days` is all there is. */
  readonly years?: ReadonlySet<number>;
}

export function calendarFromRows(
  rows: ReadonlyArray<{ date: string; day_off: number }>,
  years?: ReadonlySet<number>,
): WorkingCalendar {
  return { days: new Map(rows.map((r) => [r.date, r.day_off !== 0])), ...(years ? { years } : {}) };
}

export async function loadCalendar(db: Kysely<DB>): Promise<WorkingCalendar> {
  const [days, years] = await Promise.all([
    db.selectFrom('calendar_days').select(['date', 'day_off']).execute(),
    db.selectFrom('calendar_years').select('year').execute(),
  ]);
  return calendarFromRows(days, new Set(years.map((y) => y.year)));
}

const generatedYears = new Map<number, ReadonlyMap<string, boolean>>(); // a few years at most: those deadlines reach

/** The generated days off of a year the database does not hold (memoised: a pure function of the year). */
function generatedDays(year: number): ReadonlyMap<string, boolean> {
  let days = generatedYears.get(year);
  if (!days) {
    days = new Map(yearRows(year).map((r) => [r.date, r.day_off !== 0]));
    generatedYears.set(year, days);
  }
  return days;
}

/** The Almaty calendar date (YYYY-MM-DD) of an instant. */
export function almatyDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of Almaty midnight starting `date` (YYYY-MM-DD). */
export function almatyMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

export function addCalendarDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  const year = Number(date.slice(0, 4));
  const days = calendar.years && !calendar.years.has(year) ? generatedDays(year) : calendar.days;
  const explicit = days.get(date);
  if (explicit !== undefined) return !explicit;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** The n-th working day strictly after `date` (n >= 1). */
export function nthWorkingDayAfter(date: string, n: number, calendar: WorkingCalendar): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  let day = date;
  let left = n;
  while (left > 0) {
    day = addCalendarDays(day, 1);
    if (isWorkingDay(day, calendar)) left--;
  }
  return day;
}

/**
 * Deadline of a period of `n` working days that starts at `from`: the end (Almaty midnight) of
 * the n-th working day after the day of `from`. The starting day never counts, whether or not
 * it is a working day, so an offer made on Friday evening still gets n full working days.
 */
export function addWorkingDays(from: Date, n: number, calendar: WorkingCalendar): Date {
  return almatyMidnight(addCalendarDays(nthWorkingDayAfter(almatyDate(from), n, calendar), 1));
}
