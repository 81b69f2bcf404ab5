/**
 * The PKCS#12 key derivation function (RFC 7292 appendix B.2) on node:crypto hashes.
 * node-forge has one too, but in JavaScript it costs ~35 ms per derivation and an NCA container
 * needs five; with SHA-1 (NCA) the iterations run in a tight allocation-free loop below.
 */
import { createHash, hash as digest } from 'node:crypto';

export type Pkcs12KdfPurpose = 1 | 2 | 3; // 1 key, 2 IV, 3 MAC key

const BLOCK_BYTES: Record<string, number> = { sha1: 64, sha256: 64, sha384: 128, sha512: 128 };

/** The password as a BMPString with its two-byte terminator (UTF-16BE, as OpenSSL does). */
function bmpPassword(password: string): Buffer {
  const utf16le = Buffer.from(`${password}\0`, 'utf16le');
  return Buffer.from(utf16le.swap16());
}

/**
 * SHA-1 applied `times` times to a 20-byte value: the inner loop of the KDF with SHA-1, which is
 * what NCA containers use. One compression per round, no allocation: several times faster than
 * a native call per round, whose fixed cost dominates for 20-byte inputs.
 */
function iterateSha1(value: Buffer, times: number): Buffer {
  const w = new Int32Array(80);
  let h0 = value.readInt32BE(0);
  let h1 = value.readInt32BE(4);
  let h2 = value.readInt32BE(8);
  let h3 = value.readInt32BE(12);
  let h4 = value.readInt32BE(16);
  for (let round = 0; round < times; round++) {
    w[0] = h0;
    w[1] = h1;
    w[2] = h2;
    w[3] = h3;
    w[4] = h4;
    w[5] = 0x80000000 | 0; // padding bit right after the 20-byte message
    for (let t = 6; t < 15; t++) w[t] = 0;
    w[15] = 160; // message length in bits
    for (let t = 16; t < 80; t++) {
      const x = (w[t - 3] ?? 0) ^ (w[t - 8] ?? 0) ^ (w[t - 14] ?? 0) ^ (w[t - 16] ?? 0);
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = 0x67452301 | 0;
    let b = 0xefcdab89 | 0;
    let c = 0x98badcfe | 0;
    let d = 0x10325476 | 0;
    let e = 0xc3d2e1f0 | 0;
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + (w[t] ?? 0)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    h0 = (0x67452301 + a) | 0;
    h1 = (0xefcdab89 + b) | 0;
    h2 = (0x98badcfe + c) | 0;
    h3 = (0x10325476 + d) | 0;
    h4 = (0xc3d2e1f0 + e) | 0;
  }
  w.fill(0);
  const out = Buffer.alloc(20);
  out.writeInt32BE(h0, 0);
  out.writeInt32BE(h1, 4);
  out.writeInt32BE(h2, 8);
  out.writeInt32BE(h3, 12);
  out.writeInt32BE(h4, 16);
  return out;
}

function repeatToBlocks(data: Buffer, v: number): Buffer {
  if (data.length === 0) return Buffer.alloc(0);
  const length = v * Math.ceil(data.length / v);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = data[i % data.length] ?? 0;
  return out;
}

/**
 * The derived bytes, in a Buffer of exactly `length` the caller wipes (fill(0)) after use; every
 * intermediate Buffer holding the password or derived bytes is wiped here before returning.
 */
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
  const secrets: Buffer[] = [];
  const keep = (b: Buffer): Buffer => (secrets.push(b), b);
  try {
    const i = keep(Buffer.concat([repeatToBlocks(salt, v), keep(repeatToBlocks(keep(bmpPassword(password)), v))]));
    const result = Buffer.alloc(length);
    let produced = 0;
    while (produced < length) {
      let a: Buffer = keep(createHash(hash).update(d).update(i).digest());
      if (hash === 'sha1') a = keep(iterateSha1(a, iterations - 1));
      else {
        for (let r = 1; r < iterations; r++) {
          const next = digest(hash, a, 'buffer');
          a.fill(0);
          a = next;
        }
        keep(a);
      }
      produced += a.copy(result, produced);
      if (produced >= length) break;
      // I_j = (I_j + B + 1) mod 2^(8v), B being A repeated to v bytes.
      const b = keep(repeatToBlocks(a, v));
      for (let j = 0; j < i.length; j += v) {
        let carry = 1;
        for (let k = v - 1; k >= 0; k--) {
          const sum = (i[j + k] ?? 0) + (b[k] ?? 0) + carry;
          i[j + k] = sum & 0xff;
          carry = sum >> 8;
        }
      }
    }
    return result;
  } finally {
    for (const secret of secrets) secret.fill(0);
  }
}
