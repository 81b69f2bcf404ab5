import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  almatyDate,
  calendarFromRows,
  isWorkingDay,
  loadCalendar,
  nthWorkingDayAfter,
} from '../../../portal/calendar/working-days.ts';
import { yearRows } from '../../../portal/calendar/holidays.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';

/** The first day of Kurban Ait, entered by an administrator for the years these tests use. */
const KURBAN_AIT: Record<number, string> = { 2024: '2024-06-16', 2025: '2025-06-06', 2026: '2026-05-27' };
const holidayRowsForYear = (year: number) =>
  yearRows(year, KURBAN_AIT[year] ? [{ date: KURBAN_AIT[year], kind: 'holiday_no_transfer', name: 'Құрбан айт' }] : []);
const holidayRows = () => [2024, 2025, 2026].flatMap(holidayRowsForYear);
const calendar = calendarFromRows(holidayRows());

describe('holiday rules', () => {
  it('moves weekend holidays to the next free working day (Nauryz 2026: 21 Sat, 22 Sun → 24, 25 March)', () => {
    const march = holidayRowsForYear(2026).filter((r) => r.date.startsWith('2026-03-2'));
    expect(march.map((r) => [r.date, r.kind])).toEqual([
      ['2026-03-21', 'holiday'],
      ['2026-03-22', 'holiday'],
      ['2026-03-23', 'holiday'],
      ['2026-03-24', 'transfer'],
      ['2026-03-25', 'transfer'],
    ]);
  });

  it('does not transfer 7 January or Kurban Ait; transfers Victory Day 2026 (Saturday) to Monday 11 May', () => {
    const rows = holidayRowsForYear(2026);
    expect(rows.find((r) => r.date === '2026-01-07')?.kind).toBe('holiday_no_transfer');
    expect(rows.find((r) => r.date === '2026-05-27')?.kind).toBe('holiday_no_transfer');
    expect(rows.find((r) => r.date === '2026-05-11')?.kind).toBe('transfer');
    // 7 January 2024 was a Sunday: no transfer day follows.
    expect(holidayRowsForYear(2024).some((r) => r.kind === 'transfer' && r.name.includes('Рождество'))).toBe(
      false,
    );
  });
});

describe('working days (Asia/Almaty)', () => {
  it('knows weekends, holidays and transfers', () => {
    expect(isWorkingDay('2026-03-20', calendar)).toBe(true); // Friday
    expect(isWorkingDay('2026-03-23', calendar)).toBe(false); // Nauryz, Monday
    expect(isWorkingDay('2026-03-25', calendar)).toBe(false); // transfer
    expect(isWorkingDay('2026-03-26', calendar)).toBe(true);
    expect(isWorkingDay('2026-05-27', calendar)).toBe(false); // Kurban Ait
    expect(isWorkingDay('2026-05-28', calendar)).toBe(true);
  });

  it('counts over Nauryz: 3 working days after Friday 20 March 2026 end on Monday 30 March', () => {
    expect(nthWorkingDayAfter('2026-03-20', 3, calendar)).toBe('2026-03-30');
    // Deadline = end of that day in Almaty = 19:00 UTC.
    expect(addWorkingDays(new Date('2026-03-20T05:00:00Z'), 3, calendar).toISOString()).toBe(
      '2026-03-30T19:00:00.000Z',
    );
  });

  it('counts over the May holidays: 5 working days after Thursday 30 April 2026 end on Tuesday 12 May', () => {
    // 1 May Fri off, 4–6 work, 7 May off, 8 work, 9 Sat holiday → 11 May off.
    expect(nthWorkingDayAfter('2026-04-30', 5, calendar)).toBe('2026-05-12');
    expect(nthWorkingDayAfter('2026-05-26', 1, calendar)).toBe('2026-05-28'); // skips Kurban Ait
  });

  it('uses the Almaty day, not the UTC day', () => {
    // 20:00 UTC on Friday 20 March is already Saturday 01:00 in Almaty.
    expect(almatyDate(new Date('2026-03-20T20:00:00Z'))).toBe('2026-03-21');
    expect(addWorkingDays(new Date('2026-03-20T20:00:00Z'), 1, calendar).toISOString()).toBe(
      '2026-03-26T19:00:00.000Z',
    );
    expect(addWorkingDays(new Date('2026-03-20T18:59:59Z'), 1, calendar).toISOString()).toBe(
      '2026-03-26T19:00:00.000Z',
    );
    expect(addWorkingDays(new Date('2026-03-19T18:59:59Z'), 1, calendar).toISOString()).toBe(
      '2026-03-20T19:00:00.000Z',
    );
  });

  it('honours a working Saturday set by decree', () => {
    const withWorkingSaturday = calendarFromRows([...holidayRows(), { date: '2026-03-28', day_off: 0 }]);
    expect(nthWorkingDayAfter('2026-03-27', 1, withWorkingSaturday)).toBe('2026-03-28');
    expect(nthWorkingDayAfter('2026-03-27', 1, calendar)).toBe('2026-03-30');
  });

  it('rejects a non-positive count', () => {
    expect(() => nthWorkingDayAfter('2026-03-27', 0, calendar)).toThrow(RangeError);
  });
});

describe('calendar as data', () => {
  withTestDatabases((_kind, freshDb) => {
    it('an edited row changes the arithmetic', async () => {
      const { db } = await freshDb();
      expect(nthWorkingDayAfter('2026-06-04', 1, await loadCalendar(db))).toBe('2026-06-05');
      await db
        .insertInto('calendar_days')
        .values({ date: '2026-06-05', day_off: 1, kind: 'holiday', name: 'decree' })
        .execute();
      expect(nthWorkingDayAfter('2026-06-04', 1, await loadCalendar(db))).toBe('2026-06-08');
    });
  });
});
