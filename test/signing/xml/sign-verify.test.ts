import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signXml } from '../../../signing/xml/sign.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import { SigningError } from '../../../signing/errors.ts';
import { readEnvelopedDocument } from '../../../signing/xml/enveloped-document.ts';
import { referralXml } from './fixtures.ts';
import { generatedDocuments } from './generated-documents.ts';
import { getXmlTestContext, type XmlTestContext } from './helpers.ts';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
let ctx: XmlTestContext;
beforeAll(async () => {
  ctx = await getXmlTestContext();
});

function elementChildren(node: { childNodes: ArrayLike<unknown> }): Array<{ localName: string; namespaceURI: string | null; getAttribute(n: string): string | null; childNodes: ArrayLike<unknown> }> {
  return Array.from(node.childNodes as ArrayLike<{ nodeType: number }>).filter((n) => n.nodeType === 1) as never;
}

describe('signXml → verifyXml round trips', () => {
  it('verifies a referral-sized document with Kazakh and Russian text, attributes and namespaces', async () => {
    const xml = referralXml();
    const signed = await signXml(xml, ctx.signLeaf.signer);
    const report = await verifyXml(signed, ctx.options);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.subIndication).toBeUndefined();
    expect(report.errors).toEqual([]);
    expect(report.warnings).toContain('Revocation was not checked.');
    expect(report.signer).toMatchObject({ commonName: 'ТЕСТОВ ТЕСТ', iin: '870101300123', purposes: ['SIGN'] });
    expect(report.signers).toBeUndefined();
    // signedXml is the canonical covered document: Kazakh text intact, no signature inside.
    expect(report.signedXml).toContain('<fullName lang="kk">Сәрсенбаев Әлихан Нұрланұлы</fullName>');
    expect(report.signedXml).not.toContain('Signature');
    expect(report.signedXml?.startsWith('<referralRequest xmlns="urn:joldama:referral:1" xmlns:ext="urn:joldama:ext"')).toBe(true);
  });

  it('verifies a reference by the document element Id (URI="#req-1")', async () => {
    const signed = await signXml(referralXml(), ctx.signLeaf.signer, { referenceId: 'req-1' });
    expect(signed).toContain('<ds:Reference URI="#req-1">');
    const report = await verifyXml(signed, ctx.options);
    expect(report.indication).toBe('TOTAL_PASSED');
  });

  it('keeps attribute values with tabs and newlines, CDATA and xml:lang intact', async () => {
    const xml = '<doc xml:lang="kk" a="x&#9;y&#10;z&#13;"><t><![CDATA[<b> & ]]></t><e/></doc>';
    const signed = await signXml(xml, ctx.signLeaf.signer);
    const report = await verifyXml(signed, ctx.options);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signedXml).toBe('<doc a="x&#x9;y&#xA;z&#xD;" xml:lang="kk"><t>&lt;b&gt; &amp; </t><e></e></doc>');
  });

  it('writes the signature into the original text: the rest of the document keeps its bytes', async () => {
    const xml = "<?xml version='1.0'?>\n<doc   b='1'  a=\"2\"><x\u{1F600}/>  <!-- note --></doc  >\n<!-- after </doc> -->\n";
    const signed = await signXml(xml, ctx.signLeaf.signer);
    const at = signed.indexOf('<ds:Signature ');
    expect(signed.slice(0, at)).toBe("<?xml version='1.0'?>\n<doc   b='1'  a=\"2\"><x\u{1F600}/>  <!-- note -->");
    expect(signed.slice(signed.indexOf('</ds:Signature>') + '</ds:Signature>'.length)).toBe('</doc  >\n<!-- after </doc> -->\n');
    expect((await verifyXml(signed, ctx.options)).indication).toBe('TOTAL_PASSED');
  });

  it('signs an empty document element written as <doc/> and a document with a byte-order mark', async () => {
    const empty = await signXml('<doc a="1"/>', ctx.signLeaf.signer);
    expect(empty.startsWith('<doc a="1"><ds:Signature ')).toBe(true);
    expect(empty.endsWith('</ds:Signature></doc>')).toBe(true);
    const report = await verifyXml(empty, ctx.options);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signedXml).toBe('<doc a="1"></doc>');
    const bom = await signXml('\uFEFF<doc>т</doc>', ctx.signLeaf.signer);
    expect((await verifyXml(bom, ctx.options)).signedXml).toBe('<doc>т</doc>');
  });

  it('signs generated documents so that they verify, and signedXml is their canonical form', async () => {
    await fc.assert(
      fc.asyncProperty(generatedDocuments, async (xml) => {
        const original = readEnvelopedDocument(xml);
        if (original.duplicateId !== undefined) {
          // Verification would refuse a repeated ID, so signing refuses it first.
          await expect(signXml(xml, ctx.signLeaf.signer)).rejects.toMatchObject({ code: 'XML_MALFORMED' });
          return;
        }
        const signed = await signXml(xml, ctx.signLeaf.signer);
        const report = await verifyXml(signed, ctx.options);
        expect(report.errors).toEqual([]);
        expect(report.indication).toBe('TOTAL_PASSED');
        expect(report.signedXml).toBe(original.canonicalWithout(0));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses to sign what verification would refuse: a repeated ID, an earlier signature not at the end', async () => {
    await expect(signXml('<a><b Id="x"/><c Id="x"/></a>', ctx.signLeaf.signer)).rejects.toMatchObject({
      code: 'XML_MALFORMED',
      message: expect.stringContaining('"x" appears more than once'),
    });
    const signed = await signXml('<a><b/></a>', ctx.signLeaf.signer);
    const moved = signed.replace('<b/>', '').replace('</a>', '<b/></a>');
    await expect(signXml(moved, ctx.signLeaf.signer)).rejects.toMatchObject({ code: 'XML_MALFORMED' });
    // An earlier signature at the end is fine: the new one follows and covers it.
    expect((await verifyXml(await signXml(signed, ctx.signLeaf.signer), { ...ctx.options, multi: true })).indication).toBe('TOTAL_PASSED');
  });

  it('refuses to sign a reference to an Id the document element does not carry', async () => {
    await expect(signXml('<a Id="x"><b Id="y"/></a>', ctx.signLeaf.signer, { referenceId: 'y' })).rejects.toMatchObject({
      code: 'XML_MALFORMED',
    });
  });

  it('refuses to sign hostile XML with the parser error codes', async () => {
    await expect(signXml('<!DOCTYPE a><a/>', ctx.signLeaf.signer)).rejects.toBeInstanceOf(SigningError);
    await expect(signXml('<!DOCTYPE a><a/>', ctx.signLeaf.signer)).rejects.toMatchObject({ code: 'XML_FORBIDDEN_CONSTRUCT' });
    await expect(signXml('<a>', ctx.signLeaf.signer)).rejects.toMatchObject({ code: 'XML_MALFORMED' });
    await expect(signXml('<a>12345</a>', ctx.signLeaf.signer, { maxBytes: 8 })).rejects.toMatchObject({ code: 'XML_TOO_LARGE' });
  });

  it('reads UTF-8 only: a declaration of any other encoding is refused, signing and verifying', async () => {
    const body = '<a>Қазақ</a>';
    for (const declaration of ['<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' encoding='utf-8'?>"]) {
      const signed = await signXml(declaration + body, ctx.signLeaf.signer);
      expect((await verifyXml(signed, ctx.options)).indication, declaration).toBe('TOTAL_PASSED');
    }
    const signed = await signXml(`<?xml version="1.0" encoding="UTF-8"?>${body}`, ctx.signLeaf.signer);
    for (const encoding of ['ISO-8859-1', 'windows-1251', 'UTF-16', 'UTF8']) {
      const declared = signed.replace('encoding="UTF-8"', `encoding="${encoding}"`);
      // The declaration is not part of the canonical text: only the reader can notice it.
      const report = await verifyXml(declared, ctx.options);
      expect([report.indication, report.subIndication], encoding).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE']);
      expect(report.errors).toEqual([`The XML declares the encoding ${encoding}; only UTF-8 is accepted.`]);
      await expect(signXml(declared, ctx.signLeaf.signer)).rejects.toMatchObject({ code: 'XML_ENCODING_UNSUPPORTED' });
    }
  });

  it('reports the validation time as validatedAt, and input that is not XML as unreadable', async () => {
    const at = new Date('2026-11-01T10:00:00Z');
    const signed = await signXml('<a>x</a>', ctx.signLeaf.signer);
    expect((await verifyXml(signed, { ...ctx.options, at })).validatedAt).toBe(at.toISOString());
    for (const [input, code] of [
      ['not xml', 'XML_MALFORMED'],
      ['<a><b></a>', 'XML_MALFORMED'],
      ['<!DOCTYPE a><a/>', 'XML_FORBIDDEN_CONSTRUCT'],
      ['<?xml version="1.0" encoding="ISO-8859-1"?><a/>', 'XML_ENCODING_UNSUPPORTED'],
    ]) {
      const report = await verifyXml(input as string, { ...ctx.options, at });
      expect([report.indication, report.subIndication, report.unreadable], input).toEqual(['TOTAL_FAILED', 'FORMAT_FAILURE', code]);
      expect(report.validatedAt).toBe(at.toISOString());
    }
    // Read, but not signed the Kalkan way: a verdict on the signature, not unreadable input.
    expect((await verifyXml('<a>x</a>', ctx.options)).unreadable).toBeUndefined();
  });

  it('checks the AUTH purpose when asked', async () => {
    const signed = await signXml('<login><nonce>abc</nonce></login>', ctx.authLeaf.signer);
    expect((await verifyXml(signed, { ...ctx.options, purpose: 'AUTH' })).indication).toBe('TOTAL_PASSED');
  });
});

describe('the Kalkan format, exactly', () => {
  it('appends one ds:Signature as the last child with the Kalkan algorithms in order', async () => {
    const signed = await signXml(referralXml(), ctx.signLeaf.signer);
    const doc = new DOMParser().parseFromString(signed, 'text/xml');
    const root = doc.documentElement!;
    const last = elementChildren(root).at(-1)!;
    expect(last.localName).toBe('Signature');
    expect(last.namespaceURI).toBe(DS);
    expect(root.lastChild).toBe(last);
    expect(signed).toContain('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">');

    const [signedInfo, signatureValue, keyInfo, ...rest] = elementChildren(last);
    expect(rest).toEqual([]);
    expect([signedInfo?.localName, signatureValue?.localName, keyInfo?.localName]).toEqual(['SignedInfo', 'SignatureValue', 'KeyInfo']);
    const [c14n, method, reference, ...more] = elementChildren(signedInfo!);
    expect(more).toEqual([]);
    expect(c14n?.getAttribute('Algorithm')).toBe('http://www.w3.org/TR/2001/REC-xml-c14n-20010315');
    expect(method?.getAttribute('Algorithm')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(reference?.getAttribute('URI')).toBe('');
    const [transforms, digestMethod, digestValue] = elementChildren(reference!);
    expect(elementChildren(transforms!).map((t) => t.getAttribute('Algorithm'))).toEqual([
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
    ]);
    expect(digestMethod?.getAttribute('Algorithm')).toBe('http://www.w3.org/2001/04/xmlenc#sha256');
    expect(digestValue?.localName).toBe('DigestValue');
    const [x509Data, ...noMore] = elementChildren(keyInfo!);
    expect(noMore).toEqual([]);
    const certs = elementChildren(x509Data!);
    expect(certs.map((c) => c.localName)).toEqual(['X509Certificate']);
    const der = Buffer.from((certs[0] as unknown as { textContent: string }).textContent, 'base64');
    expect(der.equals(ctx.signLeaf.certificate.raw)).toBe(true);
  });

  it('keeps the document before the signature byte for byte in meaning (xml declaration kept)', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<a><b x="1">т</b></a>';
    const signed = await signXml(xml, ctx.signLeaf.signer);
    expect(signed.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<a><b x="1">т</b><ds:Signature ')).toBe(true);
    expect(signed.endsWith('</ds:Signature></a>')).toBe(true);
  });

  it('appends a second signature after the first (multi-signature convention)', async () => {
    const once = await signXml(referralXml(), ctx.signLeaf.signer);
    const twice = await signXml(once, ctx.authLeaf.signer);
    expect(twice.startsWith(once.slice(0, once.lastIndexOf('</referralRequest>')))).toBe(true);
    expect(twice.match(/<ds:Signature /g)).toHaveLength(2);
  });
});
