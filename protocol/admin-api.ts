/**
 * The portal's administrator API (/api/admin/*): the education department's staff, whose
 * organisation BIN the portal's configuration names (adminBins), log in with a legal-entity AUTH
 * key like kindergarten staff and keep the working-day calendar, year by year: list, read,
 * import (what no rule knows: moving feasts, the decree's transfers) and confirm.
 */
import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

export const AdminMe = z.object({
  iin: z.string(),
  fullName: z.string(),
  /** The organisation's BIN (one of the portal's admin BINs). */
  bin: z.string(),
});
export type AdminMe = z.infer<typeof AdminMe>;

export const AdminLoginResponse = z.object({
  /** Bearer token; browsers get the same in an HttpOnly cookie scoped to /api/admin. */
  token: z.string(),
  expiresAt: isoTime,
  admin: AdminMe,
});
export type AdminLoginResponse = z.infer<typeof AdminLoginResponse>;

export const ENTERED_DAY_KINDS = ['holiday_no_transfer', 'decree_day_off', 'working_weekend'] as const;

export const EnteredDay = z.strictObject({
  date: isoDate,
  /** holiday_no_transfer: a moving feast (Kurban Ait); decree_day_off / working_weekend: the decree's transfers. */
  kind: z.enum(ENTERED_DAY_KINDS),
  name: z.string().trim().min(1).max(200),
});
export type EnteredDay = z.infer<typeof EnteredDay>;

export const CalendarYear = z.object({
  year: z.number().int(),
  /** missing: not stored yet (its generated days off count meanwhile); draft: not confirmed. */
  state: z.enum(['missing', 'draft', 'confirmed']),
  entered: z.array(EnteredDay),
  updatedAt: isoTime.nullable(),
  updatedBy: z.string().nullable(),
  confirmedAt: isoTime.nullable(),
  confirmedBy: z.string().nullable(),
});
export type CalendarYear = z.infer<typeof CalendarYear>;

export const CalendarYearsResponse = z.object({ items: z.array(CalendarYear) });

export const CalendarDay = z.object({
  date: isoDate,
  dayOff: z.boolean(),
  kind: z.string(),
  name: z.string(),
});

export const CalendarYearDetail = z.object({ year: CalendarYear, days: z.array(CalendarDay) });
export type CalendarYearDetail = z.infer<typeof CalendarYearDetail>;

export const CalendarYearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

/** A year's entered days; the import replaces the ones entered before and leaves the year a draft. */
export const CalendarImportRequest = z.strictObject({ days: z.array(EnteredDay).max(60) });
