/**
 * Tokens in a worker thread (docs/tokens.md, "Off main's event loop"): every PKCS#11 call (listing,
 * the watcher's looks, PIN login, signing, logout) runs in pkcs11-worker.ts, so a slow card, a
 * reader waiting for its keypad, or a module that hangs never stalls the caller's event loop (main's
 * window, the bridge). The shape follows the key-store worker (../keystore/in-worker.ts): one
 * worker, started on first use and reused, holding no reference open while idle.
 *
 * A call that gets no answer within its time limit is refused with TOKEN_FAILURE and the worker is
 * ended; a worker that stops (an uncaught error, the module ending its thread) fails its calls with
 * TOKEN_FAILURE too. Either way the next call starts a fresh worker, which loads the modules
 * afresh, and keys opened in the old one are gone (signing with them says TOKEN_FAILURE). A native
 * crash (a segmentation fault) would still take the whole process: only a separate process
 * isolates that (docs/tokens.md).
 *
 * The PIN is asked in main through the caller's AskSecret when the worker's token source asks for
 * it; its bytes are transferred to the worker (main keeps no copy) and zeroed there once used.
 */
import { X509Certificate } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { SigningError, type SigningErrorCode, type SigningErrorDetail } from '../errors.ts';
import type { AskSecret, KeyHandle, ListedKey, SecretRequest, SourceListing, TokenKeyRef } from '../keys/key-source.ts';
import type { CertificateInfo } from '../types.ts';
import { workerStart, type WorkerStart } from '../worker-start.ts';
import type { TokenListing } from './modules.ts';

/** What the worker is started with. */
export interface TokenWorkerData {
  /** The deployment's configured module paths (never from the window). */
  modules: readonly string[];
  /** Add the vendors' default module paths that exist here. */
  vendorDefaults: boolean;
  /** Tests: a file URL of an ES module exporting `newApi(): Pkcs11Api`, used in place of pkcs11js. */
  apiModule?: string;
}

/** A listed key as it crosses from the worker: its certificate as DER. */
export type WireListedKey = Omit<ListedKey, 'certificate'> & { certificate?: Uint8Array };

/** Each call: what main sends, what the worker answers. */
export interface TokenCalls {
  listTokens: { input: Record<string, never>; output: TokenListing };
  listKeys: { input: { at: number }; output: { keys: WireListedKey[]; problems: SourceListing['problems'] } };
  open: { input: { ref: TokenKeyRef }; output: { handle: number; info: CertificateInfo; certificate: Uint8Array } };
  sign: { input: { handle: number; data: Uint8Array }; output: Uint8Array };
  close: { input: { handle: number }; output: null };
  rescan: { input: Record<string, never>; output: null };
}
export type TokenCall = keyof TokenCalls;

export interface WireError {
  code?: SigningErrorCode;
  message: string;
  detail?: SigningErrorDetail;
}

/** Main → worker: a call, the PIN the worker asked for (or why there is none), or the end. */
export type TokenJob =
  | { id: number; call: TokenCall; input: unknown }
  | { id: number; secret: Uint8Array }
  | { id: number; refused: WireError }
  | { id: number; finalize: true };

/** Worker → main: ready (its code loaded), an answer to call `id`, or the worker asking for the PIN that call needs. */
export type TokenAnswer =
  | { ready: true }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WireError }
  | { id: number; ask: SecretRequest };

/**
 * Longest each call may take before the worker is ended. Opening includes the PIN login, which on
 * a reader with a keypad waits for the person to type (readers give up on their own after about
 * half a minute); a card signs in a second or two.
 */
export const TOKEN_CALL_TIMEOUTS_MS: Readonly<Record<TokenCall, number>> = {
  listTokens: 20_000,
  listKeys: 30_000,
  open: 120_000,
  sign: 60_000,
  close: 10_000,
  rescan: 20_000,
};

export interface TokensInWorkerOptions {
  modules: readonly string[];
  vendorDefaults?: boolean;
  apiModule?: string;
  timeoutsMs?: Partial<Record<TokenCall, number>>;
  /** Worker entry, for bundles that place it elsewhere. */
  entry?: URL;
}

export function toWireError(e: unknown): WireError {
  if (e instanceof SigningError) return { code: e.code, message: e.message, detail: e.detail };
  return { message: e instanceof Error ? e.message : String(e) };
}

function fromWireError(error: WireError): Error {
  // Anything the worker did not classify is the token's failure, never a PIN error.
  return new SigningError(error.code ?? 'TOKEN_FAILURE', error.message, error.detail ?? {});
}

function tokenFailure(why: string): SigningError {
  return new SigningError(
    'TOKEN_FAILURE',
    `The token did not complete the operation (${why}). Plug it in again and repeat; if it keeps failing, the token or its driver needs attention.`,
  );
}

/** Bytes in memory of their own, so they can be transferred (a pooled Buffer cannot be). */
function ownBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(data.length));
  bytes.set(data);
  return bytes;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  askSecret?: AskSecret;
}

interface Running {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Resolves once the worker's code has loaded: time limits count from then, not from its start. */
  ready: Promise<void>;
  loaded: () => void;
}

let besideThisModule: WorkerStart | undefined;

export class TokensInWorker {
  private running: Running | undefined;
  private nextId = 1;

  constructor(private readonly options: TokensInWorkerOptions) {}

  async listTokens(): Promise<TokenListing> {
    return this.call('listTokens', {});
  }

  async listKeys(at: Date): Promise<SourceListing> {
    const { keys, problems } = await this.call('listKeys', { at: at.getTime() });
    return {
      keys: keys.map(({ certificate, ...key }) => ({
        ...key,
        ...(certificate ? { certificate: new X509Certificate(certificate) } : {}),
      })),
      problems,
    };
  }

  /** Finalises the modules that hold no open key, so the next listing sees tokens come and go (SoftHSM). */
  async rescan(): Promise<void> {
    await this.call('rescan', {});
  }

  async open(ref: TokenKeyRef, askSecret: AskSecret): Promise<KeyHandle> {
    const running = this.start();
    const opened = await this.call('open', { ref }, [], askSecret);
    const certificate = new X509Certificate(opened.certificate);
    let closed = false;
    const alive = (): boolean => this.running === running;
    return {
      ref,
      info: opened.info,
      extraCertificates: [],
      certificate: () => certificate,
      sign: async (data: Buffer): Promise<Buffer> => {
        if (closed) throw new SigningError('TOKEN_FAILURE', 'The token key was closed.');
        if (!alive()) throw tokenFailure('its driver was restarted');
        const bytes = ownBytes(data);
        return Buffer.from(await this.call('sign', { handle: opened.handle, data: bytes }, [bytes.buffer]));
      },
      close: async (): Promise<void> => {
        if (closed) return;
        closed = true;
        // A restarted worker took the session with it.
        if (alive()) await this.call('close', { handle: opened.handle }).catch(() => undefined);
      },
    };
  }

  /** Finalises every module and ends the worker (open keys stop working). */
  async close(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    const exited = new Promise<void>((resolve) => running.worker.once('exit', () => resolve()));
    // A module that hangs in C_Finalize is not waited for.
    const timer = setTimeout(() => void running.worker.terminate(), TOKEN_CALL_TIMEOUTS_MS.close);
    running.worker.ref();
    running.worker.postMessage({ id: 0, finalize: true } satisfies TokenJob);
    await exited;
    clearTimeout(timer);
  }

  private start(): Running {
    if (this.running) return this.running;
    const start = this.options.entry
      ? { script: this.options.entry, eval: false }
      : (besideThisModule ??= workerStart(import.meta.dirname, 'pkcs11-worker'));
    const workerData: TokenWorkerData = {
      modules: this.options.modules,
      vendorDefaults: this.options.vendorDefaults ?? true,
      ...(this.options.apiModule ? { apiModule: this.options.apiModule } : {}),
    };
    let loaded = (): void => undefined;
    const ready = new Promise<void>((resolve) => (loaded = resolve));
    const running: Running = { worker: new Worker(start.script, { eval: start.eval, workerData }), pending: new Map(), ready, loaded };
    const { worker, pending } = running;
    worker.unref();
    worker.on('message', (answer: TokenAnswer) => this.answered(running, answer));
    const fail = (error: Error): void => {
      if (this.running === running) this.running = undefined;
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    };
    worker.on('error', (e) => fail(tokenFailure(`its driver stopped: ${e.message}`)));
    worker.on('exit', (code) => fail(tokenFailure(`its driver stopped, exit code ${code}`)));
    this.running = running;
    return running;
  }

  private answered(running: Running, answer: TokenAnswer): void {
    if ('ready' in answer) return running.loaded();
    const job = running.pending.get(answer.id);
    if (!job) return;
    if ('ask' in answer) {
      void this.giveSecret(running, answer.id, answer.ask, job.askSecret);
      return;
    }
    running.pending.delete(answer.id);
    if (answer.ok) job.resolve(answer.value);
    else job.reject(fromWireError(answer.error));
  }

  /** The worker's token source asks for the PIN: ask the caller, hand the bytes over, keep none. */
  private async giveSecret(running: Running, id: number, request: SecretRequest, askSecret?: AskSecret): Promise<void> {
    let reply: TokenJob;
    const transfer: ArrayBuffer[] = [];
    try {
      if (!askSecret) throw new Error('this call asks no secret');
      const secret = await askSecret(request);
      const bytes = ownBytes(secret);
      secret.fill(0);
      reply = { id, secret: bytes };
      transfer.push(bytes.buffer);
    } catch (e) {
      reply = { id, refused: toWireError(e) };
    }
    if (running.pending.has(id)) running.worker.postMessage(reply, transfer);
  }

  private call<C extends TokenCall>(
    call: C,
    input: TokenCalls[C]['input'],
    transfer: ArrayBuffer[] = [],
    askSecret?: AskSecret,
  ): Promise<TokenCalls[C]['output']> {
    const running = this.start();
    const { worker, pending } = running;
    const id = this.nextId++;
    const limit = this.options.timeoutsMs?.[call] ?? TOKEN_CALL_TIMEOUTS_MS[call];
    return new Promise<TokenCalls[C]['output']>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const expire = (): void => {
        // A module that does not answer: end its worker (its other calls fail too); the next call starts afresh.
        pending.delete(id);
        if (this.running === running) this.running = undefined;
        const error = tokenFailure(`no answer within ${Math.round(limit / 1000)} s`);
        for (const job of pending.values()) job.reject(error);
        pending.clear();
        void worker.terminate();
        reject(error);
      };
      void running.ready.then(() => {
        if (pending.has(id)) timer = setTimeout(expire, limit);
      });
      const settle = (): void => {
        clearTimeout(timer);
        if (pending.size === 0) worker.unref();
      };
      pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value as TokenCalls[C]['output']);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        ...(askSecret ? { askSecret } : {}),
      });
      worker.ref();
      worker.postMessage({ id, call, input } satisfies TokenJob, transfer);
    });
  }
}
