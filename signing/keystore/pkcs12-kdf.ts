/**
 * The PKCS#12 key derivation function (RFC 7292 appendix B.2) on node:crypto hashes.
 * node-forge has one too, but in JavaScript it costs ~35 ms per derivation and an NCA container
 * needs five; node's one-shot hash makes this several times faster.
 */
import { createHash, hash as digest } from 'node:crypto';

export type Pkcs12KdfPurpose = 1 | 2 | 3; // 1 key, 2 IV, 3 MAC key

const BLOCK_BYTES: Record<string, number> = { sha1: 64, sha256: 64, sha384: 128, sha512: 128 };

/** The password as a BMPString with its two-byte terminator (UTF-16BE, as OpenSSL does). */
function bmpPassword(password: string): Buffer {
  const utf16le = Buffer.from(`${password}\0`, 'utf16le');
  return Buffer.from(utf16le.swap16());
}

function repeatToBlocks(data: Buffer, v: number): Buffer {
  if (data.length === 0) return Buffer.alloc(0);
  const length = v * Math.ceil(data.length / v);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = data[i % data.length] ?? 0;
  return out;
}

export function pkcs12Kdf(
  password: string,
  salt: Buffer,
  purpose: Pkcs12KdfPurpose,
  iterations: number,
  length: number,
  hash: 'sha1' | 'sha256' | 'sha384' | 'sha512' = 'sha1',
): Buffer {
  const v = BLOCK_BYTES[hash] ?? 64;
  const d = Buffer.alloc(v, purpose);
  const i = Buffer.concat([repeatToBlocks(salt, v), repeatToBlocks(bmpPassword(password), v)]);
  const out: Buffer[] = [];
  let produced = 0;
  while (produced < length) {
    let a = createHash(hash).update(d).update(i).digest();
    for (let r = 1; r < iterations; r++) a = digest(hash, a, 'buffer');
    out.push(a);
    produced += a.length;
    if (produced >= length) break;
    // I_j = (I_j + B + 1) mod 2^(8v), B being A repeated to v bytes.
    const b = repeatToBlocks(a, v);
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (i[j + k] ?? 0) + (b[k] ?? 0) + carry;
        i[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}
