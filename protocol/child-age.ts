/**
 * The school-age rule (docs/applications.md, step 2; docs/domain.md "The yearly queue update"):
 * the one place for it, used by the portal on the signed application and by its yearly update,
 * and by the app at step 2. A child born on or before 1 September of (year − schoolAge) is of
 * school age by 1 September of that year. Days are Almaty's (UTC+5, no daylight saving), like
 * every other day the queue counts; the coming 1 September is this year's until 31 August is over.
 */
const ALMATY_OFFSET_MS = 5 * 3600_000;

const almatyToday = (now: Date): string => new Date(now.getTime() + ALMATY_OFFSET_MS).toISOString().slice(0, 10);

/** The year of the coming 1 September in Almaty (on 1 September itself that school year has begun). */
export function comingFirstSeptember(now: Date): number {
  const today = almatyToday(now);
  const year = Number(today.slice(0, 4));
  return today >= `${year}-09-01` ? year + 1 : year;
}

/**
 * A child born on or before this date reaches `schoolAge` by 1 September of `year` (a birthday on
 * 1 September counts; a 29 February birth is like any other date before 1 September).
 */
export function schoolAgeCutoff(year: number, schoolAge: number): string {
  return `${year - schoolAge}-09-01`;
}

/** Whether a child's age fits a group: born by today, and not of school age by the coming 1 September. */
export function childAgeFits(birthDate: Date, now: Date, schoolAge: number): boolean {
  const born = birthDate.toISOString().slice(0, 10);
  return born <= almatyToday(now) && born > schoolAgeCutoff(comingFirstSeptember(now), schoolAge);
}
