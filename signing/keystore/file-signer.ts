/**
 * A Signer over a key opened from a file: RSA PKCS#1 v1.5 with SHA-256, by node:crypto.
 */
import { sign } from 'node:crypto';
import { SigningError } from '../errors.ts';
import type { OpenedKey, Signer } from '../types.ts';

export function fileSigner(key: OpenedKey): Signer {
  if (key.privateKey.asymmetricKeyType !== 'rsa') {
    throw new SigningError('UNSUPPORTED_ALGORITHM', 'Only RSA keys can sign; this key is not RSA.');
  }
  return {
    certificate: () => key.certificate,
    sign: (data: Buffer) =>
      new Promise<Buffer>((resolve, reject) => {
        // The callback form runs in libuv's pool, keeping the main/portal event loop free.
        sign('sha256', data, key.privateKey, (error, signature) =>
          error ? reject(error) : resolve(signature),
        );
      }),
  };
}
