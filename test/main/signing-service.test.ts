import { X509Certificate } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { KeyEntry, OpenedKey } from '../../signing/index.ts';
import { SigningService, toKeyDetails, type KeyBackend } from '../../main/signing-service.ts';

const entry: KeyEntry = {
  file: '/keys/AUTH_RSA256.p12',
  index: 0,
  commonName: 'ТЕСТОВ ТЕСТ',
  iin: '900101300015',
  role: 'individual',
  purposes: ['AUTH'],
  serialNumber: '0A1B',
  issuer: 'CA',
  subject: 'CN=ТЕСТОВ ТЕСТ',
  notBefore: '2025-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  algorithm: 'RSA',
  keySize: 2048,
  fingerprintSha256: 'AB',
  status: 'valid',
};

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
    expect(details).toEqual(entry);
    expect(details).not.toHaveProperty('privateKey');
  });

  it('lists keys at the service clock', async () => {
    const listKeys = vi.fn(async () => [entry]);
    const at = new Date('2026-03-01T00:00:00Z');
    await new SigningService(backend({ listKeys }), () => at).listKeys('/keys', 'pw');
    expect(listKeys).toHaveBeenCalledWith('/keys', 'pw', at, expect.any(Function));
  });

  it('keeps the public certificates of the keys it listed (for the revocation check), by fingerprint', async () => {
    const certificate = { fingerprint256: 'AB' } as unknown as X509Certificate;
    const service = new SigningService(
      backend({
        listKeys: async (_path, _pw, _at, onOpened) => {
          onOpened?.({ ...opened(['AUTH']), certificate, extraCertificates: [] });
          return [entry];
        },
      }),
    );
    expect(service.listedCertificate('AB')).toBeUndefined();
    await service.listKeys('/keys', 'pw');
    expect(service.listedCertificate('AB')).toEqual({ certificate, extraCertificates: [] });
  });

  it('signs with a key of the right purpose and checks validity first', async () => {
    const service = new SigningService(backend({ openKeyStore: async () => [opened(['AUTH'])] }));
    const signed = await service.withKey(entry.file, 0, 'pw', { purpose: 'AUTH' }, (sign) => sign('<login/>'));
    expect(signed).toBe('<login/><signed/>');

    const sign = vi.fn();
    await expect(service.withKey(entry.file, 0, 'pw', { purpose: 'SIGN' }, sign)).rejects.toMatchObject({ code: 'WRONG_PURPOSE' });
    const expired = new SigningService(backend({ openKeyStore: async () => [opened(['AUTH'])], validityStatus: () => 'expired' }));
    await expect(expired.withKey(entry.file, 0, 'pw', { purpose: 'AUTH' }, sign)).rejects.toMatchObject({ code: 'CERT_EXPIRED' });
    const early = new SigningService(backend({ openKeyStore: async () => [opened(['AUTH'])], validityStatus: () => 'not_yet_valid' }));
    await expect(early.withKey(entry.file, 0, 'pw', { purpose: 'AUTH' }, sign)).rejects.toMatchObject({ code: 'CERT_NOT_YET_VALID' });
    await expect(service.withKey(entry.file, 1, 'pw', { purpose: 'AUTH' }, sign)).rejects.toMatchObject({ code: 'KEY_INDEX_OUT_OF_RANGE' });
    expect(sign).not.toHaveBeenCalled();
  });

  it('drops the opened keys when the operation ends, even on failure', async () => {
    const keys = [opened(['AUTH'])];
    const service = new SigningService(backend({ openKeyStore: async () => keys }));
    await expect(
      service.withKey(entry.file, 0, 'pw', { purpose: 'AUTH' }, async () => {
        throw new Error('portal down');
      }),
    ).rejects.toThrow('portal down');
    expect(keys).toHaveLength(0);
  });
});
