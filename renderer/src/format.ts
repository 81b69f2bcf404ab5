/** Date display: dd.MM.yyyy HH:mm in Kazakhstan's time (Asia/Almaty), whatever the UI language. */

export const DISPLAY_TIME_ZONE = 'Asia/Almaty';

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: DISPLAY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "20.10.2018 13:00" for an ISO-8601 instant; the input unchanged when it is not a date. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = partsFormatter.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}.${part('month')}.${part('year')} ${part('hour')}:${part('minute')}`;
}

/** "20.10.2018 13:00 – 20.10.2019 13:00" (the key dialog's validity line). */
export function formatValidity(notBefore: string, notAfter: string): string {
  return `${formatDateTime(notBefore)} – ${formatDateTime(notAfter)}`;
}

/** Serial numbers read more easily in groups of four: "1A2B 3C4D …". */
export function groupHex(hex: string): string {
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * "13.05.2021": a calendar date (YYYY-MM-DD, shown as written) or an instant (its Almaty date);
 * the input unchanged when it is neither.
 */
export function formatDate(value: string): string {
  const calendar = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (calendar) return `${calendar[3]}.${calendar[2]}.${calendar[1]}`;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return formatDateTime(value).slice(0, 10);
}

/**
 * The last day to act on a deadline given as the instant it lapses (the end of that day in
 * Almaty): "18.12.2026" for 2026-12-18T19:00:00Z.
 */
export function formatDeadline(lapsesAt: string): string {
  const date = new Date(lapsesAt);
  if (Number.isNaN(date.getTime())) return lapsesAt;
  return formatDate(new Date(date.getTime() - 1).toISOString());
}
