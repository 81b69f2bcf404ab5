/**
 * Fake keys for main's tests: a key file's entry, a token and its listed keys, and a fake
 * TokenAccess (the tokens main sees) whose slots a test fills and empties and whose open() a test
 * may replace. Shared by token-service.test.ts and signing-service.test.ts.
 */
import type { X509Certificate } from 'node:crypto';
import type { KeyEntry, KeyHandle, ListedKey, SecretRequest, SigningError, TokenInfo } from '../../../signing/index.ts';
import type { TokenAccess } from '../../../main/token-access.ts';

export const FINGERPRINT = 'AB'.repeat(32);

/** A valid AUTH key of an individual, as a key file listing gives it. */
export const keyEntry: KeyEntry = {
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
  fingerprintSha256: FINGERPRINT,
  status: 'valid',
};

export const tokenInfo = (fingerprint: string, over: Partial<TokenInfo> = {}): TokenInfo => ({
  module: '/usr/lib/vendor-pkcs11.so',
  slot: '01',
  fingerprint,
  label: 'PERSONAL',
  manufacturer: 'Vendor',
  model: 'Token',
  serial: '0001',
  pinLocked: false,
  ...over,
});

/** The key entry's certificate as listed on the token `info` (CKA_ID 01). */
export const listedTokenKey = (info: TokenInfo, over: Partial<ListedKey> = {}): ListedKey => {
  const { file: _file, index: _index, ...certificate } = keyEntry;
  return {
    ...certificate,
    ref: { kind: 'token', module: info.module, slot: info.slot, token: info.fingerprint, id: '01', certificate: FINGERPRINT },
    storage: { kind: 'token', label: info.label, manufacturer: info.manufacturer, model: info.model, serial: info.serial },
    ...over,
  };
};

export interface FakeTokensOptions {
  present?: TokenInfo[];
  /** The purposes of the key open() gives (default AUTH). */
  purposes?: ('AUTH' | 'SIGN')[];
  /** open() fails with this once it has the PIN. */
  openError?: SigningError;
}

/**
 * Tokens the test fills (`state.present`, `state.keys`); open() asks the PIN for the token
 * "PERSONAL", records it (as the Buffer it was lent) and gives a key whose signature is "signature".
 */
export function fakeTokens(options: FakeTokensOptions = {}) {
  const state = {
    present: options.present ?? [],
    keys: [] as ListedKey[],
    rescans: 0,
    opened: 0,
    closed: 0,
    pins: [] as string[],
    lent: [] as Buffer[],
    requests: [] as SecretRequest[],
  };
  const access: TokenAccess = {
    listTokens: async () => ({ tokens: [...state.present], problems: [] }),
    listKeys: async () => ({
      keys: state.keys.filter((k) => state.present.some((t) => k.ref.kind === 'token' && t.fingerprint === k.ref.token)),
      problems: [],
    }),
    async open(ref, askSecret) {
      state.opened++;
      const request: SecretRequest = { kind: 'pin', token: 'PERSONAL' };
      state.requests.push(request);
      const pin = await askSecret(request);
      state.pins.push(pin.toString('utf8'));
      state.lent.push(pin);
      if (options.openError) throw options.openError;
      const handle: KeyHandle = {
        ref,
        info: { ...keyEntry, purposes: options.purposes ?? ['AUTH'] },
        extraCertificates: [],
        certificate: () => ({}) as X509Certificate,
        sign: async () => Buffer.from('signature'),
        close: async () => {
          state.closed++;
        },
      };
      return handle;
    },
    rescan: async () => {
      state.rescans++;
    },
    close: async () => undefined,
  };
  return { state, access };
}
