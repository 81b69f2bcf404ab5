import { describe, expect, it } from 'vitest';
import { addWorkingDays, calendarFromRows } from '../../../portal/calendar/working-days.ts';
import { yearRows } from '../../../portal/calendar/holidays.ts';
import { workingDaysLeft } from '../../../portal/repositories/offers.ts';

const calendar = calendarFromRows(yearRows(2026));
const almaty = (local: string) => new Date(`${local}+05:00`);

describe('working days left of an offer', () => {
  // Offered on Monday 14 December 2026; Wednesday 16 December is Independence Day.
  const offeredAt = almaty('2026-12-14T10:00:00');
  const expiresAt = addWorkingDays(offeredAt, 3, calendar);

  it('the deadline skips the holiday: the end of Friday 18 December', () => {
    expect(expiresAt).toEqual(almaty('2026-12-19T00:00:00'));
  });

  it.each([
    ['2026-12-14T10:00:00', 3], // the offer's own day does not count
    ['2026-12-15T09:00:00', 3], // Tuesday: today, Thursday, Friday
    ['2026-12-16T12:00:00', 2], // the holiday
    ['2026-12-17T18:00:00', 2],
    ['2026-12-18T23:59:00', 1], // the last day, until its end
    ['2026-12-19T00:00:00', 0], // lapsed
    ['2026-12-25T00:00:00', 0],
  ])('at %s: %i', (at, left) => {
    expect(workingDaysLeft(almaty(at), offeredAt, expiresAt, calendar)).toBe(left);
  });
});
