/**
 * Whether a child's age fits a group (docs/applications.md, step 2): the one rule, used by the
 * portal on the signed application and by the app at step 2. Born by today, and not of school
 * age by the coming 1 September — the yearly update's cut-off (docs/domain.md; the portal's
 * queue/yearly-update.ts moves the queue by the same dates): born on or before 1 September of
 * (that year − schoolAge) is too old. Days are Almaty's (UTC+5, no daylight saving), like every
 * other day the queue counts; the coming 1 September is this year's until 31 August is over.
 */
const ALMATY_OFFSET_MS = 5 * 3600_000;

export function childAgeFits(birthDate: Date, now: Date, schoolAge: number): boolean {
  const born = birthDate.toISOString().slice(0, 10);
  const today = new Date(now.getTime() + ALMATY_OFFSET_MS).toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  const september = today >= `${year}-09-01` ? year + 1 : year;
  return born <= today && born > `${september - schoolAge}-09-01`;
}
