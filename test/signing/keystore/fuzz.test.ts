/**
 * Whatever the bytes, the PKCS#12 reader returns keys or throws a SigningError: never another
 * exception, never a hang. Bounded runs keep this fast.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { SigningError } from '../../../signing/errors.ts';
import { openKeyStoreBytes } from '../../../signing/keystore/pkcs12.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';

const PASSWORD = 'Qwerty12';

/** Outcome of opening: 'ok', or the SigningError code. Any other exception fails the property. */
function outcome(bytes: Uint8Array): string {
  try {
    openKeyStoreBytes(Buffer.from(bytes), PASSWORD, 'fuzz.p12');
    return 'ok';
  } catch (e) {
    if (e instanceof SigningError) return e.code;
    throw e;
  }
}

/** The same container without its MAC, so mutations reach decryption and bag parsing. */
function withoutMac(p12: Buffer): Buffer {
  const pfx = forge.asn1.fromDer(p12.toString('binary'));
  if (!Array.isArray(pfx.value)) throw new Error('unexpected PFX');
  pfx.value = pfx.value.slice(0, 2);
  return Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary');
}

const mutation = (length: number): fc.Arbitrary<Array<{ at: number; value: number }>> =>
  fc.array(fc.record({ at: fc.nat({ max: length - 1 }), value: fc.integer({ min: 0, max: 255 }) }), {
    minLength: 1,
    maxLength: 8,
  });

function mutate(original: Buffer, changes: Array<{ at: number; value: number }>, cut?: number): Buffer {
  const copy = Buffer.from(original);
  for (const { at, value } of changes) copy[at] = value;
  return cut === undefined ? copy : copy.subarray(0, cut);
}

describe('PKCS#12 reader under fuzzing', () => {
  let nca: Buffer;
  let ncaNoMac: Buffer;
  beforeAll(async () => {
    const pki = await getDemoPki();
    nca = readFileSync(pki.keyPath({ purpose: 'SIGN' }));
    ncaNoMac = withoutMac(nca);
  });

  it('still opens the unmodified inputs (the fuzz baseline is real)', () => {
    expect(outcome(nca)).toBe('ok');
    expect(outcome(ncaNoMac)).toBe('ok');
  });

  it('random bytes: only typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 2048 }), (bytes) => {
        expect(outcome(bytes)).not.toBe('ok');
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes behind a valid PFX header: only typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), (tail) => {
        const bytes = Buffer.concat([
          Buffer.from([0x30, 0x82, (tail.length + 3) >> 8, (tail.length + 3) & 0xff, 0x02, 0x01, 0x03]),
          tail,
        ]);
        expect(outcome(bytes)).not.toBe('ok');
      }),
      { numRuns: 200 },
    );
  });

  it('mutated NCA containers: keys or typed errors', () => {
    fc.assert(
      fc.property(
        mutation(nca.length),
        fc.option(fc.nat({ max: nca.length }), { nil: undefined }),
        (changes, cut) => {
          outcome(mutate(nca, changes, cut));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('mutated containers without a MAC (reaching decryption and bags): keys or typed errors', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(mutation(ncaNoMac.length), (changes) => {
        seen.add(outcome(mutate(ncaNoMac, changes)));
      }),
      { numRuns: 200 },
    );
    // The mutations do reach the deeper checks, not only the outer parse.
    expect(seen.size).toBeGreaterThan(1);
  });
});
