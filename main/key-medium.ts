/**
 * A session opened with a key file from a removable medium ends when the medium is removed
 * (docs/kiosk.md, "Session hygiene"): on a shared computer, pulling the USB stick out logs out, as
 * pulling a token out does. After the login, the key file is looked at every `intervalMs` (one stat:
 * no device listing, no PowerShell); it is gone when the stat fails or finds another file (another
 * device or inode: a different medium mounted at the same place). Keys on a fixed disk are not watched.
 */
import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { withinRoots } from './removable-media.ts';

/** A stat costs microseconds; two seconds is what the token watcher waits too. */
export const DEFAULT_MEDIUM_POLL_MS = 2_000;

export interface MediumWatch {
  /** One look now (the timer calls it; tests call it directly). */
  check(): Promise<void>;
  stop(): void;
}

/** Starts watching `file` for the session that just logged in with it; null when it is not on a removable medium. */
export type WatchKeyFile = (file: string, onGone: () => void) => Promise<MediumWatch | null>;

export interface KeyMediumOptions {
  platform: NodeJS.Platform;
  /** The removable media's roots now (removable-media.ts systemRemovableRoots; a folder in tests). */
  removableRoots: () => Promise<string[]>;
  intervalMs?: number;
  realpath?: (p: string) => Promise<string>;
  stat?: (p: string) => Promise<Pick<Stats, 'dev' | 'ino'>>;
}

/** The same file as at login: same device and inode. */
const sameFile = (a: Pick<Stats, 'dev' | 'ino'>, b: Pick<Stats, 'dev' | 'ino'>) => a.dev === b.dev && a.ino === b.ino;

export function keyMediumWatcher(options: KeyMediumOptions): WatchKeyFile {
  const resolve = options.realpath ?? realpath;
  const look = options.stat ?? stat;
  return async (file, onGone) => {
    // Links resolved: a link on the disk to a file on the stick is watched, one on the stick to the disk is not.
    const real = await resolve(file).catch(() => null);
    if (real === null) return null;
    const roots = await options.removableRoots().catch(() => []);
    if (!withinRoots(real, roots, options.platform)) return null;
    const first = await look(real).catch(() => null);
    if (first === null) {
      onGone();
      return null;
    }
    let stopped = false;
    let running: Promise<void> | null = null;
    const stop = () => {
      stopped = true;
      clearInterval(timer);
    };
    const check = (): Promise<void> =>
      (running ??= look(real)
        .then(
          (now) => sameFile(now, first),
          () => false,
        )
        .then((present) => {
          if (present || stopped) return;
          stop();
          onGone();
        })
        .finally(() => (running = null)));
    const timer = setInterval(() => void check(), options.intervalMs ?? DEFAULT_MEDIUM_POLL_MS);
    timer.unref();
    return { check, stop };
  };
}
