/**
 * `npm run bench` (second table): the NCALayer service. A 2 KB XML sign request's round trip through
 * the socket (TLS WebSocket from a Node client in the same process, the dialog answered at once,
 * the rate limit lifted for the run) beside signXml alone; and a 10 MB CMS: signCms alone
 * (attached, detached) beside the same request through the socket, with the memory it took.
 */
import { referralXml } from '../signing/xml/fixtures.ts';
import WebSocket from 'ws';
import { signCms } from '../../signing/cms/sign.ts';
import { signXml } from '../../signing/xml/sign.ts';
import { startService } from '../main/ncalayer/fixtures.ts';
import { medianMs } from './median-time.ts';

interface Row {
  name: string;
  doc: string;
  ms: number;
  note?: string;
}

/** Peak growth of the resident set while `fn` runs, sampled every 5 ms. */
async function peakRssGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; mb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, mb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const service = await startService({ limits: { burst: 1e9, perSecond: 1e9 } });
  const signer = service.user.defaultSigner;
  const socket = new WebSocket(service.url, { ca: service.tls.cert, origin: 'https://portal.test' });
  const replies: Array<(text: string) => void> = [];
  socket.on('message', (data) => replies.shift()?.(String(data)));
  await new Promise<void>((resolve) => {
    replies.push(() => resolve()); // the greeting
  });
  const roundTrip = (request: unknown): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      replies.push((text) => resolve(JSON.parse(text) as Record<string, unknown>));
      socket.send(JSON.stringify(request));
    });

  const xml = referralXml();
  const size = `${(Buffer.byteLength(xml) / 1024).toFixed(1)} KiB`;
  const basicsXml = { module: 'kz.gov.pki.knca.basics', method: 'sign', args: { format: 'xml', data: xml, signingParams: {}, signerParams: { extKeyUsageOids: [] } } };
  const commonXml = { module: 'kz.gov.pki.knca.commonUtils', method: 'signXml', args: ['PKCS12', 'SIGNATURE', xml, '', ''] };
  if ((await roundTrip(basicsXml)).status !== true) throw new Error('bench setup: the XML request failed');

  const rows: Row[] = [
    { name: 'signXml alone (ceiling)', doc: size, ms: await medianMs(() => signXml(xml, signer)) },
    { name: 'basics.sign xml through the socket', doc: size, ms: await medianMs(() => roundTrip(basicsXml)) },
    { name: 'commonUtils.signXml through the socket', doc: size, ms: await medianMs(() => roundTrip(commonXml)) },
  ];

  const big = Buffer.alloc(10 * 1024 * 1024, 0x5a);
  const cmsRequest = {
    module: 'kz.gov.pki.knca.basics',
    method: 'sign',
    args: { format: 'cms', data: big.toString('base64'), signingParams: { decode: true, encapsulate: true }, signerParams: { extKeyUsageOids: [] } },
  };
  for (const attached of [true, false]) {
    const { mb } = await peakRssGrowth(() => signCms({ bytes: big }, signer, { attached }));
    rows.push({
      name: `signCms alone, ${attached ? 'attached' : 'detached'}`,
      doc: '10 MiB',
      ms: await medianMs(() => signCms({ bytes: big }, signer, { attached }), 3000),
      note: `rss +${mb.toFixed(0)} MB`,
    });
  }
  const { result, mb } = await peakRssGrowth(() => roundTrip(cmsRequest));
  if (result.status !== true) throw new Error('bench setup: the 10 MB request failed');
  rows.push({ name: 'basics.sign cms attached through the socket', doc: '10 MiB', ms: await medianMs(() => roundTrip(cmsRequest), 5000), note: `rss +${mb.toFixed(0)} MB` });

  socket.close();
  await service.stop();

  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`\n${'NCALayer service'.padEnd(width)}  document  ms/op    memory`);
  console.log(`${'-'.repeat(width)}  --------  -------  ------`);
  for (const r of rows) console.log(`${r.name.padEnd(width)}  ${r.doc.padEnd(8)}  ${r.ms.toFixed(2).padStart(7)}  ${r.note ?? ''}`);
  const overhead = rows[1]!.ms - rows[0]!.ms;
  console.log(`\n  socket, JSON and dialog plumbing per 2 KB request: ${overhead.toFixed(2)} ms`);
}

await main();
