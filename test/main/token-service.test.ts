/**
 * Tokens in main with a fake token module: the slot watcher (plugged in, removed, another token in
 * the same slot), keys.tokens through the contract, tokens.changed, and the session that ends when
 * its key's token is removed.
 */
import type { X509Certificate } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { ListedKey, TokenInfo } from '../../signing/index.ts';
import type { AppEvent } from '../../contract/contract.ts';
import { AuthService } from '../../main/auth-service.ts';
import { createDispatch } from '../../main/dispatch.ts';
import { watchTokens } from '../../main/token-service.ts';
import { fakeContext } from './helpers/fake-context.ts';
import { FINGERPRINT, fakeTokens, listedTokenKey, tokenInfo } from './helpers/fake-keys.ts';
import { standInPortal, standInSigning } from './helpers/stand-in-login.ts';

const token = tokenInfo;
const listedKey = listedTokenKey;
const fakeModule = (present: TokenInfo[] = []) => fakeTokens({ present });

describe('token watcher', () => {
  it('remembers the first look, then reports each change of the tokens present: plugged in, removed, another token in the same slot', async () => {
    const { state, access } = fakeModule([token('a'.repeat(32))]);
    const changes: string[][] = [];
    const watch = watchTokens({ access, onChange: (present) => changes.push([...present].sort()), intervalMs: 3_600_000 });
    try {
      await watch.check();
      await watch.check();
      expect(changes).toEqual([]);
      state.present = [token('a'.repeat(32)), token('b'.repeat(32), { slot: '02' })];
      await watch.check();
      state.present = [token('b'.repeat(32), { slot: '02' })];
      await watch.check();
      // Another token in the same slot: a new fingerprint, so a change although the slot count is the same.
      state.present = [token('c'.repeat(32), { slot: '02' })];
      await watch.check();
      await watch.check();
      expect(changes).toEqual([['a'.repeat(32), 'b'.repeat(32)], ['b'.repeat(32)], ['c'.repeat(32)]]);
      expect(state.rescans).toBe(6); // every look rescans first (SoftHSM sees tokens come and go only then)
    } finally {
      watch.stop();
    }
  });

  it('a look that fails waits for the next one; two looks never run at once', async () => {
    const { state, access } = fakeModule([token('a'.repeat(32))]);
    const listTokens = vi.fn(access.listTokens);
    const onChange = vi.fn();
    const watch = watchTokens({ access: { ...access, listTokens }, onChange, intervalMs: 3_600_000 });
    try {
      await watch.check();
      listTokens.mockRejectedValueOnce(new Error('CKR_DEVICE_ERROR'));
      await watch.check();
      expect(onChange).not.toHaveBeenCalled();
      state.present = [];
      await Promise.all([watch.check(), watch.check()]);
      expect(listTokens).toHaveBeenCalledTimes(3);
      expect(onChange).toHaveBeenCalledTimes(1);
    } finally {
      watch.stop();
    }
  });
});

describe('keys.tokens and tokens.changed', () => {
  it('lists the tokens with their keys (a GOST one marked, a PIN pad said), then announces a token plugged in; no module is touched before the window asks', async () => {
    // On a PIN-pad reader: the window is told, so it shows no PIN field.
    const personal = token('a'.repeat(32), { pinPad: true });
    const { state, access } = fakeModule([personal]);
    // The certificate as read from the token (public): kept for keys.revocation, as for a key file.
    const certificate = { fingerprint256: FINGERPRINT.match(/../g)!.join(':') } as unknown as X509Certificate;
    state.keys = [listedKey(personal, { certificate }), listedKey(personal, { algorithm: 'GOST', fingerprintSha256: 'CD'.repeat(32), ref: { ...listedKey(personal).ref, id: '02', certificate: 'CD'.repeat(32) } as ListedKey['ref'], problem: { code: 'GOST_NOT_SUPPORTED', message: 'GOST' } })];
    const listTokens = vi.spyOn(access, 'listTokens');
    const context = fakeContext({ tokens: access });
    const seen: AppEvent[] = [];
    context.events.subscribe((event) => seen.push(event));
    const dispatch = createDispatch(context, { log: { warn: () => {}, error: () => {} } });
    try {
      await context.tokens.check();
      expect(listTokens).not.toHaveBeenCalled();

      const listed = await dispatch('keys.tokens', {});
      expect(listed).toMatchObject({
        ok: true,
        value: {
          tokens: [
            {
              label: 'PERSONAL',
              pinLocked: false,
              pinPad: true,
              keys: [
                { ref: { kind: 'token', id: '01' }, storage: { kind: 'token', label: 'PERSONAL' }, purposes: ['AUTH'], status: 'valid' },
                { ref: { kind: 'token', id: '02' }, algorithm: 'GOST', problem: { code: 'GOST_NOT_SUPPORTED' } },
              ],
            },
          ],
          problems: [],
        },
      });
      expect(context.signing.listedCertificate(FINGERPRINT)?.certificate).toBe(certificate);
      await context.tokens.check();
      expect(seen).toEqual([]);
      state.present = [personal, token('b'.repeat(32), { slot: '02', label: 'ID CARD' })];
      await context.tokens.check();
      expect(seen).toEqual([{ name: 'tokens.changed', payload: {} }]);
    } finally {
      await context.tokens.stop();
    }
  });

  it('says TOKENS_UNAVAILABLE when the policy allows key files only', async () => {
    const { access } = fakeModule([token('a'.repeat(32))]);
    const context = fakeContext({ tokens: access, keySources: ['file'] });
    const dispatch = createDispatch(context, { log: { warn: () => {}, error: () => {} } });
    expect(await dispatch('keys.tokens', {})).toEqual({ ok: false, error: { code: 'TOKENS_UNAVAILABLE' } });
  });
});

describe('a session opened with a token key', () => {
  function authWith() {
    const ended: string[] = [];
    const logouts: string[] = [];
    const portal = standInPortal(logouts);
    const signing = standInSigning();
    return { auth: new AuthService(signing, portal, (reason) => ended.push(reason)), ended, logouts };
  }
  const tokenRef = { kind: 'token' as const, module: '/usr/lib/vendor-pkcs11.so', slot: '01', token: 'a'.repeat(32), id: '01', certificate: FINGERPRINT };

  it('ends (at the portal too) when its token is removed, not when another token comes or goes', async () => {
    const { auth, ended, logouts } = authWith();
    await auth.login(tokenRef, '123456');
    await auth.tokensPresent(new Set(['a'.repeat(32), 'b'.repeat(32)]));
    await auth.tokensPresent(new Set(['a'.repeat(32)]));
    expect(auth.currentIin).toBe('900101300015');
    await auth.tokensPresent(new Set(['b'.repeat(32)]));
    expect(auth.currentIin).toBeNull();
    expect(ended).toEqual(['token-removed']);
    expect(logouts).toEqual(['session-0']);
    await auth.tokensPresent(new Set());
    expect(ended).toEqual(['token-removed']);
  });

  it('a session opened with a key file does not end when tokens go', async () => {
    const { auth, ended } = authWith();
    await auth.login({ kind: 'file', path: '/keys/AUTH.p12', index: 0 }, 'pw');
    await auth.tokensPresent(new Set());
    expect(auth.currentIin).toBe('900101300015');
    expect(ended).toEqual([]);
  });
});
