/**
 * The working-day calendar year by year: it never runs out (a year the database does not hold
 * counts its generated days off), an administrator imports what no rule knows and confirms the
 * year, and until then deadlines over it are provisional.
 */
import { describe, expect, it } from 'vitest';
import {
  calendarYear,
  checkCalendarYears,
  confirmCalendarYear,
  ensureCalendarYears,
  importCalendarYear,
  isProvisional,
  provisionalDeadlines,
  listCalendarYears,
  unconfirmedYears,
} from '../../../portal/calendar/years.ts';
import { isWorkingDay, loadCalendar, nthWorkingDayAfter } from '../../../portal/calendar/working-days.ts';
import { Refusal } from '../../../portal/refusal.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';

const NOW = new Date('2026-12-02T06:00:00.000Z');
const ADMIN = { iin: '750505406541', name: 'admin:750505406541:050540000145' };
// Example entries for 2027 (the dates stand for what an administrator would enter).
const KURBAN_2027 = {
  date: '2027-05-17',
  kind: 'holiday_no_transfer' as const,
  name: 'Құрбан айт / Курбан айт',
};
const DECREE_2027 = [
  {
    date: '2027-01-09',
    kind: 'working_weekend' as const,
    name: 'Жұмыс күні (қаулы) / Рабочий день (постановление)',
  },
  { date: '2027-01-08', kind: 'decree_day_off' as const, name: 'Демалыс (қаулы) / Выходной (постановление)' },
];

describe('the calendar year by year', () => {
  withTestDatabases((_kind, freshDb) => {
    it('never runs out: 1–2 January 2031 are days off though no row holds 2031, and 2031 is provisional', async () => {
      const { db } = await freshDb();
      const calendar = await loadCalendar(db);
      expect(isWorkingDay('2031-01-01', calendar)).toBe(false);
      expect(isWorkingDay('2031-01-02', calendar)).toBe(false);
      expect(nthWorkingDayAfter('2030-12-31', 1, calendar)).toBe('2031-01-03');
      // 16 December 2040 is a Sunday: the day off moves to Monday 17.
      expect(isWorkingDay('2040-12-17', calendar)).toBe(false);
      expect(
        await isProvisional(db, new Date('2030-12-31T05:00:00Z'), new Date('2031-01-03T19:00:00Z')),
      ).toBe(true);
    });

    it('starts with 2024–2030 as drafts, Kurban Ait of 2024–2026 kept as entered days', async () => {
      const { db } = await freshDb();
      const years = await listCalendarYears(db);
      expect(years.map((y) => [y.year, y.state])).toEqual(
        [2024, 2025, 2026, 2027, 2028, 2029, 2030].map((y) => [y, 'draft']),
      );
      expect(years.find((y) => y.year === 2026)?.entered).toEqual([
        { date: '2026-05-27', kind: 'holiday_no_transfer', name: 'Құрбан айт / Курбан айт' },
      ]);
      expect(years.find((y) => y.year === 2027)?.entered).toEqual([]);
      expect(await unconfirmedYears(db, [2026, 2027])).toEqual([2026, 2027]);
    });

    it('imports a year: moving feast and decree transfers entered, the rest generated, transfers skip the entered days off; a draft until confirmed', async () => {
      const { db } = await freshDb();
      const imported = await importCalendarYear(
        db,
        { year: 2027, days: [KURBAN_2027, ...DECREE_2027] },
        ADMIN,
        NOW,
      );
      expect(imported).toMatchObject({
        year: 2027,
        state: 'draft',
        updatedBy: ADMIN.name,
        confirmedAt: null,
      });
      const { days } = await calendarYear(db, 2027);
      const day = (date: string) => days.find((d) => d.date === date);
      expect(day('2027-05-17')).toMatchObject({ day_off: 1, kind: 'holiday_no_transfer' });
      expect(day('2027-01-09')).toMatchObject({ day_off: 0, kind: 'working_weekend' });
      expect(day('2027-01-08')).toMatchObject({ day_off: 1, kind: 'decree_day_off' });
      expect(day('2027-03-22')).toMatchObject({ kind: 'holiday' });
      const calendar = await loadCalendar(db);
      expect(isWorkingDay('2027-05-17', calendar)).toBe(false);
      expect(isWorkingDay('2027-01-09', calendar)).toBe(true); // a Saturday worked by decree
      expect(isWorkingDay('2027-01-08', calendar)).toBe(false);
      expect(
        await isProvisional(db, new Date('2027-05-14T05:00:00Z'), new Date('2027-05-20T19:00:00Z')),
      ).toBe(true);

      const confirmed = await confirmCalendarYear(db, 2027, ADMIN, NOW);
      expect(confirmed).toMatchObject({
        state: 'confirmed',
        confirmedBy: ADMIN.name,
        confirmedAt: NOW.toISOString(),
      });
      expect(
        await isProvisional(db, new Date('2027-05-14T05:00:00Z'), new Date('2027-05-20T19:00:00Z')),
      ).toBe(false);
      // Across into 2028 (a draft), a deadline is provisional again.
      expect(
        await isProvisional(db, new Date('2027-12-28T05:00:00Z'), new Date('2028-01-05T19:00:00Z')),
      ).toBe(true);
      // A list is judged at once, each period on its own.
      expect(
        await provisionalDeadlines(db, [
          { from: new Date('2027-05-14T05:00:00Z'), to: new Date('2027-05-20T19:00:00Z') },
          { from: new Date('2027-12-28T05:00:00Z'), to: new Date('2028-01-05T19:00:00Z') },
          { from: new Date('2026-12-28T05:00:00Z'), to: new Date('2027-01-05T19:00:00Z') },
        ]),
      ).toEqual([false, true, true]);

      // A new import (the decree changed) needs a new confirmation; the audit log has every step.
      await importCalendarYear(db, { year: 2027, days: [KURBAN_2027] }, ADMIN, NOW);
      expect((await calendarYear(db, 2027)).year.state).toBe('draft');
      expect(isWorkingDay('2027-01-09', await loadCalendar(db))).toBe(false); // back to a Saturday off
      const audit = await db
        .selectFrom('audit_log')
        .select(['action', 'subject', 'actor_iin'])
        .orderBy('id')
        .execute();
      expect(audit).toEqual([
        { action: 'calendar.import', subject: '2027', actor_iin: ADMIN.iin },
        { action: 'calendar.confirm', subject: '2027', actor_iin: ADMIN.iin },
        { action: 'calendar.import', subject: '2027', actor_iin: ADMIN.iin },
      ]);
    });

    it('refuses an invalid import and a confirmation of a year not imported or without its moving feast', async () => {
      const { db } = await freshDb();
      const refused = async (p: Promise<unknown>) =>
        p.then(
          () => null,
          (e: unknown) => (e instanceof Refusal ? e.code : e),
        );
      for (const days of [
        [{ ...KURBAN_2027, date: '2028-05-05' }], // another year
        [KURBAN_2027, KURBAN_2027], // twice
        [{ date: '2027-01-08', kind: 'working_weekend', name: 'x' }], // a Friday cannot be made a working day
        [{ ...KURBAN_2027, kind: 'holiday' }], // generated kinds are not entered
        [{ ...KURBAN_2027, date: '2027-02-30' }],
      ]) {
        expect(await refused(importCalendarYear(db, { year: 2027, days }, ADMIN, NOW))).toBe(
          'CALENDAR_INVALID',
        );
      }
      expect(await refused(confirmCalendarYear(db, 2033, ADMIN, NOW))).toBe('CALENDAR_YEAR_NOT_FOUND');
      expect(await refused(confirmCalendarYear(db, 2027, ADMIN, NOW))).toBe('CALENDAR_INCOMPLETE');
      expect((await calendarYear(db, 2027)).year.state).toBe('draft');
    });

    it('keeps the current and next year stored: 2031 appears as a generated draft once 2030 is current', async () => {
      const { db } = await freshDb();
      const warnings: Array<[string, number[]]> = [];
      const warn = (message: string, years: number[]) => warnings.push([message, years]);
      expect(await checkCalendarYears(db, new Date('2030-06-01T00:00:00Z'), warn)).toEqual([2030, 2031]);
      expect(warnings).toEqual([[expect.stringContaining('WORKING-DAY CALENDAR NOT CONFIRMED for 2030 and 2031'), [2030, 2031]]]);
      const y2031 = await calendarYear(db, 2031);
      expect(y2031.year).toMatchObject({ state: 'draft', updatedBy: 'portal: generated', entered: [] });
      expect(y2031.days.filter((d) => d.date.startsWith('2031-01-0')).map((d) => d.date)).toEqual([
        '2031-01-01',
        '2031-01-02',
        '2031-01-07',
      ]);
      expect(await ensureCalendarYears(db, [2031, 2032], NOW)).toEqual([2032]);
      expect(await ensureCalendarYears(db, [2031, 2032], NOW)).toEqual([]);

      // Once both are confirmed the log stays quiet.
      for (const [year, date] of [
        [2030, '2030-04-13'],
        [2031, '2031-04-02'],
      ] as const) {
        await importCalendarYear(db, { year, days: [{ ...KURBAN_2027, date }] }, ADMIN, NOW);
        await confirmCalendarYear(db, year, ADMIN, NOW);
      }
      warnings.length = 0;
      expect(await checkCalendarYears(db, new Date('2030-06-01T00:00:00Z'), warn)).toEqual([]);
      expect(warnings).toEqual([]);
    });
  });
});
