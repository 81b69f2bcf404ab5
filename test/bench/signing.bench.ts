/**
 * `npm run bench`: XML signing and verification costs, one run, printed as a table.
 * Ceiling: raw node:crypto RSA-2048. Floor: xml-crypto's plain sign / checkSignature (no structure
 * checks, no certificate validation). Ours: signXml, and verifyXml with every check on and
 * revocation decided by a local CRL. Documents: a ~2 KB referral and a ~1 MB one; then 10k and 100k
 * attributes or namespace declarations on the document element beside a child (xml-growth.bench.ts). Then key stores
 * (keystore.bench.ts) and tokens through SoftHSM with the key-store worker (tokens.bench.ts).
 * Then the "cli" section (cli.bench.ts): the joldama command as a whole process against xmlsec1.
 */
import { sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { createRevocationChecker } from '../../signing/trust/revocation/checker.ts';
import { TrustStore } from '../../signing/trust/trust-store.ts';
import { signXml } from '../../signing/xml/sign.ts';
import { verifyXml, type VerifyXmlOptions } from '../../signing/xml/verify.ts';
import { getTestPki, referralXml } from '../signing/xml/fixtures.ts';
import { benchCli } from './cli.bench.ts';
import { benchKeystore } from './keystore.bench.ts';
import { benchTokens } from './tokens.bench.ts';
import { medianMs } from './median-time.ts';
import { benchXmlGrowth, growthGoals } from './xml-growth.bench.ts';

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

interface Row {
  name: string;
  doc: string;
  ms: number;
}

/** ~1 MB: the referral with a long change history (element-heavy, like a real journal export). */
function largeXml(): string {
  const entry = (i: number): string =>
    `\n  <historyEntry n="${i}" at="2026-11-${String((i % 28) + 1).padStart(2, '0')}T10:00:00+06:00" status="Кезекте">` +
    `<by>Сәрсенбаев Әлихан Нұрланұлы</by><note>Өтініш кезекте тұр; нөмір ${i} / заявление в очереди</note></historyEntry>`;
  let extra = '';
  let bytes = Buffer.byteLength(referralXml());
  for (let i = 0; bytes < 1024 * 1024; i++) {
    const e = entry(i);
    extra += e;
    bytes += Buffer.byteLength(e);
  }
  return referralXml(extra);
}

async function main(): Promise<void> {
  const pki = await getTestPki();
  const leaf = await pki.issue({ purpose: 'SIGN' });
  const keyPem = leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certPem = leaf.certificate.toString();
  const options: VerifyXmlOptions = {
    trust: TrustStore.fromCertificates([pki.ca]),
    purpose: 'SIGN',
    // One long-lived checker, as the portal keeps: the parsed, verified CRL is cached.
    revocation: { crls: [await pki.crl(['0badc0de'])], ocsp: false, checker: createRevocationChecker() },
  };
  const rows: Row[] = [];
  const data = Buffer.from('x'.repeat(2048));
  const raw = rsaSign('sha256', data, leaf.privateKey);
  rows.push({
    name: 'node:crypto RSA-2048 sign (ceiling)',
    doc: '2 KB',
    ms: await medianMs(() => rsaSign('sha256', data, leaf.privateKey)),
  });
  rows.push({
    name: 'node:crypto RSA-2048 verify (ceiling)',
    doc: '2 KB',
    ms: await medianMs(() => rsaVerify('sha256', data, leaf.certificate.publicKey, raw)),
  });

  for (const [doc, xml] of [
    ['2 KB', referralXml()],
    ['1 MB', largeXml()],
  ] as const) {
    const size = `${doc} (${(Buffer.byteLength(xml) / 1024).toFixed(0)} KiB)`;
    const ours = await signXml(xml, leaf.signer);
    const check = await verifyXml(ours, options);
    if (check.indication !== 'TOTAL_PASSED') throw new Error(`bench setup: ${JSON.stringify(check.errors)}`);

    const xmlCryptoSign = (): string => {
      const sig = new SignedXml({ privateKey: keyPem, publicCert: certPem });
      sig.signatureAlgorithm = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
      sig.canonicalizationAlgorithm = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
      sig.addReference({
        xpath: '/*',
        uri: '',
        isEmptyUri: true,
        transforms: [
          `${DSIG}enveloped-signature`,
          'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
        ],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      });
      sig.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'append' } });
      return sig.getSignedXml();
    };
    const xmlCryptoVerify = (signed: string): boolean => {
      const v = new SignedXml({ publicCert: certPem });
      const node = new DOMParser()
        .parseFromString(signed, 'text/xml')
        .getElementsByTagNameNS(DSIG, 'Signature')
        .item(0);
      v.loadSignature(node!.toString());
      return v.checkSignature(signed);
    };
    if (!xmlCryptoVerify(ours)) throw new Error('bench setup: xml-crypto rejects our signature');

    rows.push({ name: 'xml-crypto sign (floor)', doc: size, ms: await medianMs(xmlCryptoSign) });
    rows.push({ name: 'signXml', doc: size, ms: await medianMs(() => signXml(xml, leaf.signer)) });
    rows.push({
      name: 'xml-crypto checkSignature (floor)',
      doc: size,
      ms: await medianMs(() => xmlCryptoVerify(ours)),
    });
    rows.push({
      name: 'verifyXml (all checks, cached local CRL)',
      doc: size,
      ms: await medianMs(() => verifyXml(ours, options)),
    });
  }

  // Many attributes / namespace declarations on one start tag: document element beside a child.
  const growth = await benchXmlGrowth(leaf.signer, options);
  rows.push(...growth);

  // Opening .p12 files (NCA legacy and PBES2), in the same table.
  for (const r of await benchKeystore()) rows.push({ name: r.name, doc: '.p12', ms: r.msPerOp });
  // Hardware tokens through SoftHSM beside file keys, and the key-store worker's overhead.
  rows.push(...(await benchTokens()));

  const width = Math.max(...rows.map((r) => r.name.length));
  const docWidth = Math.max(...rows.map((r) => r.doc.length));
  console.log(`${'operation'.padEnd(width)}  ${'document'.padEnd(docWidth)}  ms/op`);
  console.log(`${'-'.repeat(width)}  ${'-'.repeat(docWidth)}  ------`);
  for (const r of rows)
    console.log(`${r.name.padEnd(width)}  ${r.doc.padEnd(docWidth)}  ${r.ms.toFixed(2).padStart(6)}`);

  const find = (name: string, doc: string): number =>
    rows.find((r) => r.name.startsWith(name) && r.doc.startsWith(doc))?.ms ?? NaN;
  console.log('\nGoals:');
  for (const doc of ['2 KB', '1 MB']) {
    const ratio = find('verifyXml', doc) / find('xml-crypto checkSignature', doc);
    console.log(
      `  verifyXml ≤ 1.2× xml-crypto verify (${doc}): ${ratio.toFixed(2)}× ${ratio <= 1.2 ? 'met' : 'NOT met'}`,
    );
  }
  for (const line of growthGoals(growth)) console.log(`  ${line}`);
  const sign2k = find('signXml', '2 KB');
  console.log(`  signXml 2 KB < 2 ms: ${sign2k.toFixed(2)} ms ${sign2k < 2 ? 'met' : 'NOT met'}`);
  const verify1m = find('verifyXml', '1 MB');
  const ncaOpen = find('openKeyStore NCA legacy (.p12, 3DES/RC2-40, SHA-1 MAC)', '.p12');
  console.log(
    `  NCA-format .p12 opened < 50 ms: ${ncaOpen.toFixed(1)} ms ${ncaOpen < 50 ? 'met' : 'NOT met'}`,
  );
  console.log(`  1 MB verified < 100 ms: ${verify1m.toFixed(1)} ms ${verify1m < 100 ? 'met' : 'NOT met'}`);
  const workerOverhead = find('openKeyStoreInWorker', '.p12') - find('openKeyStore NCA .p12, caller', '.p12');
  console.log(`  key-store worker overhead per NCA .p12: ${workerOverhead.toFixed(1)} ms`);
  const tokenSign = find('signXml, SoftHSM', '2 KB') / find('signXml, file key', '2 KB');
  console.log(`  SoftHSM token signXml vs file key (2 KB): ${tokenSign.toFixed(2)}×`);
  const loopMax = (where: string) => find(`event-loop delay max, login+sign ${where}`, 'loop');
  console.log(
    `  main's event-loop delay during token login+sign, max: ${loopMax('on caller').toFixed(1)} ms on the thread, ${loopMax('in token worker').toFixed(1)} ms with the token worker`,
  );
}

await main();
await benchCli();
