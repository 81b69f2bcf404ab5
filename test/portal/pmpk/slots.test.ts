/** Examination slots from a commission's schedule: working days only, after today, within the day (docs/pmpk.md, Slots). */
import { describe, expect, it } from 'vitest';
import { calendarFromRows } from '../../../portal/calendar/working-days.ts';
import { slotTimes, type Schedule } from '../../../portal/pmpk/slots.ts';

const schedule: Schedule = { day_start: '09:00', day_end: '12:30', slot_minutes: 60, days_ahead: 3 };
const noHolidays = calendarFromRows([]);

describe('slotTimes', () => {
  it('opens slots from the day start, every slot length, that end by the day end (Almaty time)', () => {
    // Monday 2026-03-02: the next working day is Tuesday.
    const slots = slotTimes({ ...schedule, days_ahead: 1 }, '2026-03-02', noHolidays);
    expect(slots).toEqual([
      { date: '2026-03-03', startsAt: '2026-03-03T04:00:00.000Z' },
      { date: '2026-03-03', startsAt: '2026-03-03T05:00:00.000Z' },
      { date: '2026-03-03', startsAt: '2026-03-03T06:00:00.000Z' }, // 11:00-12:00; 12:00-13:00 would end after 12:30
    ]);
  });

  it('never opens today, and skips weekends', () => {
    // Friday 2026-03-06: Monday, Tuesday, Wednesday.
    const dates = new Set(slotTimes(schedule, '2026-03-06', noHolidays).map((s) => s.date));
    expect([...dates]).toEqual(['2026-03-09', '2026-03-10', '2026-03-11']);
  });

  it('skips the calendar’s holidays and opens a working Saturday', () => {
    const calendar = calendarFromRows([
      { date: '2026-03-09', day_off: 1 }, // a holiday on Monday
      { date: '2026-03-07', day_off: 0 }, // a working Saturday
    ]);
    const dates = new Set(slotTimes(schedule, '2026-03-06', calendar).map((s) => s.date));
    expect([...dates]).toEqual(['2026-03-07', '2026-03-10', '2026-03-11']);
  });

  it('counts the horizon in working days: days_ahead days, however many holidays fall between', () => {
    const calendar = calendarFromRows(
      ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13'].map((date) => ({ date, day_off: 1 })),
    );
    const dates = new Set(slotTimes(schedule, '2026-03-06', calendar).map((s) => s.date));
    expect([...dates]).toEqual(['2026-03-16', '2026-03-17', '2026-03-18']);
  });

  it('opens no slot when the day is shorter than a slot', () => {
    expect(slotTimes({ ...schedule, day_end: '09:30' }, '2026-03-02', noHolidays)).toEqual([]);
  });
});
