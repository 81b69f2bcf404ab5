/**
 * Token and worker costs, side by side in `npm run bench`: signXml of a 2 KB referral with a key on
 * a SoftHSM token beside the same key from its .p12; listing tokens and their certificates; opening
 * an NCA-format .p12 in the worker thread beside opening it on the caller's thread (the worker's
 * overhead is the difference). Then main's event-loop delay (perf_hooks.monitorEventLoopDelay)
 * while keys are opened (PIN login) and used to sign on the SoftHSM token: the token source on the
 * caller's thread (as main did before the token worker) beside the token worker that main uses.
 * Run alone: `npx tsx test/bench/tokens.bench.ts`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { fileSigner } from '../../signing/keystore/file-signer.ts';
import { closeKeyStoreWorker, openKeyStoreInWorker } from '../../signing/keystore/in-worker.ts';
import { openKeyStore } from '../../signing/keystore/pkcs12.ts';
import type { TokenKeyRef } from '../../signing/keys/key-source.ts';
import { TokensInWorker } from '../../signing/pkcs11/in-worker.ts';
import { Pkcs11Modules } from '../../signing/pkcs11/modules.ts';
import { tokenKeySource } from '../../signing/pkcs11/token-source.ts';
import { signXml } from '../../signing/xml/sign.ts';
import { getDemoPki } from '../helpers/demo-pki.ts';
import { makeSoftHsm, USER_PIN } from '../helpers/softhsm.ts';
import { referralXml } from '../signing/xml/fixtures.ts';
import { medianMs } from './median-time.ts';

export interface TokenBenchRow {
  name: string;
  doc: string;
  ms: number;
}

export async function benchTokens(): Promise<TokenBenchRow[]> {
  const pki = await getDemoPki();
  const file = pki.keyPath({ slug: 'abilov-dauren', purpose: 'SIGN' });
  const xml = referralXml();
  const hsm = makeSoftHsm();
  const modules = new Pkcs11Modules([hsm.module]);
  try {
    await hsm.makeToken('BENCH');
    await hsm.importP12('BENCH', file, pki.password, '01');
    const source = tokenKeySource(modules);
    const noSecret = async (): Promise<Buffer> => Buffer.alloc(0);
    const { keys } = await source.list(noSecret);
    const ref = keys[0]?.ref as TokenKeyRef | undefined;
    if (!ref) throw new Error('bench setup: no key on the SoftHSM token');
    const pin = async (): Promise<Buffer> => Buffer.from(USER_PIN);
    const token = await source.open(ref, pin);
    const [fileKey] = await openKeyStore(file, pki.password);
    if (!fileKey) throw new Error('bench setup: demo key did not open');
    const fileKeySigner = fileSigner(fileKey);
    const password = (): Buffer => Buffer.from(pki.password);
    await openKeyStoreInWorker(file, password()); // the worker started, as in a running app

    const rows: TokenBenchRow[] = [
      {
        name: 'signXml, file key (node:crypto)',
        doc: '2 KB',
        ms: await medianMs(() => signXml(xml, fileKeySigner)),
      },
      {
        name: 'signXml, SoftHSM token key (PKCS#11)',
        doc: '2 KB',
        ms: await medianMs(() => signXml(xml, token)),
      },
      { name: 'listTokens (SoftHSM, 1 token)', doc: 'token', ms: await medianMs(() => modules.listTokens()) },
      {
        name: 'token source list (certificates)',
        doc: 'token',
        ms: await medianMs(() => source.list(noSecret)),
      },
      {
        name: 'token open (session, PIN login, key look-up)',
        doc: 'token',
        ms: await medianMs(async () => (await source.open(ref, pin)).close()),
      },
      {
        name: 'openKeyStore NCA .p12, caller’s thread',
        doc: '.p12',
        ms: await medianMs(() => openKeyStore(file, pki.password)),
      },
      {
        name: 'openKeyStoreInWorker NCA .p12',
        doc: '.p12',
        ms: await medianMs(() => openKeyStoreInWorker(file, password())),
      },
    ];
    await token.close();
    // Main's event-loop delay while opening (PIN login) and signing, on the thread and in the worker.
    const data = Buffer.from(xml);
    const loginAndSign = (open: typeof source.open) => async () => {
      const key = await open(ref, pin);
      try {
        await key.sign(data);
      } finally {
        await key.close();
      }
    };
    const onThread = await loopDelay(loginAndSign(source.open));
    modules.close(); // the worker initialises SoftHSM afresh in its own thread
    const worker = new TokensInWorker({ modules: [hsm.module], vendorDefaults: false });
    try {
      await worker.listTokens(); // started, as in a running app after keys.tokens
      const inWorker = await loopDelay(loginAndSign((r, ask) => worker.open(r, ask)));
      rows.push(
        { name: 'token open+sign+close, caller’s thread', doc: 'token', ms: onThread.perOp },
        { name: 'token open+sign+close, token worker', doc: 'token', ms: inWorker.perOp },
        { name: 'event-loop delay p99, login+sign on caller’s thread', doc: 'loop', ms: onThread.p99 },
        { name: 'event-loop delay max, login+sign on caller’s thread', doc: 'loop', ms: onThread.max },
        { name: 'event-loop delay p99, login+sign in token worker', doc: 'loop', ms: inWorker.p99 },
        { name: 'event-loop delay max, login+sign in token worker', doc: 'loop', ms: inWorker.max },
      );
    } finally {
      await worker.close();
    }
    return rows;
  } finally {
    modules.close();
    hsm.cleanup();
    await closeKeyStoreWorker();
  }
}

/**
 * Runs `work` 30 times back to back while perf_hooks samples the event loop every millisecond;
 * the delay is how late the loop ran its timers (what the window and the bridge feel).
 */
async function loopDelay(work: () => Promise<void>): Promise<{ p99: number; max: number; perOp: number }> {
  await work(); // warm-up
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const runs = 30;
  const start = performance.now();
  for (let i = 0; i < runs; i++) await work();
  const perOp = (performance.now() - start) / runs;
  histogram.disable();
  return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6, perOp };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchTokens();
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows)
    console.log(`${r.name.padEnd(width)}  ${r.doc.padEnd(6)}  ${r.ms.toFixed(2).padStart(7)} ms`);
}
