/**
 * Time source for the portal. Deadlines are computed from `clock.now()`, never `new Date()`, so
 * the demo and the tests can move time (`--clock 2026-05-25T09:00:00+05:00`).
 */
import { z } from 'zod';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface ManualClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

/** A clock that stands still until told to move (tests). */
export function manualClock(at: Date | string): ManualClock {
  let current = new Date(at).getTime();
  return {
    now: () => new Date(current),
    set: (next) => {
      current = new Date(next).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/** A clock that starts at `start` and then runs at real speed (the `--clock` option). */
export function offsetClock(start: Date | string, base: Clock = systemClock): Clock {
  const offset = new Date(start).getTime() - base.now().getTime();
  return { now: () => new Date(base.now().getTime() + offset) };
}

const isoInstant = z.iso.datetime({ offset: true });

/** Parses the `--clock` value (ISO-8601 with Z or an offset); throws a clear error otherwise. */
export function clockFromOption(value: string | undefined): Clock {
  if (value === undefined) return systemClock;
  const parsed = isoInstant.safeParse(value);
  if (!parsed.success) {
    throw new Error(`--clock expects an ISO-8601 instant such as 2026-05-25T09:00:00+05:00, got "${value}"`);
  }
  return offsetClock(parsed.data);
}
