/**
 * Opening a key store leaves no secret behind in a Buffer: node:crypto and the file read are
 * watched (a recording wrapper around the real functions), every Buffer they were given or gave
 * back that holds a secret is collected, and after openKeyStore returns each must be all zeros:
 * the file's bytes, the password's encodings, derived keys and IVs, decrypted parts, the
 * decrypted private key handed to createPrivateKey. Both container flavours: NCA (SHA-1 MAC,
 * 3DES) and OpenSSL 3 (PBES2/AES, HMAC-SHA256 MAC).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDemoPki, type DemoPki } from '../../helpers/demo-pki.ts';

type Kind = 'file' | 'password' | 'derived key' | 'decrypted' | 'private key';

const seen = vi.hoisted(() => ({
  secrets: [] as { kind: string; buffer: Buffer }[],
  password: '',
}));

function record(kind: Kind, value: unknown): void {
  if (Buffer.isBuffer(value) && value.length > 0) seen.secrets.push({ kind, buffer: value });
}

/** Holds the password's BMPString or UTF-8 bytes somewhere. */
function holdsPassword(b: Buffer): boolean {
  const bmp = Buffer.from(seen.password, 'utf16le').swap16();
  return b.includes(bmp) || b.includes(Buffer.from(seen.password, 'utf8'));
}

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    createDecipheriv: (...args: Parameters<typeof real.createDecipheriv>) => {
      record('derived key', args[1]);
      record('derived key', args[2]);
      const decipher = real.createDecipheriv(...args);
      const update = decipher.update.bind(decipher) as (data: Buffer) => Buffer;
      const final = decipher.final.bind(decipher) as () => Buffer;
      return Object.assign(decipher, {
        update: (data: Buffer) => {
          const out = update(data);
          record('decrypted', out);
          return out;
        },
        final: () => {
          const out = final();
          record('decrypted', out);
          return out;
        },
      });
    },
    createHmac: (algorithm: string, key: Buffer) => {
      record('derived key', key);
      return real.createHmac(algorithm, key);
    },
    pbkdf2Sync: (...args: Parameters<typeof real.pbkdf2Sync>) => {
      record('password', args[0]);
      const key = real.pbkdf2Sync(...args);
      record('derived key', key);
      return key;
    },
    // The PKCS#12 KDF: its input holds the password; what its rounds give back is derived key.
    createHash: (algorithm: string) => {
      const hash = real.createHash(algorithm);
      let kdf = false;
      const update = hash.update.bind(hash) as (data: Buffer) => unknown;
      const digest = hash.digest.bind(hash) as (encoding?: 'hex') => Buffer | string;
      return Object.assign(hash, {
        update(data: Buffer) {
          if (Buffer.isBuffer(data) && holdsPassword(data)) {
            kdf = true;
            record('password', data);
          }
          update(data);
          return hash;
        },
        digest(encoding?: 'hex') {
          const out = digest(encoding);
          if (kdf) record('derived key', out);
          return out;
        },
      });
    },
    hash: (...args: Parameters<typeof real.hash>) => {
      const out = real.hash(...args);
      record('derived key', out);
      return out;
    },
    createPrivateKey: (input: { key: Buffer }) => {
      record('private key', input.key);
      return real.createPrivateKey(input as never);
    },
  };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      const read = handle.read.bind(handle) as (buffer: Buffer, ...rest: number[]) => Promise<unknown>;
      return Object.assign(handle, {
        read: (buffer: Buffer, ...rest: number[]) => {
          record('file', buffer);
          return read(buffer, ...rest);
        },
      });
    },
  };
});

const { openKeyStore } = await import('../../../signing/keystore/pkcs12.ts');

let pki: DemoPki;
let work: string;
beforeAll(async () => {
  pki = await getDemoPki();
  work = mkdtempSync(join(tmpdir(), 'joldama-wipe-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeEach(() => {
  seen.secrets.length = 0;
  seen.password = pki.password;
});

/** The demo key again, as OpenSSL 3 writes containers: PBES2/AES-256-CBC, HMAC-SHA256 MAC. */
function pbes2Copy(path: string): string {
  const pem = execFileSync('openssl', ['pkcs12', '-legacy', '-nodes', '-passin', `pass:${pki.password}`, '-in', path]);
  const pemFile = join(work, 'key.pem');
  writeFileSync(pemFile, pem, { mode: 0o600 });
  const out = join(work, 'pbes2.p12');
  execFileSync('openssl', ['pkcs12', '-export', '-in', pemFile, '-passout', `pass:${pki.password}`, '-out', out]);
  rmSync(pemFile);
  return out;
}

function expectAllWiped(kinds: Kind[]): void {
  for (const kind of kinds) expect(seen.secrets.some((s) => s.kind === kind), `some ${kind} was seen`).toBe(true);
  const left = seen.secrets.filter((s) => s.buffer.some((byte) => byte !== 0)).map((s) => `${s.kind} (${s.buffer.length} bytes)`);
  expect(left).toEqual([]);
}

describe('secrets are wiped after a key store is opened', () => {
  it('NCA container (SHA-1 MAC, 3DES key bag)', async () => {
    const keys = await openKeyStore(pki.keyPath({ purpose: 'AUTH', status: 'valid' }), pki.password);
    expect(keys[0]?.privateKey.type).toBe('private');
    expectAllWiped(['file', 'password', 'derived key', 'decrypted', 'private key']);
  });

  it('OpenSSL 3 container (PBES2/AES, HMAC-SHA256 MAC)', async () => {
    const file = pbes2Copy(pki.keyPath({ purpose: 'AUTH', status: 'valid' }));
    seen.secrets.length = 0;
    const keys = await openKeyStore(file, pki.password);
    expect(keys[0]?.privateKey.type).toBe('private');
    expectAllWiped(['file', 'password', 'derived key', 'decrypted', 'private key']);
  });

  it('a wrong password too', async () => {
    await expect(openKeyStore(pki.keyPath({ purpose: 'AUTH', status: 'valid' }), 'wrong')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    seen.password = 'wrong';
    expectAllWiped(['file', 'derived key']);
  });
});
