/**
 * Worker-thread entry of TokensInWorker (in-worker.ts): the PKCS#11 modules and the token key
 * source live here, so every token call (C_GetSlotList, C_Login, C_Sign, C_Logout, ...) runs on this
 * thread and never on the caller's event loop. The modules load on the first call. An opened key
 * stays here under a number; the caller signs and closes through that number. A PIN arrives as a
 * transferred byte array when the token source asks for it, and is zeroed once used (withSecret).
 * A bundler emits this file as its own entry (../worker-start.ts).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { KeyHandle, SecretRequest, TokenKeyRef } from '../keys/key-source.ts';
import type { Pkcs11Api } from './binding.ts';
import type { TokenAnswer, TokenCall, TokenCalls, TokenJob, TokenWorkerData } from './in-worker.ts';
import { toWireError } from './in-worker.ts';
import { defaultModulePaths, KNOWN_MODULES } from './module-paths.ts';
import { Pkcs11Modules } from './modules.ts';
import { tokenKeySource } from './token-source.ts';

if (!parentPort) throw new Error('pkcs11-worker.ts runs only as a worker thread');
const port: MessagePort = parentPort;
const config = workerData as TokenWorkerData;

interface Loaded {
  modules: Pkcs11Modules;
  source: ReturnType<typeof tokenKeySource>;
  /** A test-only module (SoftHSM) sees tokens come and go only when initialised again. */
  needsRescan: boolean;
}

let loading: Promise<Loaded> | undefined;
const load = (): Promise<Loaded> =>
  (loading ??= (async () => {
    const newApi = config.apiModule
      ? ((await import(config.apiModule)) as { newApi: () => Pkcs11Api }).newApi
      : undefined;
    const defaults = config.vendorDefaults ? defaultModulePaths() : [];
    const modules = new Pkcs11Modules([...defaults, ...config.modules], newApi ? { newApi } : {});
    const testOnly = new Set(KNOWN_MODULES.filter((m) => m.testOnly).flatMap((m) => [...m.paths.linux, ...m.paths.win32]));
    return { modules, source: tokenKeySource(modules), needsRescan: modules.paths.some((p) => testOnly.has(p)) };
  })());

const handles = new Map<number, KeyHandle>();
let nextHandle = 1;
/** PINs asked of main, by the call that asked. */
const asked = new Map<number, { resolve: (secret: Buffer) => void; reject: (error: Error) => void }>();

const noPin = (): Promise<Buffer> => Promise.reject(new Error('a token listing asks no PIN'));

type Handlers = { [C in TokenCall]: (input: TokenCalls[C]['input'], id: number) => Promise<TokenCalls[C]['output']> };

const handlers: Handlers = {
  listTokens: async () => {
    const { modules } = await load();
    // No module on this computer (none installed, none configured): "unavailable", not "no tokens".
    if (modules.paths.length === 0) {
      return { tokens: [], problems: [{ where: 'pkcs11', code: 'TOKENS_UNAVAILABLE', message: 'no PKCS#11 module on this computer' }] };
    }
    return modules.listTokens();
  },
  listKeys: async ({ at }) => {
    const { keys, problems } = await (await load()).source.list(noPin, new Date(at));
    return {
      keys: keys.map(({ certificate, ...key }) => ({ ...key, ...(certificate ? { certificate: new Uint8Array(certificate.raw) } : {}) })),
      problems,
    };
  },
  open: async ({ ref }, id) => {
    const askSecret = (ask: SecretRequest): Promise<Buffer> =>
      new Promise<Buffer>((resolve, reject) => {
        asked.set(id, { resolve, reject });
        port.postMessage({ id, ask } satisfies TokenAnswer);
      });
    const handle = await (await load()).source.open(ref as TokenKeyRef, askSecret);
    const number = nextHandle++;
    handles.set(number, handle);
    return { handle: number, info: handle.info, certificate: new Uint8Array(handle.certificate().raw) };
  },
  sign: async ({ handle, data }) => {
    const key = handles.get(handle);
    if (!key) throw new Error('no such token key here');
    return new Uint8Array(await key.sign(Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
  },
  close: async ({ handle }) => {
    const key = handles.get(handle);
    handles.delete(handle);
    await key?.close();
    return null;
  },
  rescan: async () => {
    if (loading) {
      const loaded = await loading;
      if (loaded.needsRescan) loaded.modules.reload();
    }
    return null;
  },
};

port.on('message', (job: TokenJob) => {
  if ('secret' in job) {
    // Zeroed by the token source's withSecret once the login is done.
    asked.get(job.id)?.resolve(Buffer.from(job.secret.buffer, job.secret.byteOffset, job.secret.byteLength));
    asked.delete(job.id);
  } else if ('refused' in job) {
    asked.get(job.id)?.reject(Object.assign(new Error(job.refused.message), { wire: job.refused }));
    asked.delete(job.id);
  } else if ('finalize' in job) {
    void finalize();
  } else {
    void run(job.call, job.input, job.id);
  }
});

async function run(call: TokenCall, input: unknown, id: number): Promise<void> {
  const handler = handlers[call] as (input: unknown, id: number) => Promise<unknown>;
  let answer: TokenAnswer;
  try {
    answer = { id, ok: true, value: await handler(input, id) };
  } catch (e) {
    const wire = (e as { wire?: ReturnType<typeof toWireError> }).wire;
    answer = { id, ok: false, error: wire ?? toWireError(e) };
  }
  const value = answer.ok ? answer.value : undefined;
  port.postMessage(answer, value instanceof Uint8Array ? [value.buffer as ArrayBuffer] : []);
}

async function finalize(): Promise<void> {
  for (const handle of handles.values()) await handle.close().catch(() => undefined);
  handles.clear();
  if (loading) (await loading.catch(() => undefined))?.modules.close();
  process.exit(0);
}

port.postMessage({ ready: true } satisfies TokenAnswer);
