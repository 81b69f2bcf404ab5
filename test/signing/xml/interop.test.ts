/**
 * Interoperability: xmlsec1 (libxmlsec1, the reference C implementation) verifies what we sign and
 * signs what we verify; xml-crypto's own checkSignature gives a second opinion on valid documents.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signXml } from '../../../signing/xml/sign.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import fc from 'fast-check';
import { referralXml } from './fixtures.ts';
import { generatedDocuments } from './generated-documents.ts';
import { getXmlTestContext, type XmlTestContext } from './helpers.ts';

const run = promisify(execFile);
let ctx: XmlTestContext;
let dir: string;
let certPem: string;
let caPem: string;
let keyPem: string;

beforeAll(async () => {
  ctx = await getXmlTestContext();
  dir = await mkdtemp(join(tmpdir(), 'joldama-xml-interop-'));
  certPem = join(dir, 'cert.pem');
  caPem = join(dir, 'ca.pem');
  keyPem = join(dir, 'key.pem');
  await writeFile(certPem, ctx.signLeaf.certificate.toString());
  await writeFile(caPem, ctx.pki.caPem);
  await writeFile(keyPem, ctx.signLeaf.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** xmlsec1's verdict: true when it exits 0 having printed OK (it may log chain notes before). */
async function xmlsecVerifies(xml: string, extra: string[]): Promise<boolean> {
  const file = join(dir, `v-${Math.random().toString(36).slice(2)}.xml`);
  await writeFile(file, xml);
  try {
    const { stderr } = await run('xmlsec1', ['--verify', ...extra, file]);
    return /^OK$/m.test(stderr);
  } catch {
    return false;
  }
}

const DOCS: Record<string, string> = {
  referral: referralXml(),
  'default namespace, xml:lang, comment, tab in attribute': '<a xmlns="urn:x" xmlns:p="urn:p" xml:lang="kk" p:t="1&#9;2"><!-- c --><b>Қазақ</b><p:c/></a>',
  // Code point order puts B before a (xml-crypto's localeCompare would not); CR and astral characters.
  'upper- and lower-case prefixes, character references, CDATA': '<r xmlns:a="urn:a" xmlns:B="urn:b" B:x="1" a:y="2"><B:e a:z="&amp;&lt;&#13;"><![CDATA[a < b]]></B:e><a:f xmlns="urn:d">&#x1F600;&gt;</a:f><b>\r\nx</b></r>',
};

describe('xmlsec1 verifies what signXml signs', () => {
  for (const [name, xml] of Object.entries(DOCS)) {
    it(`URI="" — ${name}`, async () => {
      const signed = await signXml(xml, ctx.signLeaf.signer);
      expect(await xmlsecVerifies(signed, ['--pubkey-cert-pem', certPem, '--enabled-reference-uris', 'empty,same-doc'])).toBe(true);
      // Trusting only the CA: xmlsec1 takes the certificate from KeyInfo and builds the chain.
      expect(await xmlsecVerifies(signed, ['--trusted-pem', caPem, '--enabled-reference-uris', 'empty'])).toBe(true);
    });
  }

  it('URI="#req-1"', async () => {
    const signed = await signXml(referralXml(), ctx.signLeaf.signer, { referenceId: 'req-1' });
    expect(
      await xmlsecVerifies(signed, ['--pubkey-cert-pem', certPem, '--enabled-reference-uris', 'same-doc', '--id-attr:Id', 'referralRequest']),
    ).toBe(true);
  });

  it('on 25 generated documents (namespaces, escapes, CDATA, comments, line ends)', async () => {
    for (const xml of fc.sample(generatedDocuments, { numRuns: 25, seed: 7 })) {
      const signed = await signXml(xml, ctx.signLeaf.signer);
      expect(await xmlsecVerifies(signed, ['--pubkey-cert-pem', certPem, '--enabled-reference-uris', 'empty']), xml).toBe(true);
    }
  });

  it('xmlsec1 reads the bytes by the declared encoding (why verifyXml refuses any but UTF-8)', async () => {
    const signed = await signXml('<?xml version="1.0" encoding="UTF-8"?><a>Қазақ</a>', ctx.signLeaf.signer);
    const args = ['--pubkey-cert-pem', certPem, '--enabled-reference-uris', 'empty'];
    expect(await xmlsecVerifies(signed, args)).toBe(true);
    expect(await xmlsecVerifies(signed.replace('UTF-8', 'ISO-8859-1'), args)).toBe(false);
  });

  it('xmlsec1 rejects a document we signed and someone changed (the check is real)', async () => {
    const signed = await signXml(referralXml(), ctx.signLeaf.signer);
    const changed = signed.replace('<queueNumber>42</queueNumber>', '<queueNumber>1</queueNumber>');
    expect(await xmlsecVerifies(changed, ['--pubkey-cert-pem', certPem, '--enabled-reference-uris', 'empty'])).toBe(false);
  });
});

describe('verifyXml verifies what xmlsec1 signs from a Kalkan template', () => {
  const template = (body: string): string =>
    body.replace(
      /<\/([A-Za-z]+)>\s*$/,
      `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>` +
        `<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>` +
        `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>` +
        `<ds:Reference URI=""><ds:Transforms>` +
        `<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>` +
        `<ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"/>` +
        `</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>` +
        `<ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue/>` +
        `<ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature></$1>`,
    );

  for (const [name, xml] of Object.entries(DOCS)) {
    it(name, async () => {
      const file = join(dir, 'template.xml');
      await writeFile(file, template(xml.replace(/^<\?xml[^>]*>\s*/, '')));
      const { stdout } = await run('xmlsec1', ['--sign', '--privkey-pem', `${keyPem},${certPem}`, file]);
      expect(stdout).toContain('<ds:X509Certificate>');
      const report = await verifyXml(stdout, ctx.options);
      expect(report.errors).toEqual([]);
      expect(report.indication).toBe('TOTAL_PASSED');
      expect(report.signer?.iin).toBe('870101300123');
      // Changing a covered byte of xmlsec1's output fails with us too.
      const changed = stdout.replace(/<b>|<queueNumber>/, (m) => `${m}9`);
      expect((await verifyXml(changed, ctx.options)).subIndication).toBe('HASH_FAILURE');
    });
  }
});

// xml-crypto does not render xml:* attributes inherited by SignedInfo (C14N 1.0 requires it; xmlsec1
// does), so its opinion is asked only on documents without xml:lang on the document element.
const XML_CRYPTO_DOCS: Record<string, string> = {
  referral: referralXml(),
  'namespaces and a comment': '<a xmlns="urn:x" xmlns:p="urn:p" p:t="1&#9;2"><!-- c --><b>Қазақ</b><p:c/></a>',
};

describe("xml-crypto's checkSignature agrees on valid documents", () => {
  for (const [name, xml] of Object.entries(XML_CRYPTO_DOCS)) {
    it(name, async () => {
      const signed = await signXml(xml, ctx.signLeaf.signer);
      const check = new SignedXml({ publicCert: ctx.signLeaf.certificate.toString() });
      const doc = new DOMParser().parseFromString(signed, 'text/xml');
      check.loadSignature(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').item(0)!.toString());
      expect(check.checkSignature(signed)).toBe(true);
      expect((await verifyXml(signed, ctx.options)).indication).toBe('TOTAL_PASSED');
    });
  }
});
