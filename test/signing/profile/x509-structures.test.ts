/**
 * Reading certificates, CRLs and names (signing/x509-structures.ts). The reference is
 * @peculiar/asn1-x509 (a test dependency only): every certificate and CRL we have must read the same.
 */
import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { childrenOf, encodingOf, readWhole } from '../../../signing/der.ts';
import { openKeyStore } from '../../../signing/keystore/pkcs12.ts';
import { nameText, nameValues, readCertificate, readCrl, readName, sameName } from '../../../signing/x509-structures.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import { createCrl, createWorld, generateKeys } from '../trust/fixtures.ts';

/** A SEQUENCE of the given encodings (lengths up to 64 KiB). */
function sequence(parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return new Uint8Array([0x30, ...length, ...body]);
}

const name = (text: string) => readName(new Uint8Array(new x509.Name(text).toArrayBuffer()));

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

/** Every certificate at hand: NCA roots and CAs (RSA and GOST), the demo PKI, the trust tests' world. */
async function allCertificates(): Promise<Array<[string, Uint8Array]>> {
  const found: Array<[string, Uint8Array]> = [];
  for (const folder of ['production', 'nca-test']) {
    const dir = join('resources/trust', folder);
    for (const file of readdirSync(dir)) found.push([`${folder}/${file}`, new Uint8Array(new X509Certificate(readFileSync(join(dir, file))).raw)]);
  }
  const pki = await getDemoPki();
  found.push(['demo root', new Uint8Array(pki.root.raw)], ['demo CA', new Uint8Array(pki.intermediate.raw)]);
  for (const key of pki.index.keys.slice(0, 6)) {
    const [opened] = await openKeyStore(join(pki.dir, key.file), pki.password);
    found.push([`demo ${key.file}`, new Uint8Array(opened!.certificate.raw)]);
  }
  const world = await createWorld();
  for (const [label, issued] of Object.entries({ root: world.root, ca: world.ca, auth: world.auth, sign: world.sign })) {
    found.push([`world ${label}`, new Uint8Array(issued.cert.raw)]);
  }
  return found;
}

const referenceName = (n: asn.Name) => n.map((rdn) => rdn.map((a) => ({ type: a.type, text: a.value.anyValue ? undefined : a.value.toString() })));
const referenceExtensions = (list: asn.Extension[] | undefined) =>
  (list ?? []).map((e) => ({ id: e.extnID, critical: e.critical, value: Buffer.from(e.extnValue.buffer).toString('hex') }));
const ours = <T extends { extensions: readonly { id: string; critical: boolean; value: Uint8Array }[] }>(fields: T) =>
  fields.extensions.map((e) => ({ id: e.id, critical: e.critical, value: Buffer.from(e.value).toString('hex') }));
const plainName = (n: ReturnType<typeof readName>) => n.map((rdn) => rdn.map((a) => ({ type: a.type, text: a.text })));

describe('certificates and CRLs read as the reference reads them', () => {
  it('every certificate: names, validity, key algorithm, extensions byte for byte', async () => {
    const certificates = await allCertificates();
    expect(certificates.length).toBeGreaterThan(20);
    for (const [label, der] of certificates) {
      const reference = AsnConvert.parse(der, asn.Certificate).tbsCertificate;
      const read = readCertificate(der);
      expect({ label, subject: plainName(read.subject), issuer: plainName(read.issuer) }).toEqual({
        label,
        subject: referenceName(reference.subject),
        issuer: referenceName(reference.issuer),
      });
      expect(read.notBefore).toEqual(reference.validity.notBefore.getTime());
      expect(read.notAfter).toEqual(reference.validity.notAfter.getTime());
      expect(read.keyAlgorithm).toBe(reference.subjectPublicKeyInfo.algorithm.algorithm);
      expect(ours(read)).toEqual(referenceExtensions(reference.extensions));
    }
  });

  it('CRLs: the signed part, signature, dates, entries and their extensions', async () => {
    const world = await createWorld();
    const pki = await getDemoPki();
    const crls = [
      pki.crl,
      await createCrl({ issuer: world.ca, crlNumber: 7 }),
      await createCrl({
        issuer: world.ca,
        crlNumber: 9,
        deltaOf: 7,
        revoked: [
          { serialNumber: '0A1B2C', revokedAt: new Date('2026-03-01T10:00:00Z') },
          { serialNumber: '7F00', revokedAt: new Date('2026-04-01T10:00:00Z'), removeFromCrl: true },
        ],
      }),
    ];
    for (const der of crls) {
      const reference = AsnConvert.parse(der, asn.CertificateList);
      const read = readCrl(new Uint8Array(der));
      expect(Buffer.from(read.signed)).toEqual(Buffer.from(reference.tbsCertListRaw!));
      expect(read.signatureAlgorithm).toBe(reference.signatureAlgorithm.algorithm);
      expect(Buffer.from(read.signature)).toEqual(Buffer.from(reference.signature));
      expect(plainName(read.issuer)).toEqual(referenceName(reference.tbsCertList.issuer));
      expect(read.thisUpdate).toEqual(reference.tbsCertList.thisUpdate.getTime());
      expect(read.nextUpdate).toEqual(reference.tbsCertList.nextUpdate?.getTime());
      expect(ours(read)).toEqual(referenceExtensions(reference.tbsCertList.crlExtensions));
      expect(
        read.revoked.map((e) => ({ serial: Buffer.from(e.serial).toString('hex'), at: e.revokedAt, extensions: ours(e) })),
      ).toEqual(
        (reference.tbsCertList.revokedCertificates ?? []).map((e) => ({
          serial: Buffer.from(e.userCertificate).toString('hex'),
          at: e.revocationDate.getTime(),
          extensions: referenceExtensions(e.crlEntryExtensions),
        })),
      );
    }
  });
});

describe('whole structures only', () => {
  it('refuses bytes after a certificate or a CRL, a truncated one, and one with a part it cannot place', async () => {
    const keys = await generateKeys();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=Demo CA', keys, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' } });
    const crl = await x509.X509CrlGenerator.create({ issuer: cert.subject, thisUpdate: new Date(), signingKey: keys.privateKey, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } });
    const certDer = new Uint8Array(cert.rawData);
    const crlDer = new Uint8Array(crl.rawData);
    expect(nameText(readCertificate(certDer).subject)).toBe('CN=Demo CA');
    expect(readCrl(crlDer).revoked).toEqual([]);
    for (const [der, read] of [[certDer, readCertificate], [crlDer, readCrl]] as const) {
      expect(() => read(new Uint8Array([...der, 0]))).toThrow(/not valid DER/);
      expect(() => read(der.subarray(0, der.length - 1))).toThrow(/not valid DER/);
      // The signed part with one element more at its end (an INTEGER where nothing belongs).
      const [tbs, ...rest] = childrenOf(readWhole(der));
      const longer = sequence([...childrenOf(tbs!).map(encodingOf), new Uint8Array([0x02, 0x01, 0x01])]);
      expect(() => read(sequence([longer, ...rest.map(encodingOf)]))).toThrow(/unexpected element/);
    }
  });
});
