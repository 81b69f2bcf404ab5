/**
 * While someone is logged in, main looks at the newest entry of the applicant's event feed on the
 * portal every `intervalMs` and emits 'cabinet.changed' when it differs from the last one seen, so
 * an offer that arrives while the app is open shows without the user refreshing. The first look
 * of a session (loggedIn, before the login is answered) only remembers the newest entry. A lapsed
 * session is announced by AuthService ('session.ended'); any other failure waits for the next look.
 *
 * It looks only while the window is in use (a call from the window within `activeWindowMs`): the
 * portal slides a session's idle expiry on every request, and a watcher that looked forever would
 * keep a forgotten session alive.
 */
import type { AuthService } from './auth-service.ts';
import type { EventHub } from './events.ts';
import type { PortalClient } from './portal-client.ts';

export const DEFAULT_WATCH_INTERVAL_MS = 30_000;
/** Shorter than the portal's idle expiry (30 minutes), so an unused session still lapses there. */
export const DEFAULT_ACTIVE_WINDOW_MS = 10 * 60_000;

export interface CabinetWatch {
  /** One look now (the timer calls it; tests call it directly). */
  check(): Promise<void>;
  /**
   * A session has just begun (AuthService's onStarted): the look that takes its baseline, done
   * before the login is answered (so before the window asks for anything). Otherwise news between the window's first answers
   * and the next timed look would become the baseline and never be announced.
   */
  loggedIn(): Promise<void>;
  stop(): void;
}

export function watchCabinet(options: {
  auth: Pick<AuthService, 'currentIin' | 'authed'>;
  portal: Pick<PortalClient, 'feed'>;
  events: Pick<EventHub, 'emit'>;
  /** When the window last called main (epoch ms). */
  lastWindowCall: () => number;
  intervalMs?: number;
  activeWindowMs?: number;
  now?: () => number;
}): CabinetWatch {
  const { auth, portal, events } = options;
  // The newest feed entry seen for the current login; undefined = not looked yet.
  let seen: { user: string; id: string | null } | undefined;
  let running: Promise<void> | null = null;

  const look = async (): Promise<void> => {
    const user = auth.currentIin;
    if (!user) {
      seen = undefined;
      return;
    }
    const now = options.now ?? Date.now;
    if (now() - options.lastWindowCall() > (options.activeWindowMs ?? DEFAULT_ACTIVE_WINDOW_MS)) return;
    let newest: string | null;
    try {
      const feed = await auth.authed((token) => portal.feed(token, 1));
      newest = feed.items[0]?.id ?? null;
    } catch {
      return;
    }
    const before = seen?.user === user ? seen.id : undefined;
    seen = { user, id: newest };
    if (before !== undefined && newest !== null && newest !== before) events.emit('cabinet.changed', { latestEventId: newest });
  };
  const check = (): Promise<void> => {
    // Never two looks at once: a slow portal must not pile requests up.
    running ??= look().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void check(), options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS);
  timer.unref();
  const loggedIn = async (): Promise<void> => {
    // A look still running began before this session: it is not this session's baseline.
    await running;
    await check();
  };
  return { check, loggedIn, stop: () => clearInterval(timer) };
}
