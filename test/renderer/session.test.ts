import { describe, expect, it } from 'vitest';
import { apiFromCall, type CallFn, type Result } from '../../contract/contract.ts';
import { takeBrowserToken } from '../../renderer/src/api.ts';
import { withSessionGuard } from '../../renderer/src/session.ts';

/** A stand-in main that answers every call with the same error, recording call names. */
function failingApi(code: string) {
  const calls: string[] = [];
  const call = (async (name) => {
    calls.push(name);
    return { ok: false, error: { code } } as Result<never>;
  }) as CallFn;
  return { api: apiFromCall(call), calls };
}

describe('withSessionGuard', () => {
  it('reports a lapse when a signed-in call answers SESSION_EXPIRED, and passes the result on', async () => {
    const { api } = failingApi('SESSION_EXPIRED');
    let lapses = 0;
    const guarded = withSessionGuard(api, () => lapses++);
    const result = await guarded['auth.setEmail']({ email: 'a@b.kz' });
    expect(result).toEqual({ ok: false, error: { code: 'SESSION_EXPIRED' } });
    expect(lapses).toBe(1);
  });

  it('does not treat sign-in calls or other errors as a lapse', async () => {
    let lapses = 0;
    const expired = withSessionGuard(failingApi('NOT_LOGGED_IN').api, () => lapses++);
    await expired['auth.session']({});
    await expired['auth.login']({ ref: { kind: 'file', path: '/k.p12', index: 0 }, secret: 'x' });
    const wrong = withSessionGuard(failingApi('WRONG_PASSWORD').api, () => lapses++);
    await wrong['keys.list']({ path: '/k', password: 'x' });
    expect(lapses).toBe(0);
  });
});

describe('takeBrowserToken', () => {
  function place(hash: string) {
    const store = new Map<string, string>();
    let cleared = 0;
    return {
      place: {
        hash,
        clearHash: () => cleared++,
        storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
      },
      cleared: () => cleared,
    };
  }

  it('takes the token from the fragment once, keeps it, and clears the address bar', () => {
    const token = 'abcdefghijklmnopqrstuvwxyz012345';
    const first = place(`#token=${token}`);
    expect(takeBrowserToken(first.place)).toBe(token);
    expect(first.cleared()).toBe(1);
    // A reload: no fragment any more, the stored token still answers.
    expect(takeBrowserToken({ ...first.place, hash: '' })).toBe(token);
    expect(first.cleared()).toBe(1);
  });

  it('has no token when none was given or it is malformed', () => {
    expect(takeBrowserToken(place('').place)).toBeNull();
    expect(takeBrowserToken(place('#token=short').place)).toBeNull();
  });
});
