/**
 * The PKCS#11 addon is optional: loading the signing library does not load it, and where it cannot
 * be loaded the token source says TOKENS_UNAVAILABLE while file keys keep working.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as signing from '../../../signing/index.ts';

describe('the PKCS#11 binding', () => {
  it('is not loaded by importing the signing library', () => {
    const cache = createRequire(import.meta.url).cache;
    expect(Object.keys(cache).filter((path) => path.includes('pkcs11js'))).toEqual([]);
    expect(typeof signing.tokenKeySource).toBe('function');
  });

  it('when it cannot be loaded: listing reports TOKENS_UNAVAILABLE, opening refuses with it', async () => {
    const unavailable = (): never => {
      throw new signing.SigningError(
        'TOKENS_UNAVAILABLE',
        'Hardware tokens are unavailable on this computer.',
      );
    };
    const modules = new signing.Pkcs11Modules(['/usr/lib/libjcPKCS11-2.so'], { newApi: unavailable });
    const source = signing.tokenKeySource(modules);
    const listing = await source.list(async () => Buffer.alloc(0));
    expect(listing).toMatchObject({ keys: [], problems: [{ code: 'TOKENS_UNAVAILABLE' }] });
    const error = await source
      .open(
        {
          kind: 'token',
          module: '/usr/lib/libjcPKCS11-2.so',
          slot: '00',
          token: 'x',
          id: '01',
          certificate: 'x',
        },
        async () => Buffer.from('1234'),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKENS_UNAVAILABLE' });
  });
});
