/**
 * Wrong password or damaged file: a damaged container opened with the right password must say
 * KEYSTORE_DAMAGED, never WRONG_PASSWORD (the reasoning is at the top of signing/keystore/pkcs12.ts:
 * the MAC fails either way, the encrypted bags tell the two apart). Seeded corruptions, so every
 * run checks the same few hundred files.
 */
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { SigningError } from '../../../signing/errors.ts';
import { openKeyStoreBytes } from '../../../signing/keystore/pkcs12.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';

let nca: Buffer;
let password: string;

beforeAll(async () => {
  const pki = await getDemoPki();
  nca = readFileSync(pki.keyPath({ purpose: 'SIGN' }));
  password = pki.password;
});

function outcome(bytes: Buffer, withPassword = password): string {
  try {
    openKeyStoreBytes(bytes, withPassword, 'damaged.p12');
    return 'ok';
  } catch (e) {
    if (e instanceof SigningError) return e.code;
    throw e;
  }
}

/** mulberry32: a small seeded generator, so the corruptions are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` copies, each with a burst of 1..maxBurst bytes changed (every byte really changes). */
function corruptions(original: Buffer, count: number, maxBurst: number, seed: number): Buffer[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const copy = Buffer.from(original);
    const burst = 1 + Math.floor(next() * maxBurst);
    const at = Math.floor(next() * (copy.length - burst));
    for (let i = at; i < at + burst; i++) copy[i] = (copy[i] as number) ^ (1 + Math.floor(next() * 255));
    return copy;
  });
}

function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

describe('a damaged key store', () => {
  it('opened with the right password never says WRONG_PASSWORD (300 single-byte corruptions)', () => {
    const outcomes = corruptions(nca, 300, 1, 11).map((bytes) => outcome(bytes));
    const counts = tally(outcomes);
    expect(counts.WRONG_PASSWORD, JSON.stringify(counts)).toBeUndefined();
    expect(counts.KEYSTORE_DAMAGED ?? 0, JSON.stringify(counts)).toBeGreaterThan(250);
  });

  it('nor after bursts of up to 8 bytes (200 corruptions)', () => {
    const counts = tally(corruptions(nca, 200, 8, 23).map((bytes) => outcome(bytes)));
    expect(counts.WRONG_PASSWORD, JSON.stringify(counts)).toBeUndefined();
  });

  it('with the wrong password says WRONG_PASSWORD unless the damage is in the structure itself', () => {
    expect(outcome(nca, 'not-the-password')).toBe('WRONG_PASSWORD');
    const counts = tally(corruptions(nca, 100, 1, 37).map((bytes) => outcome(bytes, 'not-the-password')));
    expect(counts.ok, JSON.stringify(counts)).toBeUndefined();
    expect(counts.WRONG_PASSWORD ?? 0, JSON.stringify(counts)).toBeGreaterThan(80);
  });

  it('a damaged MAC alone: the password opens every bag, so the file is damaged', () => {
    // MacData ::= SEQUENCE { mac DigestInfo ::= SEQUENCE { algorithm, digest OCTET STRING }, salt, iterations }
    const pfx = forge.asn1.fromDer(nca.toString('binary'));
    const [digestInfo] = (pfx.value as forge.asn1.Asn1[])[2]?.value as forge.asn1.Asn1[];
    const digest = Buffer.from((digestInfo?.value as forge.asn1.Asn1[])[1]?.value as string, 'binary');
    expect(nca.lastIndexOf(digest)).toBeGreaterThan(0);
    const at = nca.lastIndexOf(digest) + 5;
    const copy = Buffer.from(nca);
    copy[at] = (copy[at] as number) ^ 0xff;
    expect(outcome(copy)).toBe('KEYSTORE_DAMAGED');
    expect(outcome(copy, 'not-the-password')).toBe('WRONG_PASSWORD');
  });

  it('a file that is not a PKCS#12 at all stays NOT_PKCS12', () => {
    expect(outcome(Buffer.from('%PDF-1.7 not a key'))).toBe('NOT_PKCS12');
    expect(outcome(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x02]))).toBe('NOT_PKCS12');
  });
});
