/**
 * Seconds left before an idle session ends, once the warning period has begun (null before it).
 * Any key, pointer, wheel or touch input restarts the count. Time is read from Date.now on a
 * one-second tick, so a sleeping or throttled window still ends the session on time.
 */
import { useEffect, useState } from 'react';

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** How long the countdown is shown: 30 s, or a third of a short timeout. */
export function warningSeconds(timeoutSeconds: number): number {
  return Math.min(30, Math.floor(timeoutSeconds / 3));
}

/** Seconds left at `now` (ms) after the last activity at `last`, or null outside the warning period. */
export function secondsLeft(timeoutSeconds: number, last: number, now: number): number | null {
  const left = Math.ceil(timeoutSeconds - (now - last) / 1000);
  if (left > warningSeconds(timeoutSeconds)) return null;
  return Math.max(0, left);
}

export function useIdleCountdown(timeoutSeconds: number, onExpire: () => void): number | null {
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    let last = Date.now();
    let expired = false;
    const touch = () => {
      last = Date.now();
    };
    const tick = () => {
      if (expired) return;
      const next = secondsLeft(timeoutSeconds, last, Date.now());
      setLeft(next);
      if (next === 0) {
        expired = true;
        onExpire();
      }
    };
    for (const name of ACTIVITY) window.addEventListener(name, touch, { capture: true, passive: true });
    const timer = window.setInterval(tick, 1000);
    return () => {
      window.clearInterval(timer);
      for (const name of ACTIVITY) window.removeEventListener(name, touch, { capture: true });
    };
  }, [timeoutSeconds, onExpire]);
  return left;
}
