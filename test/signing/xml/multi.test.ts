/** Kalkan's multi-signature convention: each signature appended after, and covering, the earlier ones. */
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_SIGNATURES } from '../../../signing/xml/dsig.ts';
import { signXml } from '../../../signing/xml/sign.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import type { Leaf } from './fixtures.ts';
import { referralXml } from './fixtures.ts';
import { getXmlTestContext, type XmlTestContext } from './helpers.ts';

let ctx: XmlTestContext;
let second: Leaf;
let twice: string;

beforeAll(async () => {
  ctx = await getXmlTestContext();
  second = await ctx.pki.issue({ otherKey: true, commonName: 'ЕКІНШІ ҚОЛТАҢБА', iin: '900202400456' });
  twice = await signXml(await signXml(referralXml(), ctx.signLeaf.signer), second.signer);
});

describe('multi-signature documents', () => {
  it('verifies two RSA signers and reports both in order', async () => {
    const report = await verifyXml(twice, { ...ctx.options, multi: true });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signer).toBeUndefined();
    expect(report.signers?.map((s) => [s.indication, s.signer?.commonName, s.signer?.iin])).toEqual([
      ['TOTAL_PASSED', 'ТЕСТОВ ТЕСТ', '870101300123'],
      ['TOTAL_PASSED', 'ЕКІНШІ ҚОЛТАҢБА', '900202400456'],
    ]);
    // signedXml is what the first signature covered: the document without any signature.
    expect(report.signedXml).not.toContain('Signature');
    expect(report.signedXml).toContain('<iin>200315600127</iin>');
  });

  it('insists on the expected count', async () => {
    const three = await verifyXml(twice, { ...ctx.options, multi: true, expectedSignatures: 3 });
    expect([three.indication, three.subIndication]).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE']);
    expect((await verifyXml(twice, { ...ctx.options, multi: true, expectedSignatures: 2 })).indication).toBe('TOTAL_PASSED');
  });

  it('one signer document verified with multi reports one signer', async () => {
    const once = await signXml(referralXml(), ctx.signLeaf.signer);
    const report = await verifyXml(once, { ...ctx.options, multi: true });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signers).toHaveLength(1);
  });

  it('a document changed after the first signature: the first fails, the second still passes', async () => {
    const first = await signXml(referralXml(), ctx.signLeaf.signer);
    const tampered = first.replace('<queueNumber>42</queueNumber>', '<queueNumber>1</queueNumber>');
    const both = await signXml(tampered, second.signer);
    const report = await verifyXml(both, { ...ctx.options, multi: true });
    expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
    expect(report.signers?.map((s) => s.indication)).toEqual(['TOTAL_FAILED', 'TOTAL_PASSED']);
    expect(report.errors).toEqual(['Signature 1: The document was changed after it was signed.']);
    expect(report.signedXml).toBeUndefined();
  });

  it('checking one signature leaves the document as it was for the next (whitespace between them)', async () => {
    const first = await signXml('<a><b>x</b></a>', ctx.signLeaf.signer);
    // Whitespace after the first signature breaks it (the enveloped transform keeps whitespace)...
    const spaced = first.replace('</ds:Signature></a>', '</ds:Signature>\n</a>');
    const both = await signXml(spaced, second.signer);
    const report = await verifyXml(both, { ...ctx.options, multi: true });
    // ...but the second signature covered exactly that document and still verifies.
    expect(report.signers?.map((s) => [s.indication, s.subIndication])).toEqual([
      ['TOTAL_FAILED', 'HASH_FAILURE'],
      ['TOTAL_PASSED', undefined],
    ]);
  });

  it('each signature covers the whitespace after it, and the later signatures do not cover it', async () => {
    const one = await signXml('<a><b>x</b></a>', ctx.signLeaf.signer);
    const two = await signXml(one.replace('</a>', '\n</a>'), second.signer);
    const three = await signXml(two.replace('</a>', ' </a>'), ctx.signLeaf.signer);
    const report = await verifyXml(three, { ...ctx.options, multi: true });
    // The first two were signed before the whitespace after them was there; the third covers it all.
    expect(report.signers?.map((s) => [s.indication, s.subIndication])).toEqual([
      ['TOTAL_FAILED', 'HASH_FAILURE'],
      ['TOTAL_FAILED', 'HASH_FAILURE'],
      ['TOTAL_PASSED', undefined],
    ]);
    // The same signatures with nothing between them: now the first holds, the later ones covered whitespace.
    const tight = three.replace('</ds:Signature>\n', '</ds:Signature>').replace('</ds:Signature> ', '</ds:Signature>');
    expect((await verifyXml(tight, { ...ctx.options, multi: true })).signers?.map((s) => s.indication)).toEqual([
      'TOTAL_PASSED',
      'TOTAL_FAILED',
      'TOTAL_FAILED',
    ]);
  });

  it(`refuses more than ${MAX_SIGNATURES} signatures, when verifying and when signing`, async () => {
    const signed = await signXml('<a>x</a>', ctx.signLeaf.signer);
    const signature = /<ds:Signature [\s\S]*?<\/ds:Signature>/.exec(signed)![0];
    const withSignatures = (n: number): string => `<a>x${signature.repeat(n)}</a>`;
    const report = await verifyXml(withSignatures(MAX_SIGNATURES + 1), { ...ctx.options, multi: true });
    expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE']);
    expect(report.errors).toEqual([`The document has ${MAX_SIGNATURES + 1} signatures; at most ${MAX_SIGNATURES} are accepted.`]);
    await expect(signXml(withSignatures(MAX_SIGNATURES), ctx.signLeaf.signer)).rejects.toMatchObject({
      code: 'XML_MALFORMED',
    });
  });

  it('removing the first signature breaks the second, which covered it', async () => {
    const firstSig = /<ds:Signature [\s\S]*?<\/ds:Signature>/.exec(twice)![0];
    const report = await verifyXml(twice.replace(firstSig, ''), { ...ctx.options, multi: true });
    expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
  });

  it('removing the last signature leaves the first valid', async () => {
    const sigs = twice.match(/<ds:Signature [\s\S]*?<\/ds:Signature>/g)!;
    const report = await verifyXml(twice.replace(sigs[1]!, ''), { ...ctx.options, multi: true });
    expect(report.indication).toBe('TOTAL_PASSED');
  });

  it('a GOST signer is INDETERMINATE without hiding the RSA one', async () => {
    const sigs = twice.match(/<ds:Signature [\s\S]*?<\/ds:Signature>/g)!;
    const gost = sigs[1]!.replace(
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      'http://www.w3.org/2001/04/xmldsig-more#gostr34102001-gostr3411',
    );
    const report = await verifyXml(twice.replace(sigs[1]!, gost), { ...ctx.options, multi: true });
    expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'UNSUPPORTED_ALGORITHM']);
    expect(report.signers?.map((s) => [s.indication, s.subIndication, s.signer?.commonName])).toEqual([
      ['TOTAL_PASSED', undefined, 'ТЕСТОВ ТЕСТ'],
      ['INDETERMINATE', 'UNSUPPORTED_ALGORITHM', 'ЕКІНШІ ҚОЛТАҢБА'],
    ]);
    expect(report.signedXml).toContain('<queueNumber>42</queueNumber>');
  });
});
