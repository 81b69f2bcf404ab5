/**
 * Examination slots from a commission's schedule (docs/pmpk.md, Slots): on each of the next
 * `days_ahead` working days after today (Almaty), from `day_start`, one slot every `slot_minutes`
 * that ends by `day_end`, each for `slot_capacity` children. Slots are rows, written when first
 * asked for (idempotent: the (commission, start) pair is unique), so a booking counts against one.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import {
  almatyDate,
  almatyMidnight,
  loadCalendar,
  nthWorkingDayAfter,
  type WorkingCalendar,
} from '../calendar/working-days.ts';
import type { CommissionRow } from './commissions.ts';

export type Schedule = Pick<CommissionRow, 'day_start' | 'day_end' | 'slot_minutes' | 'days_ahead'>;

export interface SlotTime {
  date: string;
  startsAt: string;
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** The slots a schedule opens on the `days_ahead` working days after `today` (YYYY-MM-DD, Almaty). */
export function slotTimes(schedule: Schedule, today: string, calendar: WorkingCalendar): SlotTime[] {
  const first = minutesOf(schedule.day_start);
  const end = minutesOf(schedule.day_end);
  const out: SlotTime[] = [];
  let day = today;
  for (let n = 0; n < schedule.days_ahead; n++) {
    day = nthWorkingDayAfter(day, 1, calendar);
    const midnight = almatyMidnight(day).getTime();
    for (let m = first; m + schedule.slot_minutes <= end; m += schedule.slot_minutes) {
      out.push({ date: day, startsAt: new Date(midnight + m * 60_000).toISOString() });
    }
  }
  return out;
}

/** Writes the commission's slots up to its horizon that are not rows yet. */
export async function ensureSlots(db: Kysely<DB>, commission: CommissionRow, now: Date): Promise<void> {
  const times = slotTimes(commission, almatyDate(now), await loadCalendar(db));
  if (times.length === 0) return;
  await db
    .insertInto('pmpk_slots')
    .values(
      times.map((t) => ({
        commission_id: commission.id,
        date: t.date,
        starts_at: t.startsAt,
        capacity: commission.slot_capacity,
      })),
    )
    .onConflict((oc) => oc.columns(['commission_id', 'starts_at']).doNothing())
    .execute();
}

export interface FreeSlot {
  id: number;
  date: string;
  starts_at: string;
  capacity: number;
  booked: number;
}

/** Slots of the commission still in the future with a place left, earliest first. */
export async function freeSlots(db: Kysely<DB>, commissionId: number, now: Date): Promise<FreeSlot[]> {
  return db
    .selectFrom('pmpk_slots')
    .select(['id', 'date', 'starts_at', 'capacity', 'booked'])
    .where('commission_id', '=', commissionId)
    .where('starts_at', '>', now.toISOString())
    .whereRef('booked', '<', 'capacity')
    .orderBy('starts_at')
    .execute(); // bounded by the horizon: days_ahead working days of slots
}
