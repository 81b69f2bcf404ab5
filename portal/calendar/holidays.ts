/**
 * Kazakhstan's public holidays as rules (docs/domain.md, Working days), turned into the rows that
 * seed the `calendar_days` table. After seeding, the table is the truth: decrees that move
 * days are applied by editing rows, not this code.
 */
export interface CalendarDayRow {
  date: string; // YYYY-MM-DD
  day_off: number; // 1 = day off, 0 = working day
  kind: 'holiday' | 'holiday_no_transfer' | 'transfer' | 'working_weekend';
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

/** Days off that never move: Orthodox Christmas and the first day of Kurban Ait (lunar, per year). */
const NO_TRANSFER_FIXED: ReadonlyArray<readonly [string, string]> = [['01-07', 'Православное Рождество']];
const KURBAN_AIT: Readonly<Record<number, string>> = {
  2024: '2024-06-16',
  2025: '2025-06-06',
  2026: '2026-05-27',
};

export const SEEDED_YEARS = { from: 2024, to: 2030 } as const;

function isWeekend(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The calendar rows for one year: holidays, no-transfer days off and computed transfer days. */
export function holidayRowsForYear(year: number): CalendarDayRow[] {
  const rows: CalendarDayRow[] = [];
  const taken = new Set<string>();
  for (const [md, name] of TRANSFERABLE) {
    rows.push({ date: `${year}-${md}`, day_off: 1, kind: 'holiday', name });
    taken.add(`${year}-${md}`);
  }
  for (const [md, name] of NO_TRANSFER_FIXED) {
    rows.push({ date: `${year}-${md}`, day_off: 1, kind: 'holiday_no_transfer', name });
    taken.add(`${year}-${md}`);
  }
  const kurban = KURBAN_AIT[year];
  if (kurban && !taken.has(kurban)) {
    rows.push({ date: kurban, day_off: 1, kind: 'holiday_no_transfer', name: 'Құрбан айт / Курбан айт' });
    taken.add(kurban);
  }
  for (const [md, name] of TRANSFERABLE) {
    const date = `${year}-${md}`;
    if (!isWeekend(date)) continue;
    let moved = nextDay(date);
    while (isWeekend(moved) || taken.has(moved)) moved = nextDay(moved);
    taken.add(moved);
    rows.push({ date: moved, day_off: 1, kind: 'transfer', name: `Перенос: ${name} (${date})` });
  }
  return rows.sort((a, b) => a.date.localeCompare(b.date));
}

export function holidayRows(
  from: number = SEEDED_YEARS.from,
  to: number = SEEDED_YEARS.to,
): CalendarDayRow[] {
  const rows: CalendarDayRow[] = [];
  for (let y = from; y <= to; y++) rows.push(...holidayRowsForYear(y));
  return rows;
}
