import { X509Certificate } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { KeyEntry, OpenedKey, TokenKeyRef } from '../../signing/index.ts';
import { SigningError } from '../../signing/index.ts';
import { SigningService, toKeyDetails, type KeyBackend } from '../../main/signing-service.ts';
import { FINGERPRINT, fakeTokens, keyEntry } from './helpers/fake-keys.ts';

const entry = keyEntry;

function backend(overrides: Partial<KeyBackend> = {}): KeyBackend {
  return {
    listKeys: async () => [entry],
    openKeyStore: async () => [],
    fileSigner: () => ({ certificate: () => ({}) as X509Certificate, sign: async () => Buffer.alloc(0) }),
    signXml: async (xml) => `${xml}<signed/>`,
    validityStatus: () => 'valid',
    ...overrides,
  };
}

const opened = (purposes: ('AUTH' | 'SIGN')[]) =>
  ({ file: entry.file, index: 0, info: { ...entry, purposes }, certificate: {} as X509Certificate, extraCertificates: [], privateKey: {} }) as unknown as OpenedKey;

describe('signing service', () => {
  it('returns only the contract fields of a key entry', () => {
    const leaky = { ...entry, privateKey: 'secret', password: 'Qwerty12' } as unknown as KeyEntry;
    const details = toKeyDetails(leaky);
    const { file, index, ...certificate } = entry;
    expect(details).toEqual({
      ...certificate,
      ref: { kind: 'file', path: file, index, certificate: FINGERPRINT },
      storage: { kind: 'file', path: file },
    });
    expect(details).not.toHaveProperty('privateKey');
  });

  it('lists keys at the service clock', async () => {
    const listKeys = vi.fn(async () => [entry]);
    const at = new Date('2026-03-01T00:00:00Z');
    await new SigningService(backend({ listKeys }), () => at).listKeys('/keys', 'pw');
    expect(listKeys).toHaveBeenCalledWith('/keys', 'pw', at, expect.any(Function));
  });

  it('keeps the public certificates of the keys it listed (for the revocation check), by fingerprint', async () => {
    const certificate = { fingerprint256: FINGERPRINT } as unknown as X509Certificate;
    const service = new SigningService(
      backend({
        listKeys: async (_path, _pw, _at, onOpened) => {
          onOpened?.({ ...opened(['AUTH']), certificate, extraCertificates: [] });
          return [entry];
        },
      }),
    );
    expect(service.listedCertificate(FINGERPRINT)).toBeUndefined();
    await service.listKeys('/keys', 'pw');
    expect(service.listedCertificate(FINGERPRINT)).toEqual({ certificate, extraCertificates: [] });
  });

  it('signs with a key of the right purpose and checks validity first', async () => {
    const service = new SigningService(backend({ openKeyStore: async () => [opened(['AUTH'])] }));
    const signed = await service.withKey({ kind: 'file', path: entry.file, index: 0 }, 'pw', { purpose: 'AUTH' }, (sign) => sign('<login/>'));
    expect(signed).toBe('<login/><signed/>');

    const sign = vi.fn();
    await expect(service.withKey({ kind: 'file', path: entry.file, index: 0 }, 'pw', { purpose: 'SIGN' }, sign)).rejects.toMatchObject({ code: 'WRONG_PURPOSE' });
    const expired = new SigningService(backend({ openKeyStore: async () => [opened(['AUTH'])], validityStatus: () => 'expired' }));
    await expect(expired.withKey({ kind: 'file', path: entry.file, index: 0 }, 'pw', { purpose: 'AUTH' }, sign)).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    const early = new SigningService(backend({ openKeyStore: async () => [opened(['AUTH'])], validityStatus: () => 'not_yet_valid' }));
    await expect(early.withKey({ kind: 'file', path: entry.file, index: 0 }, 'pw', { purpose: 'AUTH' }, sign)).rejects.toMatchObject({ code: 'CERT_NOT_YET_VALID' });
    await expect(service.withKey({ kind: 'file', path: entry.file, index: 1 }, 'pw', { purpose: 'AUTH' }, sign)).rejects.toMatchObject({ code: 'KEY_INDEX_OUT_OF_RANGE' });
    expect(sign).not.toHaveBeenCalled();
  });

  it('drops the opened keys when the operation ends, even on failure', async () => {
    const keys = [opened(['AUTH'])];
    const service = new SigningService(backend({ openKeyStore: async () => keys }));
    await expect(
      service.withKey({ kind: 'file', path: entry.file, index: 0 }, 'pw', { purpose: 'AUTH' }, async () => {
        throw new Error('portal down');
      }),
    ).rejects.toThrow('portal down');
    expect(keys).toHaveLength(0);
  });

  it('refuses a key file that holds another certificate than the one chosen (KEY_NOT_FOUND), before signing', async () => {
    const service = new SigningService(backend({ openKeyStore: async () => [opened(['AUTH'])] }));
    const sign = vi.fn();
    const ref = { kind: 'file' as const, path: entry.file, index: 0 };
    await expect(service.withKey({ ...ref, certificate: 'CD'.repeat(32) }, 'pw', { purpose: 'AUTH' }, sign)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(sign).not.toHaveBeenCalled();
    await expect(service.withKey({ ...ref, certificate: FINGERPRINT }, 'pw', { purpose: 'AUTH' }, async () => 'ok')).resolves.toBe('ok');
  });
  it("opens the path the policy's fence gives for every file key (list, login, signatures), and nothing it refuses", async () => {
    const refusal = new Error('refused');
    const fence = vi.fn(async (p: string) => {
      if (p.startsWith('/home/')) throw refusal;
      return `/media/u/STICK/${p.split('/').pop()}`;
    });
    const listKeys = vi.fn(async () => [entry]);
    const openKeyStore = vi.fn(async () => [opened(['SIGN'])]);
    const service = new SigningService(backend({ listKeys, openKeyStore }), undefined, null, true, fence);
    await service.listKeys('/media/u/LINK/keys', 'pw');
    expect(listKeys).toHaveBeenCalledWith('/media/u/STICK/keys', 'pw', expect.any(Date), expect.any(Function));
    await service.withKey({ kind: 'file', path: '/media/u/LINK/k.p12', index: 0 }, 'pw', { purpose: 'SIGN' }, async (sign) => sign('<a/>'));
    expect(openKeyStore).toHaveBeenCalledWith('/media/u/STICK/k.p12', 'pw');
    await expect(service.listKeys('/home/u/keys', 'pw')).rejects.toBe(refusal);
    await expect(service.withSigner({ kind: 'file', path: '/home/u/k.p12', index: 0 }, 'pw', {}, vi.fn())).rejects.toBe(refusal);
    expect(listKeys).toHaveBeenCalledTimes(1);
    expect(openKeyStore).toHaveBeenCalledTimes(1);
  });
});

describe('signing service: token keys', () => {
  const tokenRef: TokenKeyRef = {
    kind: 'token',
    module: '/usr/lib/vendor-pkcs11.so',
    slot: '01',
    token: 'ab'.repeat(16),
    id: '02',
    certificate: FINGERPRINT,
  };

  it('routes a token reference to the token source with the PIN, signs with the token key and closes its session', async () => {
    const { access, state: seen } = fakeTokens();
    const openKeyStore = vi.fn(async () => [opened(['AUTH'])]);
    const signXml = vi.fn(async (xml: string, signer: { sign: (d: Buffer) => Promise<Buffer> }) => `${xml}${(await signer.sign(Buffer.from(xml))).toString()}`);
    const service = new SigningService(backend({ openKeyStore, signXml }), undefined, access);
    const signed = await service.withKey(tokenRef, '123456', { purpose: 'AUTH' }, (sign) => sign('<login/>'));
    expect(signed).toBe('<login/>signature');
    expect(openKeyStore).not.toHaveBeenCalled();
    expect(seen.pins).toEqual(['123456']);
    expect(seen.closed).toBe(1);
  });

  it('checks the purpose and validity of a token key as of a file key, and closes the session whatever happens', async () => {
    const { access, state: seen } = fakeTokens({ purposes: ['SIGN'] });
    const use = vi.fn();
    await expect(new SigningService(backend(), undefined, access).withKey(tokenRef, '1', { purpose: 'AUTH' }, use)).rejects.toMatchObject({ code: 'WRONG_PURPOSE' });
    const expired = new SigningService(backend({ validityStatus: () => 'expired' }), undefined, access);
    await expect(expired.withKey(tokenRef, '1', { purpose: 'SIGN' }, use)).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    expect(use).not.toHaveBeenCalled();
    await expect(
      new SigningService(backend(), undefined, access).withKey(tokenRef, '1', { purpose: 'SIGN' }, async () => {
        throw new Error('portal down');
      }),
    ).rejects.toThrow('portal down');
    expect(seen.closed).toBe(3);
  });

  it('passes the token errors through (a wrong PIN with its tries) and says TOKENS_UNAVAILABLE without tokens', async () => {
    const wrong = new SigningError('PIN_INCORRECT', 'The PIN is incorrect.', { pinTries: 'final' });
    const { access } = fakeTokens({ openError: wrong });
    await expect(new SigningService(backend(), undefined, access).withKey(tokenRef, '0000', { purpose: 'AUTH' }, vi.fn())).rejects.toBe(wrong);
    await expect(new SigningService(backend()).withKey(tokenRef, '0000', { purpose: 'AUTH' }, vi.fn())).rejects.toMatchObject({
      code: 'TOKENS_UNAVAILABLE',
    });
  });
});
