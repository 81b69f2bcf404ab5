/**
 * Signature verification off the portal's event loop: a pool of worker threads (verify-worker.ts),
 * one per core, runs verifyXml for every route that takes a signed document (applicant and staff
 * login, the referral request). An expensive document then occupies one worker, not the thread that
 * answers every other request: journal reads, health checks and other logins go on meanwhile.
 *
 * Jobs go to the least busy worker, at most `perWorker` at a time each (one computes while the
 * others wait for an OCSP or CRL answer); the rest wait in a bounded queue. When `maxWaiting` jobs
 * already wait, a new one is refused at once with VERIFICATION_BUSY (503, retryable) instead of
 * piling up behind them. Each worker keeps its own revocation cache (see verify-worker.ts).
 *
 * A worker that dies takes its in-flight jobs with it (they fail as internal errors) and is
 * replaced; a worker that cannot load the trust store or CRL files fails every job with that reason.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { VerificationReport } from '../../signing/index.ts';
import { Refusal } from '../refusal.ts';
import type { PortalVerifier } from '../signed-requests.ts';
import type { VerifierSettings, VerifyJob, WorkerMessage } from './messages.ts';

export interface VerificationPoolOptions {
  settings: VerifierSettings;
  /** Worker threads; default one per core. */
  size?: number;
  /** Jobs one worker holds at once; default 4. */
  perWorker?: number;
  /** Jobs that may wait while every worker holds `perWorker`; one more is refused with VERIFICATION_BUSY. Default 32 per worker. */
  maxWaiting?: number;
  /** The worker module; default verifyWorkerEntry(). */
  entry?: string;
  /** Told when a worker could not start or stopped unexpectedly. */
  onError?: (error: Error) => void;
  /** The portal's clock: the workers' revocation caches judge freshness by it. Default: real time. */
  now?: () => Date;
}

export interface VerificationPool {
  verify: PortalVerifier;
  /** The worker module the pool runs (a built verify-worker.js, or verify-worker.ts through tsx). */
  entry: string;
  size: number;
  /** Resolves once every worker has loaded the trust store (and CRL files); rejects with the reason one could not. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The worker module: verify-worker.js beside this module when it is part of a build (the bundler
 * emits it there: see verify-worker.ts), else the source verify-worker.ts.
 */
export function verifyWorkerEntry(folder: string = import.meta.dirname): string {
  const built = join(folder, 'verify-worker.js');
  if (existsSync(built)) return built;
  const source = join(folder, 'verify-worker.ts');
  if (existsSync(source)) return source;
  throw new Error(`No signature verification worker in ${folder} (verify-worker.js or verify-worker.ts)`);
}

/** A worker running `entry`; a .ts entry is loaded through tsx, registered in the new thread first. */
function startWorker(entry: string, settings: VerifierSettings): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData: settings });
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: settings });
}

interface Pending {
  job: VerifyJob;
  resolve(report: VerificationReport): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Pending>;
}

const busy = (): Refusal =>
  new Refusal('VERIFICATION_BUSY', 'The portal is checking many signatures right now; try again in a moment.');

export function createVerificationPool(options: VerificationPoolOptions): VerificationPool {
  const entry = options.entry ?? verifyWorkerEntry();
  const size = options.size ?? availableParallelism();
  const perWorker = options.perWorker ?? 4;
  const maxWaiting = options.maxWaiting ?? 32 * size;
  const now = options.now ?? (() => new Date());
  const waiting: Pending[] = [];
  const slots: Slot[] = [];
  const readiness: Array<Promise<void>> = [];
  let startFailure: Error | null = null;
  let closing = false;
  let nextId = 1;

  function spawn(): Slot {
    const worker = startWorker(entry, options.settings);
    const slot: Slot = { worker, inFlight: new Map() };
    let markReady: () => void = () => {};
    let markFailed: (e: Error) => void = () => {};
    const isReady = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    isReady.catch(() => {}); // reported through onError; ready() rethrows it to whoever asks
    readiness.push(isReady);
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') return markReady();
      if (message.kind === 'failed') {
        startFailure = new Error(`The signature verifier could not start: ${message.message}`);
        markFailed(startFailure);
        options.onError?.(startFailure);
        return failAll(startFailure);
      }
      const pending = slot.inFlight.get(message.id);
      if (!pending) return;
      slot.inFlight.delete(message.id);
      if (message.kind === 'report') pending.resolve(message.report);
      else pending.reject(new Error(`Signature verification failed: ${message.message}`));
      dispatch();
    });
    const stopped = (error: Error) => {
      if (!slots.includes(slot)) return;
      slots.splice(slots.indexOf(slot), 1);
      markFailed(error);
      for (const pending of slot.inFlight.values()) pending.reject(error);
      if (closing) return;
      options.onError?.(error);
      if (!startFailure) slots.push(spawn());
      dispatch();
    };
    worker.on('error', (e) => stopped(new Error(`A signature verification worker failed: ${e.message}`)));
    worker.on('exit', (code) => stopped(new Error(`A signature verification worker stopped (exit ${code})`)));
    return slot;
  }

  function failAll(error: Error): void {
    for (const pending of waiting.splice(0)) pending.reject(error);
    for (const slot of slots) {
      for (const pending of slot.inFlight.values()) pending.reject(error);
      slot.inFlight.clear();
    }
  }

  function dispatch(): void {
    while (waiting.length > 0) {
      let idlest: Slot | undefined;
      for (const slot of slots) if (!idlest || slot.inFlight.size < idlest.inFlight.size) idlest = slot;
      if (!idlest || idlest.inFlight.size >= perWorker) return;
      const pending = waiting.shift() as Pending;
      idlest.inFlight.set(pending.job.id, pending);
      idlest.worker.postMessage(pending.job);
    }
  }

  for (let i = 0; i < size; i++) slots.push(spawn());

  const verify: PortalVerifier = (xml, check) => {
    if (startFailure) return Promise.reject(startFailure);
    if (closing) return Promise.reject(new Error('The signature verifier has been closed'));
    const canStartNow = slots.some((slot) => slot.inFlight.size < perWorker);
    if (!canStartNow && waiting.length >= maxWaiting) return Promise.reject(busy());
    return new Promise<VerificationReport>((resolve, reject) => {
      const job: VerifyJob = { id: nextId++, xml, purpose: check.purpose, at: check.at.getTime(), now: now().getTime() };
      waiting.push({ job, resolve, reject });
      dispatch();
    });
  };

  return {
    verify,
    entry,
    size,
    ready: async () => {
      await Promise.all(readiness.slice(0, size));
    },
    async close() {
      closing = true;
      failAll(new Error('The signature verifier has been closed'));
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
