/**
 * One year's calendar rows (docs/domain.md "Working days"): the days off the rules fix by date
 * are generated — the fixed-date holidays, 7 January, and the transfer of a holiday that falls on
 * a weekend to the next working day — and the days no rule can know are entered by an
 * administrator: the moving feast of Kurban Ait and the transfers of the yearly decree. The
 * stored rows (calendar_days) are the truth; a year is trusted once an administrator has
 * confirmed it (years.ts).
 */
import type { EnteredDay } from '../../protocol/admin-api.ts';
import type { CalendarDayKind } from '../db/schema.ts';

export type { EnteredDay };

export interface CalendarDayRow {
  date: string; // YYYY-MM-DD
  day_off: number; // 1 = day off, 0 = working day
  kind: CalendarDayKind;
  name: string;
}

/** Fixed-date holidays; when one falls on a weekend the day off moves to the next working day. */
const TRANSFERABLE: ReadonlyArray<readonly [string, string]> = [
  ['01-01', 'Жаңа жыл / Новый год'],
  ['01-02', 'Жаңа жыл / Новый год'],
  ['03-08', 'Халықаралық әйелдер күні / Международный женский день'],
  ['03-21', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['03-22', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['03-23', 'Наурыз мейрамы / Наурыз мейрамы'],
  ['05-01', 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана'],
  ['05-07', 'Отан қорғаушы күні / День защитника Отечества'],
  ['05-09', 'Жеңіс күні / День Победы'],
  ['07-06', 'Астана күні / День столицы'],
  ['08-30', 'Конституция күні / День Конституции'],
  ['10-25', 'Республика күні / День Республики'],
  ['12-16', 'Тәуелсіздік күні / День Независимости'],
];

/** The fixed-date day off without transfer: Orthodox Christmas. */
const NO_TRANSFER_FIXED: ReadonlyArray<readonly [string, string]> = [['01-07', 'Православное Рождество']];

function isWeekend(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The calendar rows of `year`: the generated days off, then the entered days. An entered day
 * overrides a generated one on the same date, and a weekend holiday's transfer skips the entered
 * days off as it skips the other holidays.
 */
export function yearRows(year: number, entered: readonly EnteredDay[] = []): CalendarDayRow[] {
  const rows = new Map<string, CalendarDayRow>();
  for (const e of entered)
    rows.set(e.date, {
      date: e.date,
      day_off: e.kind === 'working_weekend' ? 0 : 1,
      kind: e.kind,
      name: e.name,
    });
  const taken = new Set([...rows.values()].filter((r) => r.day_off === 1).map((r) => r.date));
  const add = (row: CalendarDayRow) => {
    if (!rows.has(row.date)) rows.set(row.date, row);
    if (row.day_off === 1) taken.add(row.date);
  };
  for (const [md, name] of TRANSFERABLE) add({ date: `${year}-${md}`, day_off: 1, kind: 'holiday', name });
  for (const [md, name] of NO_TRANSFER_FIXED)
    add({ date: `${year}-${md}`, day_off: 1, kind: 'holiday_no_transfer', name });
  for (const [md, name] of TRANSFERABLE) {
    const date = `${year}-${md}`;
    if (!isWeekend(date)) continue;
    let moved = nextDay(date);
    while (isWeekend(moved) || taken.has(moved)) moved = nextDay(moved);
    add({ date: moved, day_off: 1, kind: 'transfer', name: `Перенос: ${name} (${date})` });
  }
  return [...rows.values()].sort((a, b) => a.date.localeCompare(b.date));
}
