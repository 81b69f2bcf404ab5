/**
 * A tiny PKI for the XML signature tests, generated at test time: one CA, NCA-profile leaf
 * certificates (AUTH / SIGN, valid / expired / revoked), a CRL, and node:crypto signers.
 * Three RSA-2048 keys in all, shared between certificates, to keep the suite fast.
 */
import 'reflect-metadata';
import { KeyObject, X509Certificate, sign as rsaSign, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { Signer } from '../../../signing/types.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const DAY = 86_400_000;

export interface LeafOptions {
  purpose?: 'AUTH' | 'SIGN';
  iin?: string;
  commonName?: string;
  notBefore?: Date;
  notAfter?: Date;
  serialNumber?: string;
  /** Issue for the second key pair instead of the shared leaf key. */
  otherKey?: boolean;
}

export interface Leaf {
  certificate: X509Certificate;
  privateKey: KeyObject;
  signer: Signer;
}

export interface TestPki {
  ca: X509Certificate;
  caPem: string;
  /** A second CA nobody trusts. */
  rogueCa: X509Certificate;
  issue(options?: LeafOptions): Promise<Leaf>;
  /** Issue from the rogue CA. */
  issueRogue(options?: LeafOptions): Promise<Leaf>;
  /** A DER CRL from the CA revoking these serial numbers. */
  crl(revokedSerials: string[]): Promise<Buffer>;
  /** A signer that presents `certificate` but signs with another key. */
  mismatchedSigner(certificate: X509Certificate): Signer;
}

export function nodeSigner(certificate: X509Certificate, privateKey: KeyObject): Signer {
  return {
    certificate: () => certificate,
    sign: async (data: Buffer) => rsaSign('sha256', data, privateKey),
  };
}

async function generate(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

let cached: Promise<TestPki> | undefined;

/** The per-process test PKI (generated once). */
export function getTestPki(): Promise<TestPki> {
  cached ??= createTestPki();
  return cached;
}

async function createTestPki(): Promise<TestPki> {
  const [caKeys, rogueKeys, leafKeys, otherKeys] = await Promise.all([generate(), generate(), generate(), generate()]);
  const now = Date.now();
  const caName = 'CN=JOLDAMA TEST CA (RSA), C=KZ';
  const makeCa = async (keys: CryptoKeyPair, name: string): Promise<x509.X509Certificate> =>
    x509.X509CertificateGenerator.createSelfSigned({
      name,
      keys,
      serialNumber: '01',
      notBefore: new Date(now - 365 * DAY),
      notAfter: new Date(now + 3650 * DAY),
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 1, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
  const ca = await makeCa(caKeys, caName);
  const rogue = await makeCa(rogueKeys, 'CN=ROGUE CA, C=KZ');
  let serial = 0x1000;

  const issueWith = async (issuer: x509.X509Certificate, issuerKeys: CryptoKeyPair, o: LeafOptions): Promise<Leaf> => {
    const keys = o.otherKey ? otherKeys : leafKeys;
    const purpose = o.purpose ?? 'SIGN';
    const iin = o.iin ?? '870101300123';
    serial += 1;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: o.serialNumber ?? serial.toString(16),
      subject: `CN=${o.commonName ?? 'ТЕСТОВ ТЕСТ'}, SN=ТЕСТОВ, 2.5.4.5=IIN${iin}, C=KZ`,
      issuer: issuer.subject,
      notBefore: o.notBefore ?? new Date(now - DAY),
      notAfter: o.notAfter ?? new Date(now + 365 * DAY),
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: issuerKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          purpose === 'AUTH'
            ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
            : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([purpose === 'AUTH' ? '1.3.6.1.5.5.7.3.2' : '1.3.6.1.5.5.7.3.4']),
        new x509.CertificatePolicyExtension([purpose === 'AUTH' ? '1.2.398.3.3.2.4' : '1.2.398.3.3.2.3']),
        await x509.AuthorityKeyIdentifierExtension.create(issuerKeys.publicKey),
      ],
    });
    const certificate = new X509Certificate(Buffer.from(cert.rawData));
    const privateKey = KeyObject.from(keys.privateKey);
    return { certificate, privateKey, signer: nodeSigner(certificate, privateKey) };
  };

  const otherPrivate = KeyObject.from(otherKeys.privateKey);
  return {
    ca: new X509Certificate(Buffer.from(ca.rawData)),
    caPem: ca.toString('pem'),
    rogueCa: new X509Certificate(Buffer.from(rogue.rawData)),
    issue: (o = {}) => issueWith(ca, caKeys, o),
    issueRogue: (o = {}) => issueWith(rogue, rogueKeys, o),
    crl: async (revokedSerials) => {
      const crl = await x509.X509CrlGenerator.create({
        issuer: ca.subject,
        thisUpdate: new Date(now - DAY),
        nextUpdate: new Date(now + 7 * DAY),
        signingAlgorithm: ALG,
        signingKey: caKeys.privateKey,
        entries: revokedSerials.map((s) => ({
          serialNumber: s,
          revocationDate: new Date(now - DAY / 2),
          reason: x509.X509CrlReason.keyCompromise,
        })),
        // CRL number 1 (RFC 5280 requires one).
        extensions: [new x509.Extension('2.5.29.20', false, new Uint8Array([0x02, 0x01, 0x01]))],
      });
      return Buffer.from(crl.rawData);
    },
    mismatchedSigner: (certificate) => nodeSigner(certificate, otherPrivate),
  };
}

/** A referral request about the size of the real ones (~2 KB), Kazakh and Russian text. */
export function referralXml(extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<referralRequest xmlns="urn:joldama:referral:1" xmlns:ext="urn:joldama:ext" Id="req-1" version="1">
  <applicant>
    <iin>870101300123</iin>
    <fullName lang="kk">Сәрсенбаев Әлихан Нұрланұлы</fullName>
    <fullName lang="ru">Сарсенбаев Алихан Нурланович</fullName>
    <phone>+77011234567</phone>
    <email>alikhan@example.kz</email>
    <address>Алматы қ., Әуезов ауданы, Абай даңғылы 150, 12 пәтер</address>
  </applicant>
  <child>
    <iin>200315600127</iin>
    <fullName>Сәрсенбаева Айару Әлиханқызы</fullName>
    <birthDate>2020-03-15</birthDate>
    <benefit>Жеңілдіксіз</benefit>
    <queueNumber>42</queueNumber>
  </child>
  <application number="KDDO.2021.802010.1" queueType="Correctional" category="speech">
    <registered>2021-09-01T10:15:00+06:00</registered>
    <status>Кезекте</status>
    <pmpk conclusion="PMPK-2024-0815" validUntil="2026-08-31">Сөйлеу тілінің бұзылыстары / нарушения речи</pmpk>
  </application>
  <kindergarten ext:code="ALM-KG-0173">
    <name>№ 173 түзету балабақшасы «Балапан»</name>
    <address>Алматы қ., Төле би к-сі 286</address>
    <language>kk</language>
    <placeType>general</placeType>
  </kindergarten>
  <confirmation question="Do you really want a referral?">true</confirmation>
  <notes>Ата-анасы келісімін берді &amp; «растады» &lt;қолмен&gt;. Special chars: ' " \t tab.</notes>${extra}
  <requestedAt>2026-11-24T09:00:00+06:00</requestedAt>
</referralRequest>
`;
}
