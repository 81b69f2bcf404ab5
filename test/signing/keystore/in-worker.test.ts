/**
 * openKeyStoreInWorker: the same keys as openKeyStore, the same typed errors, and the caller's
 * event loop free while a .p12 asking for the most key-derivation work we accept is opened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningError } from '../../../signing/errors.ts';
import { fileSigner } from '../../../signing/keystore/file-signer.ts';
import { closeKeyStoreWorker, openKeyStoreInWorker } from '../../../signing/keystore/in-worker.ts';
import { openKeyStore } from '../../../signing/keystore/pkcs12.ts';
import { getDemoPki, type DemoPki } from '../../helpers/demo-pki.ts';
import { maxIterationsCopy, worstTimerLag } from '../../helpers/event-loop.ts';

let pki: DemoPki;
let work: string;
/** An NCA-format (legacy PKCS#12 KDF) copy of a demo key with 100,000 iterations: pkcs12.ts's MAX_ITERATIONS. */
let heavy: string;

beforeAll(async () => {
  pki = await getDemoPki();
  work = mkdtempSync(join(tmpdir(), 'joldama-keystore-worker-'));
  heavy = maxIterationsCopy(pki.keyPath(), pki.password, work);
});
afterAll(async () => {
  await closeKeyStoreWorker();
  rmSync(work, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof SigningError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('openKeyStoreInWorker', () => {
  it('opens the same keys as openKeyStore, and they sign', async () => {
    const file = pki.keyPath({ purpose: 'SIGN', status: 'valid' });
    const [inThread] = await openKeyStore(file, pki.password);
    const [inWorker] = await openKeyStoreInWorker(file, Buffer.from(pki.password));
    expect(inWorker?.file).toBe(file);
    expect(inWorker?.info).toEqual(inThread?.info);
    expect(inWorker?.certificate.raw.equals(inThread!.certificate.raw)).toBe(true);
    expect(inWorker?.privateKey.equals(inThread!.privateKey)).toBe(true);
    const signature = await fileSigner(inWorker!).sign(Buffer.from('x'));
    expect(signature).toHaveLength(256);
  });

  it('passes the typed errors through', async () => {
    expect(await codeOf(openKeyStoreInWorker(pki.keyPath(), Buffer.from('wrong')))).toBe('WRONG_PASSWORD');
    expect(await codeOf(openKeyStoreInWorker(join(work, 'absent.p12'), Buffer.from('x')))).toBe(
      'FILE_NOT_FOUND',
    );
  });

  // A ratio in one run (see worstTimerLag); retries absorb a rare unlucky spike.
  it(
    'keeps the caller’s event loop responsive while the heaviest allowed .p12 opens (timer lag a fifth of the same open on this thread, or less)',
    { retry: 2 },
    async () => {
      // The file is heavy enough to matter: opened on this thread, the same timer stalls.
      const inThread = await worstTimerLag(() => openKeyStore(heavy, pki.password));
      expect(inThread).toBeGreaterThan(50);
      const inWorker = await worstTimerLag(() => openKeyStoreInWorker(heavy, Buffer.from(pki.password)));
      expect(inWorker).toBeLessThan(inThread / 5);
    },
  );

  // The fresh worker compiles its imports again (from sources, with tsx): slow on a busy machine.
  it(
    'ends a worker that runs past its time, and the next open starts a fresh one',
    { timeout: 120_000 },
    async () => {
      const error = await openKeyStoreInWorker(heavy, Buffer.from(pki.password), { timeoutMs: 1 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SigningError);
      expect((error as SigningError).code).toBe('UNSUPPORTED_ALGORITHM');
      const [key] = await openKeyStoreInWorker(pki.keyPath(), Buffer.from(pki.password));
      expect(key?.info.iin).toBeDefined();
    },
  );
});
