/** The kiosk's idle countdown arithmetic and the window's half of ending a session. */
import { describe, expect, it, vi } from 'vitest';
import type { JoldamaApi } from '../../contract/contract.ts';
import { TOKEN_KEY } from '../../renderer/src/api.ts';
import { clearWebStorage, endSession } from '../../renderer/src/features/kiosk/end-session.ts';
import { kioskSteps } from '../../renderer/src/features/kiosk/kiosk-steps.ts';
import { wipesSession } from '../../renderer/src/features/kiosk/session-ended.ts';
import { secondsLeft, warningSeconds } from '../../renderer/src/features/kiosk/use-idle-countdown.ts';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('the idle countdown', () => {
  it('warns for 30 s, or a third of a short timeout', () => {
    expect(warningSeconds(120)).toBe(30);
    expect(warningSeconds(30)).toBe(10);
  });

  it('is silent until the warning period, then counts down to zero and stays there', () => {
    const start = 1_000_000;
    expect(secondsLeft(120, start, start)).toBeNull();
    expect(secondsLeft(120, start, start + 89_000)).toBeNull();
    expect(secondsLeft(120, start, start + 90_000)).toBe(30);
    expect(secondsLeft(120, start, start + 119_500)).toBe(1);
    expect(secondsLeft(120, start, start + 120_000)).toBe(0);
    expect(secondsLeft(120, start, start + 600_000)).toBe(0); // a window that slept
  });
});

describe("the window's half of ending a session", () => {
  it("clears session and local storage but keeps browser mode's bridge token", () => {
    const session = new MemoryStorage();
    const local = new MemoryStorage();
    session.setItem(TOKEN_KEY, 'bridge-token');
    session.setItem('draft', 'typed by the last person');
    local.setItem('anything', 'x');
    clearWebStorage({ session, local });
    expect(session.length).toBe(1);
    expect(session.getItem(TOKEN_KEY)).toBe('bridge-token');
    expect(local.length).toBe(0);
  });

  it('asks main first, then clears and reloads, even when main could not reach the portal', async () => {
    const order: string[] = [];
    const api = {
      'session.end': vi.fn(async () => {
        order.push('main');
        return { ok: false as const, error: { code: 'PORTAL_UNREACHABLE' as const } };
      }),
    } as unknown as JoldamaApi;
    const session = new MemoryStorage();
    session.setItem('x', 'y');
    await endSession(api, { session, local: new MemoryStorage(), reload: () => order.push(`reload:${session.length}`) });
    expect(order).toEqual(['main', 'reload:0']);
  });
});

// #16: the token step only where a token can be used (kiosk-steps.ts).
describe("the kiosk start screen's steps", () => {
  it('shows the token step when the policy allows tokens and main can use a token module', () => {
    expect(kioskSteps({ keySources: ['file', 'token'], loginMethods: ['certificate', 'password'] }, true)).toEqual(['file', 'token', 'key', 'password', 'end']);
  });

  it('leaves it out when no token module is available here, or the policy does not allow tokens', () => {
    expect(kioskSteps({ keySources: ['file', 'token'], loginMethods: ['certificate', 'password'] }, false)).toEqual(['file', 'key', 'password', 'end']);
    expect(kioskSteps({ keySources: ['file'], loginMethods: ['certificate'] }, true)).toEqual(['file', 'key', 'end']);
  });
});

// #16: in a kiosk, pulling out what holds the key is the person leaving (session-ended.ts).
describe('when main ends the session by itself', () => {
  it('a kiosk wipes the whole session when the token or the USB medium with the key is pulled out', () => {
    expect(wipesSession('token-removed', true)).toBe(true);
    expect(wipesSession('medium-removed', true)).toBe(true);
  });

  it('a lapse at the portal, or any end outside a kiosk, goes to the login screen with its notice', () => {
    expect(wipesSession('expired', true)).toBe(false);
    expect(wipesSession('portal-changed', true)).toBe(false);
    expect(wipesSession('token-removed', false)).toBe(false);
    expect(wipesSession('medium-removed', false)).toBe(false);
  });
});
