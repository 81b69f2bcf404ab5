/**
 * The attack corpus: one test per published attack on XML signatures, each with its exact verdict.
 * XSW1–XSW8 follow the McIntosh/Somorovsky taxonomy, adapted to Kalkan documents (the signed object
 * is the document element, referenced as "#r1").
 */
import { SignedXml } from 'xml-crypto';
import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { signXml } from '../../../signing/xml/sign.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import type { VerificationReport } from '../../../signing/types.ts';
import { getXmlTestContext, type XmlTestContext } from './helpers.ts';

const ORIGINAL = '<iin>870101300123</iin><amount>100</amount>';
const EVIL = '<iin>999999999999</iin><amount>1000000</amount>';
let ctx: XmlTestContext;
/** Signed with URI="#r1". */
let signedById: string;
/** Signed with URI="". */
let signed: string;
let signature: string;

function signatureOf(xml: string): string {
  return xml.slice(xml.indexOf('<ds:Signature'), xml.indexOf('</ds:Signature>') + '</ds:Signature>'.length);
}
/** Puts `content` inside the signature, after KeyInfo. */
function insideSignature(sig: string, content: string): string {
  return sig.replace('</ds:Signature>', `${content}</ds:Signature>`);
}
function expectVerdict(report: VerificationReport, indication: string, subIndication: string, message?: RegExp): void {
  expect({ indication: report.indication, subIndication: report.subIndication }).toEqual({ indication, subIndication });
  expect(report.signedXml).toBeUndefined();
  if (message) expect(report.errors.join(' ')).toMatch(message);
}

beforeAll(async () => {
  ctx = await getXmlTestContext();
  signedById = await signXml(`<Referral Id="r1">${ORIGINAL}</Referral>`, ctx.signLeaf.signer, { referenceId: 'r1' });
  signed = await signXml(`<Referral>${ORIGINAL}</Referral>`, ctx.signLeaf.signer);
  signature = signatureOf(signedById);
  // The baseline the attacks start from verifies.
  expect((await verifyXml(signedById, ctx.options)).indication).toBe('TOTAL_PASSED');
  expect((await verifyXml(signed, ctx.options)).indication).toBe('TOTAL_PASSED');
});

describe('XML Signature Wrapping (XSW1–XSW8)', () => {
  it('XSW1: evil root, signed original copied into the Signature', async () => {
    const xml = `<Referral Id="evil">${EVIL}${insideSignature(signature, `<Referral Id="r1">${ORIGINAL}</Referral>`)}</Referral>`;
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /exactly SignedInfo, SignatureValue and KeyInfo/);
  });

  it('XSW2: evil root, signed original as a detached sibling before the Signature', async () => {
    const xml = `<Referral Id="evil">${EVIL}<Referral Id="r1">${ORIGINAL}</Referral>${signature}</Referral>`;
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'SIGNED_DATA_NOT_FOUND', /Reference points elsewhere/);
  });

  it('XSW3: evil element with the same ID placed before the signed original', async () => {
    const xml = `<Envelope><Referral Id="r1">${EVIL}</Referral><Referral Id="r1">${ORIGINAL}${signature}</Referral></Envelope>`;
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /not a direct child of the document element/);
  });

  it('XSW4: signed original wrapped inside the evil element', async () => {
    const xml = `<Referral Id="r1">${EVIL}<Wrapper><Referral Id="r1">${ORIGINAL}</Referral></Wrapper>${signature}</Referral>`;
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /ID "r1" appears more than once/);
  });

  it('XSW5: the signature moved into the evil element, original copied after it', async () => {
    const xml = `<Envelope><Referral Id="r1">${EVIL}${signature}</Referral><Referral Id="r1">${ORIGINAL}</Referral></Envelope>`;
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /not a direct child/);
  });

  it('XSW6: evil root keeps the ID, original copied into a ds:Object of the Signature', async () => {
    const xml = `<Referral Id="r1">${EVIL}${insideSignature(signature, `<ds:Object><Referral Id="r1">${ORIGINAL}</Referral></ds:Object>`)}</Referral>`;
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /ID "r1" appears more than once/);
  });

  it('XSW7: original hidden in an Extensions element of the evil root', async () => {
    const xml = `<Referral Id="evil">${EVIL}<Extensions><Referral Id="r1">${ORIGINAL}</Referral></Extensions>${signature}</Referral>`;
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'SIGNED_DATA_NOT_FOUND');
  });

  it('XSW8: original hidden in a ds:Object, evil root with another ID', async () => {
    const xml = `<Referral Id="evil">${EVIL}${insideSignature(signature, `<ds:Object><Referral Id="r1">${ORIGINAL}</Referral></ds:Object>`)}</Referral>`;
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /no Object/);
  });

  it('the same content swap under URI="" breaks the digest', async () => {
    expectVerdict(await verifyXml(signed.replace(ORIGINAL, EVIL), ctx.options), 'TOTAL_FAILED', 'HASH_FAILURE', /changed after it was signed/);
  });
});

describe('comments and text nodes', () => {
  it('comment injection inside the IIN: still valid (comments are not covered) and signedXml reads one IIN', async () => {
    const injected = signed.replace('<iin>870101300123</iin>', '<iin>870101<!---->300123</iin>');
    // A naive consumer reading the first text node of the input would see "870101".
    const naive = new DOMParser().parseFromString(injected, 'text/xml').getElementsByTagName('iin').item(0)?.firstChild?.nodeValue;
    expect(naive).toBe('870101');
    const report = await verifyXml(injected, ctx.options);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signedXml).toBe('<Referral><iin>870101300123</iin><amount>100</amount></Referral>');
    const covered = new DOMParser().parseFromString(report.signedXml!, 'text/xml').getElementsByTagName('iin').item(0);
    expect(covered?.childNodes.length).toBe(1);
    expect(covered?.firstChild?.nodeValue).toBe('870101300123');
  });

  it('a comment in the signed document is not part of signedXml', async () => {
    const withComment = await signXml('<Referral><!-- note --><iin>870101300123</iin></Referral>', ctx.signLeaf.signer);
    const report = await verifyXml(withComment, ctx.options);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signedXml).toBe('<Referral><iin>870101300123</iin></Referral>');
  });

  it('text-node injection (a digit added in the IIN) breaks the digest', async () => {
    const injected = signed.replace('<iin>870101300123</iin>', '<iin>870101300123<![CDATA[4]]></iin>');
    expectVerdict(await verifyXml(injected, ctx.options), 'TOTAL_FAILED', 'HASH_FAILURE');
  });

  it('whitespace text added between elements breaks the digest', async () => {
    expectVerdict(await verifyXml(signed.replace('</iin><amount>', '</iin>\n<amount>'), ctx.options), 'TOTAL_FAILED', 'HASH_FAILURE');
  });

  it('text hidden in the signature is rejected', async () => {
    const xml = signed.replace('<ds:SignedInfo>', 'EVIL<ds:SignedInfo>');
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /unexpected text or comments/);
  });
});

describe('signature placement and count', () => {
  it('a second signature where one is expected', async () => {
    const twice = await signXml(signed, ctx.authLeaf.signer);
    expectVerdict(await verifyXml(twice, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /2 signatures; 1 was expected/);
  });

  it('a copy of the signature appended again', async () => {
    const sig = signatureOf(signed);
    expectVerdict(await verifyXml(signed.replace('</Referral>', `${sig}</Referral>`), ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /2 signatures/);
  });

  it('signature not last', async () => {
    const sig = signatureOf(signed);
    const xml = `<Referral>${sig}${ORIGINAL}</Referral>`;
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /not the last children/);
  });

  it('signature not a child of the document element', async () => {
    const sig = signatureOf(signed);
    expectVerdict(await verifyXml(`<Referral>${ORIGINAL}<x>${sig}</x></Referral>`, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /not a direct child/);
  });

  it('an unsigned document', async () => {
    expectVerdict(await verifyXml(`<Referral>${ORIGINAL}</Referral>`, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /not signed/);
  });
});

describe('references (signed by xml-crypto, which accepts them, to show the difference)', () => {
  const key = (): string => ctx.signLeaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  function xmlCryptoSign(xml: string, refs: Array<{ xpath: string; uri?: string }>): string {
    const sig = new SignedXml({ privateKey: key(), publicCert: ctx.signLeaf.certificate.toString() });
    sig.signatureAlgorithm = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
    sig.canonicalizationAlgorithm = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
    for (const r of refs) {
      sig.addReference({
        xpath: r.xpath,
        transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
        ...(r.uri !== undefined ? { uri: r.uri, isEmptyUri: r.uri === '' } : {}),
      });
    }
    sig.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'append' } });
    return sig.getSignedXml();
  }
  function xmlCryptoAccepts(xml: string): boolean {
    const check = new SignedXml({ publicCert: ctx.signLeaf.certificate.toString() });
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    check.loadSignature(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').item(0)!.toString());
    return check.checkSignature(xml);
  }

  it('a reference to a sub-element, not the whole document', async () => {
    const xml = xmlCryptoSign('<Referral><data Id="d"><iin>870101300123</iin></data><amount>1000000</amount></Referral>', [{ xpath: "//*[@Id='d']" }]);
    expect(xmlCryptoAccepts(xml)).toBe(true);
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'SIGNED_DATA_NOT_FOUND');
  });

  it('an extra reference', async () => {
    const xml = xmlCryptoSign('<Referral Id="r"><data Id="d"><iin>870101300123</iin></data></Referral>', [
      { xpath: '/*', uri: '' },
      { xpath: "//*[@Id='d']" },
    ]);
    expect(xmlCryptoAccepts(xml)).toBe(true);
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /exactly one CanonicalizationMethod, SignatureMethod and Reference/);
  });

  it('URI="#xpointer(/)" (which would keep comments)', async () => {
    const xml = signedById.replace('URI="#r1"', 'URI="#xpointer(/)"');
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'SIGNED_DATA_NOT_FOUND');
  });
});

describe('parser attacks', () => {
  it('DTD with billion laughs', async () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>';
    expectVerdict(await verifyXml(lol, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /DOCTYPE/);
  });

  it('external entity (XXE file:///etc/passwd) inside a signed document', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE Referral [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${signed.replace('<amount>100</amount>', '<amount>&xxe;</amount>')}`;
    const report = await verifyXml(xxe, ctx.options);
    expectVerdict(report, 'TOTAL_FAILED', 'FORMAT_FAILURE', /DTDs and entities are not accepted/);
    expect(JSON.stringify(report)).not.toContain('root:');
  });

  it('oversized input', async () => {
    expectVerdict(await verifyXml(signed, { ...ctx.options, maxBytes: 1024 }), 'TOTAL_FAILED', 'FORMAT_FAILURE', /larger than the 1024-byte limit/);
  });

  it('deep nesting', async () => {
    const deep = `<Referral>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}${signatureOf(signed)}</Referral>`;
    expectVerdict(await verifyXml(deep, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /deeper than 256 levels/);
  });

  it('a processing instruction', async () => {
    expectVerdict(await verifyXml(signed.replace('<iin>', '<?evil x?><iin>'), ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /processing instruction/);
  });

  it('malformed XML', async () => {
    expectVerdict(await verifyXml(signed.slice(0, -5), ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /not well-formed/);
  });
});

describe('KeyInfo and certificate attacks', () => {
  const certBase64 = (pem: string): string => pem.replace(/-----[^-]+-----|\s/g, '');

  it('forged KeyInfo: another certificate (another key) substituted', async () => {
    const other = await ctx.pki.issue({ otherKey: true, commonName: 'БАСҚА АДАМ' });
    const xml = signed.replace(certBase64(ctx.signLeaf.certificate.toString()), certBase64(other.certificate.toString()));
    const report = await verifyXml(xml, ctx.options);
    expectVerdict(report, 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE', /does not match the certificate/);
    expect(report.signer?.commonName).toBe('БАСҚА АДАМ');
  });

  it('a certificate whose key did not make the signature', async () => {
    const xml = await signXml(`<Referral>${ORIGINAL}</Referral>`, ctx.pki.mismatchedSigner(ctx.signLeaf.certificate));
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE');
  });

  it('two certificates in KeyInfo', async () => {
    const cert = certBase64(ctx.signLeaf.certificate.toString());
    const xml = signed.replace('</ds:X509Data>', `<ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data>`);
    expectVerdict(await verifyXml(xml, ctx.options), 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', /exactly one X509Certificate/);
  });

  it('no certificate in KeyInfo', async () => {
    const xml = signed.replace(/<ds:KeyInfo>[\s\S]*<\/ds:KeyInfo>/, '<ds:KeyInfo><ds:KeyName>me</ds:KeyName></ds:KeyInfo>');
    expectVerdict(await verifyXml(xml, ctx.options), 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND');
  });

  it('untrusted issuer', async () => {
    const rogue = await ctx.pki.issueRogue();
    const report = await verifyXml(await signXml(`<Referral>${ORIGINAL}</Referral>`, rogue.signer), ctx.options);
    expect({ indication: report.indication, subIndication: report.subIndication }).toEqual({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(report.signer?.issuer).toBe('ROGUE CA');
  });

  it('wrong purpose: a SIGN key where AUTH is expected', async () => {
    const report = await verifyXml(signed, { ...ctx.options, purpose: 'AUTH' });
    expect({ indication: report.indication, subIndication: report.subIndication }).toEqual({ indication: 'TOTAL_FAILED', subIndication: 'WRONG_PURPOSE' });
  });

  it('expired certificate', async () => {
    const year = 365 * 86_400_000;
    const expired = await ctx.pki.issue({ notBefore: new Date(Date.now() - 2 * year), notAfter: new Date(Date.now() - year) });
    const report = await verifyXml(await signXml(`<Referral>${ORIGINAL}</Referral>`, expired.signer), ctx.options);
    expect({ indication: report.indication, subIndication: report.subIndication }).toEqual({ indication: 'TOTAL_FAILED', subIndication: 'EXPIRED' });
  });

  it('revoked certificate (CRL given in the options)', async () => {
    const revoked = await ctx.pki.issue({ serialNumber: '7e57ab01' });
    const crl = await ctx.pki.crl(['7e57ab01']);
    const xml = await signXml(`<Referral>${ORIGINAL}</Referral>`, revoked.signer);
    const report = await verifyXml(xml, { trust: ctx.trust, revocation: { crls: [crl], ocsp: false } });
    expect({ indication: report.indication, subIndication: report.subIndication }).toEqual({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    // The same CRL clears a certificate it does not list.
    const good = await verifyXml(signed, { trust: ctx.trust, revocation: { crls: [crl], ocsp: false } });
    expect(good.indication).toBe('TOTAL_PASSED');
    expect(good.warnings).toEqual([]);
  });
});

describe('algorithms and transforms', () => {
  it('XSLT transform', async () => {
    const xml = signed.replace('REC-xml-c14n-20010315#WithComments"/>', 'REC-xml-c14n-20010315#WithComments"/><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>');
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /REC-xslt-19991116 is not accepted/);
  });

  it('XPath transform', async () => {
    const xml = signed.replace(
      '<ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"/>',
      '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::amount)</ds:XPath></ds:Transform>',
    );
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /parameters, which are not accepted/);
  });

  it('HMAC signature method', async () => {
    const xml = signed.replace('xmldsig-more#rsa-sha256', 'xmldsig-more#hmac-sha256');
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /HMAC/);
  });

  it('RSA-SHA1 is rejected as a crypto constraint', async () => {
    const xml = signed.replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2000/09/xmldsig#rsa-sha1');
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'CRYPTO_CONSTRAINTS_FAILURE', /SHA-1/);
  });

  it('a GOST signature is INDETERMINATE / UNSUPPORTED_ALGORITHM, with its signer named', async () => {
    const xml = signed.replace('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512');
    const report = await verifyXml(xml, ctx.options);
    expectVerdict(report, 'INDETERMINATE', 'UNSUPPORTED_ALGORITHM', /GOST/);
    expect(report.signer?.iin).toBe('870101300123');
  });

  it('a missing enveloped-signature transform', async () => {
    const xml = signed.replace('<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>', '');
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'FORMAT_FAILURE', /enveloped-signature transform/);
  });

  it('a tampered signature value', async () => {
    const value = /<ds:SignatureValue>([^<]+)</.exec(signed)![1]!;
    const flipped = (value[10] === 'A' ? 'B' : 'A');
    const xml = signed.replace(value, value.slice(0, 10) + flipped + value.slice(11));
    expectVerdict(await verifyXml(xml, ctx.options), 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE');
  });
});
