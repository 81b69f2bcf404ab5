/**
 * A calendar date typed as dd.MM.yyyy (docs/architecture.md: the project shows every date so, in
 * every language), read into the ISO yyyy-MM-dd the contract carries. Pure, for DateField.tsx.
 * A native <input type="date"> is not used: Chromium lays it out by its own locale (mm/dd/yyyy),
 * not by the UI language.
 */

export type DateProblem = 'format' | 'impossible';

export type ParsedDate = { ok: true; iso: string } | { ok: false; problem: DateProblem };

const DISPLAY = /^(\d{2})\.(\d{2})\.(\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * "31.12.2027" → 2027-12-31. Anything but two digits, two digits and four digits between dots is
 * `format` (a two-digit year is not guessed); a day that no calendar has (31.04, 29.02 of a common
 * year, month 13, year 0000) is `impossible`.
 */
export function parseDisplayDate(text: string): ParsedDate {
  const m = DISPLAY.exec(text.trim());
  if (!m) return { ok: false, problem: 'format' };
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return { ok: false, problem: 'impossible' };
  return { ok: true, iso: `${m[3]}-${m[2]}-${m[1]}` };
}

/** 2027-12-31 → "31.12.2027"; anything else as it is. */
export function isoToDisplay(iso: string): string {
  const m = ISO.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

const PART_LENGTH = [2, 2, 4] as const;

/**
 * Guided typing: what the field shows after the person typed `typed` (the field's new text).
 * Only digits and dots stay; the dot after the day and after the month comes by itself once two
 * digits are typed, and a dot typed after one digit pads it ("1." → "01."). When the person
 * deleted (`deleting`), no dot is added back, so Backspace is never undone. A pasted ISO date
 * (2027-12-31) is shown as 31.12.2027. At most 10 characters.
 */
export function guideDateTyping(typed: string, deleting: boolean): string {
  if (ISO.test(typed.trim())) return isoToDisplay(typed.trim());
  const parts: string[] = [''];
  for (const ch of typed) {
    const i = parts.length - 1;
    const part = parts[i] ?? '';
    if (ch >= '0' && ch <= '9') {
      if (part.length < PART_LENGTH[i as 0 | 1 | 2]) parts[i] = part + ch;
      else if (i < 2) parts.push(ch);
    } else if (ch === '.' && part !== '' && i < 2) {
      parts[i] = part.padStart(2, '0');
      parts.push('');
    }
  }
  let text = parts.join('.');
  const last = parts.length - 1;
  if (!deleting && last < 2 && parts[last]?.length === 2) text += '.';
  return text;
}
