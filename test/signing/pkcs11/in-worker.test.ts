/**
 * Tokens in the worker thread with a scripted module (fixtures/scripted-pkcs11.ts): a driver that
 * hangs or ends its thread never hangs or ends the caller; the call fails with TOKEN_FAILURE and the
 * next one starts a fresh worker. (SoftHSM through the worker, with the PIN asked across it and
 * every PIN error, is in test/main/token-login.test.ts.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokensInWorker } from '../../../signing/pkcs11/in-worker.ts';

const apiModule = new URL('./fixtures/scripted-pkcs11.ts', import.meta.url).href;
let dir: string;
let module: string;
let tokens: TokensInWorker | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'joldama-token-worker-'));
  module = join(dir, 'scripted-pkcs11.so');
  await writeFile(module, 'ok');
});

afterEach(async () => {
  await tokens?.close();
  tokens = undefined;
  await rm(dir, { recursive: true, force: true });
});

const scripted = (timeoutsMs: { listTokens?: number } = {}) =>
  (tokens = new TokensInWorker({ modules: [module], vendorDefaults: false, apiModule, timeoutsMs }));

/** Counts the caller's timer ticks while `work` runs: a blocked event loop counts none. */
async function ticksDuring(work: Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    await work.catch(() => undefined);
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('tokens in a worker thread', () => {
  it('lists through the worker', async () => {
    const { tokens: listed, problems } = await scripted().listTokens();
    expect(problems).toEqual([]);
    expect(listed).toMatchObject([{ module, label: 'SCRIPTED', serial: '42' }]);
  });

  it('a module that hangs: the caller keeps running, the call fails with TOKEN_FAILURE at its limit, and the next call gets a fresh worker', async () => {
    const worker = scripted({ listTokens: 1_500 });
    await worker.listTokens(); // loaded and answering
    await writeFile(module, 'hang');
    const hung = worker.listTokens();
    const failed = expect(hung).rejects.toMatchObject({ code: 'TOKEN_FAILURE', message: expect.stringContaining('no answer within 2 s') });
    // On the caller's thread the call would block it for good and this would never return.
    expect(await ticksDuring(hung)).toBeGreaterThan(10);
    await failed;
    await writeFile(module, 'ok');
    expect((await worker.listTokens()).tokens).toHaveLength(1);
  }, 30_000);

  it('a module that ends its thread: TOKEN_FAILURE (never a PIN error), and the next call works again', async () => {
    const worker = scripted();
    await writeFile(module, 'crash');
    await expect(worker.listTokens()).rejects.toMatchObject({ code: 'TOKEN_FAILURE', message: expect.stringContaining('stopped') });
    await writeFile(module, 'ok');
    expect((await worker.listTokens()).tokens).toHaveLength(1);
  }, 30_000);
});
