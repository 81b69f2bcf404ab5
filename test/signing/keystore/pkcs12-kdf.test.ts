import fc from 'fast-check';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { pkcs12Kdf, type Pkcs12KdfPurpose } from '../../../signing/keystore/pkcs12-kdf.ts';

/** node-forge's implementation (not in @types/node-forge) serves as the reference. */
const reference = (
  forge.pki as unknown as {
    pbe: {
      generatePkcs12Key(
        password: string,
        salt: forge.util.ByteStringBuffer,
        id: number,
        iterations: number,
        length: number,
        md: forge.md.MessageDigest,
      ): forge.util.ByteStringBuffer;
    };
  }
).pbe;

const HASHES = {
  sha1: () => forge.md.sha1.create(),
  sha256: () => forge.md.sha256.create(),
  sha512: () => forge.md.sha512.create(),
} as const;

describe('pkcs12Kdf (RFC 7292 B.2)', () => {
  it('matches node-forge for random passwords (incl. Cyrillic), salts, purposes, lengths and hashes', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }),
        fc.uint8Array({ minLength: 0, maxLength: 20 }),
        fc.constantFrom<Pkcs12KdfPurpose>(1, 2, 3),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 70 }),
        fc.constantFrom<keyof typeof HASHES>('sha1', 'sha256', 'sha512'),
        (password, salt, purpose, iterations, length, hash) => {
          const expected = reference
            .generatePkcs12Key(
              password,
              forge.util.createBuffer(Buffer.from(salt).toString('binary')),
              purpose,
              iterations,
              length,
              HASHES[hash](),
            )
            .getBytes();
          expect(
            pkcs12Kdf(password, Buffer.from(salt), purpose, iterations, length, hash).toString('binary'),
          ).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
    expect(pkcs12Kdf('Құпия', Buffer.from('salt'), 1, 1024, 24).toString('hex')).toBe(
      Buffer.from(
        reference
          .generatePkcs12Key('Құпия', forge.util.createBuffer('salt'), 1, 1024, 24, forge.md.sha1.create())
          .getBytes(),
        'binary',
      ).toString('hex'),
    );
  });
});
