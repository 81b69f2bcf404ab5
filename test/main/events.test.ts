/**
 * Events from main to the window: the hub validates what services emit, the contract validates
 * what the window receives, and the cabinet watch emits 'cabinet.changed' only for news, only
 * while the window is in use.
 */
import { describe, expect, it } from 'vitest';
import { parseAppEvent, type AppEvent } from '../../contract/contract.ts';
import { watchCabinet } from '../../main/cabinet-watch.ts';
import { AppFailure } from '../../main/errors.ts';
import { EventHub } from '../../main/events.ts';

describe('EventHub', () => {
  it('delivers a valid event to every subscriber until it unsubscribes', () => {
    const hub = new EventHub();
    const a: AppEvent[] = [];
    const b: AppEvent[] = [];
    const stopA = hub.subscribe((e) => a.push(e));
    hub.subscribe((e) => b.push(e));
    hub.emit('cabinet.changed', { latestEventId: '7' });
    stopA();
    hub.emit('session.ended', { reason: 'expired' });
    expect(a).toEqual([{ name: 'cabinet.changed', payload: { latestEventId: '7' } }]);
    expect(b.map((e) => e.name)).toEqual(['cabinet.changed', 'session.ended']);
  });

  it('refuses a payload outside the contract at the emitter', () => {
    const hub = new EventHub();
    const seen: AppEvent[] = [];
    hub.subscribe((e) => seen.push(e));
    expect(() => hub.emit('session.ended', { reason: 'bored' } as never)).toThrow();
    expect(() => hub.emit('cabinet.changed', { latestEventId: '7', extra: 1 } as never)).toThrow();
    expect(seen).toEqual([]);
  });

  it('keeps delivering when one subscriber throws', () => {
    const hub = new EventHub();
    const seen: string[] = [];
    hub.subscribe(() => {
      throw new Error('window gone');
    });
    hub.subscribe((e) => seen.push(e.name));
    hub.emit('session.ended', { reason: 'expired' });
    expect(seen).toEqual(['session.ended']);
  });
});

describe('parseAppEvent', () => {
  it('accepts exactly the contract events', () => {
    expect(parseAppEvent({ name: 'cabinet.changed', payload: { latestEventId: '12' } })).toEqual({ name: 'cabinet.changed', payload: { latestEventId: '12' } });
    for (const raw of [
      null,
      'session.ended',
      { name: 'toString', payload: {} },
      { name: 'session.ended', payload: { reason: 'other' } },
      { name: 'cabinet.changed', payload: { latestEventId: 'x'.repeat(65) } },
      { name: 'session.ended', payload: { reason: 'expired' }, extra: true },
    ]) {
      expect(parseAppEvent(raw), JSON.stringify(raw)).toBeNull();
    }
  });
});

describe('watchCabinet', () => {
  function setup(feedIds: (string | null)[]) {
    const emitted: AppEvent[] = [];
    const state = { iin: '900101300123' as string | null, lastCall: 0, now: 0, feedCalls: 0, fail: false };
    const ids = [...feedIds];
    const watch = watchCabinet({
      auth: {
        get currentIin() {
          return state.iin;
        },
        authed: async (call) => call('token'),
      },
      portal: {
        feed: async () => {
          state.feedCalls += 1;
          if (state.fail) throw new AppFailure('PORTAL_UNREACHABLE');
          const id = ids.shift() ?? null;
          return { items: id === null ? [] : [{ id, at: '2026-01-01T00:00:00Z', kind: 'x', applicationId: null, applicationNumber: 'n', status: null, read: false, message: 'm' }] };
        },
      },
      events: { emit: (name, payload) => emitted.push({ name, payload } as AppEvent) },
      lastWindowCall: () => state.lastCall,
      now: () => state.now,
      activeWindowMs: 1000,
      intervalMs: 3_600_000,
    });
    return { watch, emitted, state };
  }

  it('remembers the newest entry first, then announces only a new one', async () => {
    const { watch, emitted } = setup(['5', '5', '6', '6']);
    await watch.check();
    await watch.check();
    expect(emitted).toEqual([]);
    await watch.check();
    await watch.check();
    expect(emitted).toEqual([{ name: 'cabinet.changed', payload: { latestEventId: '6' } }]);
    watch.stop();
  });

  it('announces the first entry of a feed that was empty', async () => {
    const { watch, emitted } = setup([null, '1']);
    await watch.check();
    await watch.check();
    expect(emitted).toEqual([{ name: 'cabinet.changed', payload: { latestEventId: '1' } }]);
    watch.stop();
  });

  it('does not look while nobody is logged in or the window has been idle, so the portal session can lapse', async () => {
    const { watch, state } = setup(['1', '2']);
    state.iin = null;
    await watch.check();
    expect(state.feedCalls).toBe(0);
    state.iin = '900101300123';
    state.now = 1001;
    await watch.check();
    expect(state.feedCalls).toBe(0);
    state.lastCall = 1000;
    await watch.check();
    expect(state.feedCalls).toBe(1);
    watch.stop();
  });

  it('starts afresh for another person and ignores a failed look', async () => {
    const { watch, emitted, state } = setup(['1', '9', '9']);
    await watch.check();
    state.iin = '850505400456';
    await watch.check(); // another person: remember only
    state.fail = true;
    await watch.check();
    state.fail = false;
    await watch.check();
    expect(emitted).toEqual([]);
    watch.stop();
  });

  it('takes a new session\'s baseline at login even while a timed look of the session before is running', async () => {
    const { watch, emitted, state } = setup(['1', '4', '5']);
    state.iin = null;
    const timed = watch.check(); // nobody yet: remembers nothing
    state.iin = '850505400456';
    const login = watch.loggedIn();
    await Promise.all([timed, login]);
    expect(state.feedCalls).toBe(1); // the baseline ('1'), looked for after the timed look ended
    await watch.check(); // news after the login is announced
    expect(emitted).toEqual([{ name: 'cabinet.changed', payload: { latestEventId: '4' } }]);
    watch.stop();
  });

  it('makes one look at a time', async () => {
    const { watch, state } = setup(['1']);
    await Promise.all([watch.check(), watch.check(), watch.check()]);
    expect(state.feedCalls).toBe(1);
    watch.stop();
  });
});
