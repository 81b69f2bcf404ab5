/**
 * A key source over a .p12/.pfx file or a folder of them (the existing PKCS#12 reader). Key stores
 * are opened in the worker thread by default (keystore/in-worker.ts), so a slow or hostile file
 * never stalls the caller. A source opens only files under the path it was made for.
 */
import { resolve, sep } from 'node:path';
import { validityStatus } from '../certificate-profile.ts';
import { SigningError } from '../errors.ts';
import { fileSigner } from '../keystore/file-signer.ts';
import { findKeyFiles } from '../keystore/find.ts';
import { openKeyStoreInWorker } from '../keystore/in-worker.ts';
import { openKeyStore } from '../keystore/pkcs12.ts';
import type { OpenedKey } from '../types.ts';
import {
  keyNotFound,
  withSecret,
  type AskSecret,
  type FileKeyRef,
  type KeyHandle,
  type KeySource,
  type SourceListing,
} from './key-source.ts';

export interface FileKeySourceOptions {
  /** Open key stores in the worker thread (default true); false opens them on the caller's thread. */
  inWorker?: boolean;
}

export function fileKeySource(path: string, options: FileKeySourceOptions = {}): KeySource<FileKeyRef> {
  const root = resolve(path);
  const openStore = (file: string, password: Buffer): Promise<OpenedKey[]> =>
    options.inWorker === false
      ? openKeyStore(file, password.toString('utf8'))
      : openKeyStoreInWorker(file, password);

  return {
    async list(askSecret: AskSecret, at = new Date()): Promise<SourceListing> {
      const files = await findKeyFiles(root);
      const listing: SourceListing = { keys: [], problems: [] };
      if (files.length === 0) return listing;
      await withSecret(askSecret, { kind: 'password', path: root }, async (password) => {
        for (const file of files) {
          try {
            for (const key of await openStore(file, password)) {
              listing.keys.push({
                ...key.info,
                ref: { kind: 'file', path: file, index: key.index, certificate: key.info.fingerprintSha256 },
                status: validityStatus(key.info, at),
                storage: { kind: 'file', path: file },
              });
            }
          } catch (e) {
            if (!(e instanceof SigningError)) throw e;
            listing.problems.push({ where: file, code: e.code, message: e.message });
          }
        }
      });
      return listing;
    },

    async open(ref: FileKeyRef, askSecret: AskSecret): Promise<KeyHandle> {
      const file = resolve(ref.path);
      if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
        throw keyNotFound('the file is not in the chosen folder');
      }
      const keys = await withSecret(askSecret, { kind: 'password', path: file }, (password) =>
        openStore(file, password),
      );
      const key = keys[ref.index];
      if (!key) {
        throw new SigningError(
          'KEY_INDEX_OUT_OF_RANGE',
          `The key store holds ${keys.length} key(s), not ${ref.index + 1}.`,
        );
      }
      if (key.info.fingerprintSha256 !== ref.certificate) throw keyNotFound('the file holds another key now');
      const signer = fileSigner(key);
      return {
        ...signer,
        ref: { ...ref, path: file },
        info: key.info,
        extraCertificates: key.extraCertificates,
        close: async () => undefined,
      };
    },
  };
}
