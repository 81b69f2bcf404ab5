/**
 * openKeyStoreInWorker: openKeyStore in a worker thread, so that a .p12 asking for the most
 * key-derivation work we accept, or a hostile one, never stalls the caller's event loop (main's
 * window, the bridge). One worker is kept for the process and reused (starting one costs more than
 * opening an NCA file); a job that runs past `timeoutMs` (a last resort) ends that worker and is
 * refused, and the next job starts a fresh one. The worker holds no reference open while idle.
 *
 * Entry point: `pkcs12-worker` beside this module (../worker-start.ts says how a build places it),
 * or the caller passes `entry`.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { SigningError, type SigningErrorCode } from '../errors.ts';
import type { CertificateInfo, OpenedKey } from '../types.ts';
import { workerStart, type WorkerStart } from '../worker-start.ts';

/** Main → worker. */
export interface WorkerJob {
  id: number;
  file: string;
  /** UTF-8 password bytes, transferred (the sender's copy is detached). */
  password: Uint8Array;
}

interface WorkerKey {
  index: number;
  info: CertificateInfo;
  certificate: Uint8Array;
  extraCertificates: Uint8Array[];
  privateKey: KeyObject;
}

/** Worker → main. */
export type WorkerAnswer =
  | { id: number; ok: true; keys: WorkerKey[] }
  | { id: number; ok: false; code?: SigningErrorCode; message: string };

export interface KeyStoreWorkerOptions {
  /** Worker entry, for bundles that place it elsewhere. */
  entry?: URL;
  /**
   * Longest a single file may take, in wall time, before its worker is ended (default 2 min). A
   * last resort against a stuck worker, not the bound on work (pkcs12.ts bounds that): the heaviest
   * file we accept takes about a second of one core, but a starved below-normal thread on a busy
   * machine must not have a good key refused.
   */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

let besideThisModule: WorkerStart | undefined;

function defaultStart(): WorkerStart {
  besideThisModule ??= workerStart(import.meta.dirname, 'pkcs12-worker');
  return besideThisModule;
}

interface Pending {
  resolve: (answer: WorkerAnswer) => void;
  reject: (error: Error) => void;
}

/** A worker thread and the jobs it owes answers for. */
interface Running {
  worker: Worker;
  entry: string;
  pending: Map<number, Pending>;
}

class KeyStoreWorker {
  private running: Running | undefined;
  private nextId = 1;
  /** Jobs run one at a time: a second file waits rather than sharing a stalled worker. */
  private queue: Promise<unknown> = Promise.resolve();

  run(file: string, password: Buffer, options: KeyStoreWorkerOptions): Promise<WorkerAnswer> {
    // Copied now, into memory of its own that is transferred (a Buffer from the pool cannot be).
    const bytes = new Uint8Array(new ArrayBuffer(password.length));
    bytes.set(password);
    const job = this.queue.then(() => this.send(file, bytes, options));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private start(entry?: URL): Running {
    const wanted: WorkerStart = entry ? { id: entry.href, script: entry, eval: false } : defaultStart();
    if (this.running?.entry === wanted.id) return this.running;
    void this.stop();
    const running: Running = {
      worker: new Worker(wanted.script, { eval: wanted.eval }),
      entry: wanted.id,
      pending: new Map(),
    };
    const { worker, pending } = running;
    worker.unref();
    worker.on('message', (answer: WorkerAnswer) => {
      const job = pending.get(answer.id);
      pending.delete(answer.id);
      job?.resolve(answer);
    });
    const fail = (error: Error): void => {
      if (this.running === running) this.running = undefined;
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`key store worker stopped (exit code ${code})`)));
    this.running = running;
    return running;
  }

  private send(
    file: string,
    password: Uint8Array<ArrayBuffer>,
    options: KeyStoreWorkerOptions,
  ): Promise<WorkerAnswer> {
    const running = this.start(options.entry);
    const { worker, pending } = running;
    const id = this.nextId++;
    return new Promise<WorkerAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        if (this.running === running) void this.stop();
        reject(
          new SigningError(
            'UNSUPPORTED_ALGORITHM',
            'The key store asks for more work to open than this program accepts.',
          ),
        );
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const settle = (): void => {
        clearTimeout(timer);
        if (pending.size === 0) worker.unref();
      };
      pending.set(id, {
        resolve: (answer) => {
          settle();
          resolve(answer);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      worker.ref();
      const job: WorkerJob = { id, file, password };
      worker.postMessage(job, [password.buffer]);
    });
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (running) await running.worker.terminate();
  }
}

const shared = new KeyStoreWorker();

/**
 * Opens a .p12/.pfx key store in the shared worker thread: every RSA key with its certificate, as
 * openKeyStore does. `password` is copied into the job and not kept; the caller zeroes its Buffer.
 */
export async function openKeyStoreInWorker(
  file: string,
  password: Buffer,
  options: KeyStoreWorkerOptions = {},
): Promise<OpenedKey[]> {
  const answer = await shared.run(file, password, options);
  if (!answer.ok) {
    if (answer.code) throw new SigningError(answer.code, answer.message);
    throw new Error(`key store worker: ${answer.message}`);
  }
  return answer.keys.map((key) => ({
    file,
    index: key.index,
    info: key.info,
    certificate: new X509Certificate(key.certificate),
    extraCertificates: key.extraCertificates.map((der) => new X509Certificate(der)),
    privateKey: key.privateKey,
  }));
}

/** Ends the shared worker (tests, the app's quit); the next open starts a new one. */
export function closeKeyStoreWorker(): Promise<void> {
  return shared.stop();
}
