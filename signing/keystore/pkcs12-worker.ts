/**
 * Worker-thread entry of openKeyStoreInWorker (in-worker.ts): opens one .p12 per message, so the
 * key derivation (up to MAX_ITERATIONS rounds, several times per file) and the parsing of a
 * hostile file run here, never on the caller's event loop. The password arrives as a transferred
 * byte array and is zeroed once used. A bundler emits this file as its own entry (see in-worker.ts).
 */
import { constants, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { SigningError } from '../errors.ts';
import { openKeyStore } from './pkcs12.ts';
import type { WorkerAnswer, WorkerJob } from './in-worker.ts';

const port = parentPort;
if (!port) throw new Error('pkcs12-worker.ts runs only as a worker thread');

// Key derivation yields the CPU to the caller's thread: on Linux a priority is per thread, so this
// lowers this worker only (elsewhere it would lower the whole process, so it is left alone there).
if (process.platform === 'linux') {
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not permitted here: the worker still runs, at normal priority
  }
}

port.on('message', (job: WorkerJob) => {
  void answer(job).then((reply) => port.postMessage(reply));
});

async function answer(job: WorkerJob): Promise<WorkerAnswer> {
  const password = Buffer.from(job.password.buffer, job.password.byteOffset, job.password.byteLength);
  try {
    // openKeyStore takes a string (the PKCS#12 KDF works on its BMPString): that copy is left to
    // the garbage collector; the bytes we were given are zeroed below.
    const keys = await openKeyStore(job.file, password.toString('utf8'));
    return {
      id: job.id,
      ok: true,
      keys: keys.map((key) => ({
        index: key.index,
        info: key.info,
        certificate: new Uint8Array(key.certificate.raw),
        extraCertificates: key.extraCertificates.map((c) => new Uint8Array(c.raw)),
        privateKey: key.privateKey,
      })),
    };
  } catch (e) {
    if (e instanceof SigningError) return { id: job.id, ok: false, code: e.code, message: e.message };
    return { id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  } finally {
    password.fill(0);
  }
}
