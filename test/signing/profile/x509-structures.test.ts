/** Reading names and whole DER structures (signing/x509-structures.ts), against @peculiar/x509 as the reference. */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { Name } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { AsnConvert, certificateStructure, crlStructure, nameText, nameValues, sameName } from '../../../signing/x509-structures.ts';

const name = (text: string): Name => AsnConvert.parse(new x509.Name(text).toArrayBuffer(), Name);

describe('names', () => {
  it('prints a name as the key dialog shows it, escaping as RFC 4514 says', () => {
    const text = 'CN=ТЕСТОВ ТЕСТ, SN=ТЕСТОВ, 2.5.4.5=IIN900702304562, OU=BIN971240001315, C=KZ, G=ТЕСТҰЛЫ';
    expect(nameText(name(text))).toBe('CN=ТЕСТОВ ТЕСТ, SN=ТЕСТОВ, SERIALNUMBER=IIN900702304562, OU=BIN971240001315, C=KZ, G=ТЕСТҰЛЫ');
    expect(nameText(name('CN=A\\, B+O=Org, 1.2.3.4=x'))).toBe('CN=A\\, B+O=Org, 1.2.3.4=x');
  });

  it('reads every value of one attribute, in order', () => {
    const n = name('CN=A, OU=first, OU=BIN971240001315');
    expect(nameValues(n, '2.5.4.11')).toEqual(['first', 'BIN971240001315']);
    expect(nameValues(n, '2.5.4.10')).toEqual([]);
  });

  it('compares names attribute by attribute, ignoring case and runs of spaces only', () => {
    expect(sameName(name('CN=Demo  CA, C=KZ'), name('CN=demo ca, C=kz'))).toBe(true);
    expect(sameName(name('CN=Demo CA, C=KZ'), name('CN=Demo CA 2, C=KZ'))).toBe(false);
    expect(sameName(name('CN=Demo CA, C=KZ'), name('C=KZ, CN=Demo CA'))).toBe(false);
    expect(sameName(name('CN=Demo CA, C=KZ'), name('CN=Demo CA'))).toBe(false);
    expect(sameName(name('CN=Demo CA, O=KZ'), name('CN=Demo CA, C=KZ'))).toBe(false);
  });
});

describe('whole structures', () => {
  it('refuses bytes after a certificate or a CRL, and a truncated one', async () => {
    const keys = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    );
    x509.cryptoProvider.set(crypto);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=Demo CA', keys, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' } });
    const crl = await x509.X509CrlGenerator.create({ issuer: cert.subject, thisUpdate: new Date(), signingKey: keys.privateKey, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } });
    const certDer = new Uint8Array(cert.rawData);
    const crlDer = new Uint8Array(crl.rawData);
    expect(nameText(certificateStructure(certDer).tbsCertificate.subject)).toBe('CN=Demo CA');
    expect(crlStructure(crlDer).tbsCertListRaw).toBeDefined();
    for (const [der, read] of [[certDer, certificateStructure], [crlDer, crlStructure]] as const) {
      expect(() => read(new Uint8Array([...der, 0]))).toThrow(/not valid DER/);
      expect(() => read(der.subarray(0, der.length - 1))).toThrow(/not valid DER/);
    }
  });
});
