/**
 * Token and worker costs, side by side in `npm run bench`: signXml of a 2 KB referral with a key on
 * a SoftHSM token beside the same key from its .p12; listing tokens and their certificates; opening
 * an NCA-format .p12 in the worker thread beside opening it on the caller's thread (the worker's
 * overhead is the difference). Run alone: `npx tsx test/bench/tokens.bench.ts`.
 */
import { fileURLToPath } from 'node:url';
import { fileSigner } from '../../signing/keystore/file-signer.ts';
import { closeKeyStoreWorker, openKeyStoreInWorker } from '../../signing/keystore/in-worker.ts';
import { openKeyStore } from '../../signing/keystore/pkcs12.ts';
import type { TokenKeyRef } from '../../signing/keys/key-source.ts';
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
    return rows;
  } finally {
    modules.close();
    hsm.cleanup();
    await closeKeyStoreWorker();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await benchTokens();
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows)
    console.log(`${r.name.padEnd(width)}  ${r.doc.padEnd(6)}  ${r.ms.toFixed(2).padStart(7)} ms`);
}
