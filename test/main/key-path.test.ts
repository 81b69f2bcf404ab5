/**
 * Key paths: only local absolute paths are opened, listed or offered to the file dialog. A
 * Windows network path would hand the user's NTLM credentials to another host.
 */
import { describe, expect, it, vi } from 'vitest';
import { createDispatch } from '../../main/dispatch.ts';
import { keyPathProblem } from '../../main/key-path.ts';
import type { KeyBackend } from '../../main/signing-service.ts';
import { fakeContext } from './helpers/fake-context.ts';

describe('keyPathProblem', () => {
  it.each([
    ['C:\\Users\\u\\Keys\\AUTH_RSA256.p12', null],
    ['c:/Users/u/Keys', null],
    ['D:\\', null],
    ['\\\\host\\share\\key.p12', 'network'],
    ['//host/share/key.p12', 'network'],
    ['\\/host\\share', 'network'],
    ['/\\host\\share', 'network'],
    ['\\\\?\\C:\\Keys\\key.p12', 'network'],
    ['\\\\?\\UNC\\host\\share\\key.p12', 'network'],
    ['\\\\.\\pipe\\x', 'network'],
    ['\\??\\UNC\\host\\share', 'relative'],
    ['\\Keys\\key.p12', 'relative'],
    ['C:key.p12', 'relative'],
    ['Keys\\key.p12', 'relative'],
    ['/home/u/keys', 'relative'],
  ])('Windows: %s → %s', (p, problem) => {
    expect(keyPathProblem(p, 'win32')).toBe(problem);
  });

  it.each([
    ['/home/u/Keys/AUTH_RSA256.p12', null],
    ['//host/share/key.p12', 'network'],
    ['\\\\host\\share\\key.p12', 'network'],
    ['keys/key.p12', 'relative'],
    ['C:\\Keys\\key.p12', 'relative'],
  ])('Linux, macOS: %s → %s', (p, problem) => {
    expect(keyPathProblem(p, 'linux')).toBe(problem);
    expect(keyPathProblem(p, 'darwin')).toBe(problem);
  });
});

describe('key paths at the calls', () => {
  const refused = (reason: string) => ({ ok: false, error: { code: 'KEY_PATH_REFUSED', details: { reason } } });
  const spyBackend = (): KeyBackend => ({
    listKeys: vi.fn(async () => []),
    openKeyStore: vi.fn(async () => []),
    fileSigner: vi.fn(),
    signXml: vi.fn(),
    validityStatus: vi.fn(() => 'valid' as const),
  });

  it('refuses network, device and relative key paths before touching the file', async () => {
    const backend = spyBackend();
    const dispatch = createDispatch(fakeContext({ backend }), { log: { warn: () => {}, error: () => {} } });
    expect(await dispatch('keys.list', { path: '\\\\host\\share\\AUTH_RSA256.p12', password: '' })).toEqual(refused('network'));
    expect(await dispatch('keys.list', { path: '//host/share', password: '' })).toEqual(refused('network'));
    expect(await dispatch('keys.list', { path: 'keys', password: '' })).toEqual(refused('relative'));
    expect(await dispatch('auth.login', { ref: { kind: 'file', path: '\\\\?\\C:\\k.p12', index: 0 }, secret: 'x' })).toEqual(refused('network'));
    expect(backend.listKeys).not.toHaveBeenCalled();
    expect(backend.openKeyStore).not.toHaveBeenCalled();
  });

  it('never opens the file dialog in a network folder (a policy may name one)', async () => {
    const startedIn: (string | null)[] = [];
    const locked = fakeContext({ locked: { lastKeyPath: '//host/share/Keys' } });
    const electron = createDispatch({ ...locked, mode: 'electron', pickKeyFile: async (startIn) => (startedIn.push(startIn), null) });
    expect(await electron('keys.pickFile', {})).toEqual({ ok: true, value: null });
    expect(startedIn).toEqual([null]);
  });
});
