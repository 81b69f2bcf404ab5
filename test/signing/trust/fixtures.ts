/**
 * A small CA world for trust tests, generated at test time with @peculiar/x509 and WebCrypto:
 * roots, issuing CAs, end-entity certificates in the NCA profile, CRLs and delta CRLs.
 * (The keys engineer's demo PKI is used where its fixed shape fits; these cover the odd cases.)
 */
import 'reflect-metadata';
import { KeyObject, X509Certificate, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const DAY = 86_400_000;

export interface Issued {
  cert: X509Certificate;
  peculiar: x509.X509Certificate;
  keys: CryptoKeyPair;
  privateKey: KeyObject;
  name: string;
}

export function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(
    { ...ALG, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  ) as Promise<CryptoKeyPair>;
}

let serialCounter = 0x1000;
function nextSerial(): string {
  serialCounter += 1;
  return `7A${serialCounter.toString(16).toUpperCase()}`;
}

function wrap(peculiar: x509.X509Certificate, keys: CryptoKeyPair, name: string): Issued {
  return {
    cert: new X509Certificate(Buffer.from(peculiar.rawData)),
    peculiar,
    keys,
    privateKey: KeyObject.from(keys.privateKey),
    name,
  };
}

export interface CaOptions {
  cn: string;
  keys: CryptoKeyPair;
  issuer?: Issued;
  notBefore?: Date;
  notAfter?: Date;
  /** Default true; false makes an "issuer" that is not a CA. */
  isCa?: boolean;
  crlUrls?: string[];
  pathLength?: number;
  /** Added as they are (e.g. a critical extension the validator must refuse). */
  extraExtensions?: x509.Extension[];
}

export async function createCa(o: CaOptions): Promise<Issued> {
  const name = `CN=${o.cn}, C=KZ`;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(o.isCa ?? true, o.pathLength, true),
    new x509.KeyUsagesExtension(
      (o.isCa ?? true)
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(o.keys.publicKey),
  ];
  if (o.crlUrls) extensions.push(new x509.CRLDistributionPointsExtension(o.crlUrls));
  extensions.push(...(o.extraExtensions ?? []));
  const common = {
    serialNumber: nextSerial(),
    notBefore: o.notBefore ?? new Date(Date.now() - 365 * DAY),
    notAfter: o.notAfter ?? new Date(Date.now() + 3650 * DAY),
    signingAlgorithm: ALG,
  };
  if (!o.issuer) {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      ...common,
      name,
      keys: o.keys,
      extensions,
    });
    return wrap(cert, o.keys, name);
  }
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(o.issuer.keys.publicKey));
  const cert = await x509.X509CertificateGenerator.create({
    ...common,
    subject: name,
    issuer: o.issuer.peculiar.subject,
    publicKey: o.keys.publicKey,
    signingKey: o.issuer.keys.privateKey,
    extensions,
  });
  return wrap(cert, o.keys, name);
}

export interface EndEntityOptions {
  issuer: Issued;
  keys: CryptoKeyPair;
  purpose: 'AUTH' | 'SIGN';
  cn?: string;
  notBefore?: Date;
  notAfter?: Date;
  ocspUrl?: string;
  crlUrls?: string[];
  deltaCrlUrls?: string[];
  /** Sign with this key instead of the issuer's (a forged / broken signature). */
  signWith?: CryptoKey;
  serialNumber?: string;
  /** Extended key usages instead of the profile's (e.g. id-kp-OCSPSigning for a delegated responder). */
  extKeyUsage?: string[];
  /** Added as they are (e.g. a critical extension the validator must refuse). */
  extraExtensions?: x509.Extension[];
}

const NCA_POLICY = { AUTH: '1.2.398.3.3.2.4', SIGN: '1.2.398.3.3.2.3' };

export async function createEndEntity(o: EndEntityOptions): Promise<Issued> {
  const name = `CN=${o.cn ?? 'ТЕСТОВ ТЕСТ'}, 2.5.4.5=IIN123456789011, C=KZ`;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, false),
    o.purpose === 'AUTH'
      ? new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        )
      : new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
          true,
        ),
    new x509.ExtendedKeyUsageExtension(
      o.extKeyUsage ?? [
        o.purpose === 'AUTH' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.emailProtection,
      ],
    ),
    new x509.CertificatePolicyExtension([NCA_POLICY[o.purpose]]),
    await x509.SubjectKeyIdentifierExtension.create(o.keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(o.issuer.keys.publicKey),
  ];
  if (o.ocspUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ ocsp: o.ocspUrl }));
  extensions.push(...(o.extraExtensions ?? []));
  if (o.crlUrls) extensions.push(new x509.CRLDistributionPointsExtension(o.crlUrls));
  if (o.deltaCrlUrls) {
    // Freshest CRL (2.5.29.46) has the CRL distribution points syntax.
    extensions.push(
      new x509.Extension('2.5.29.46', false, new x509.CRLDistributionPointsExtension(o.deltaCrlUrls).value),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: o.serialNumber ?? nextSerial(),
    subject: name,
    issuer: o.issuer.peculiar.subject,
    notBefore: o.notBefore ?? new Date(Date.now() - 30 * DAY),
    notAfter: o.notAfter ?? new Date(Date.now() + 335 * DAY),
    signingAlgorithm: ALG,
    publicKey: o.keys.publicKey,
    signingKey: o.signWith ?? o.issuer.keys.privateKey,
    extensions,
  });
  return wrap(cert, o.keys, name);
}

export interface CrlOptions {
  issuer: Issued;
  revoked?: Array<{ serialNumber: string; revokedAt: Date; removeFromCrl?: boolean }>;
  thisUpdate?: Date;
  nextUpdate?: Date;
  crlNumber: number;
  /** Makes a delta CRL applying to the base with this CRL number. */
  deltaOf?: number;
  signWith?: CryptoKey;
  extensions?: x509.Extension[];
}

function derInteger(n: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array([0x02, 0x01, n]);
}

export async function createCrl(o: CrlOptions): Promise<Buffer> {
  const extensions = [new x509.Extension('2.5.29.20', false, derInteger(o.crlNumber))];
  if (o.deltaOf !== undefined) extensions.push(new x509.Extension('2.5.29.27', true, derInteger(o.deltaOf)));
  extensions.push(...(o.extensions ?? []));
  const crl = await x509.X509CrlGenerator.create({
    issuer: o.issuer.peculiar.subject,
    thisUpdate: o.thisUpdate ?? new Date(Date.now() - DAY),
    nextUpdate: o.nextUpdate ?? new Date(Date.now() + 6 * DAY),
    signingAlgorithm: ALG,
    signingKey: o.signWith ?? o.issuer.keys.privateKey,
    extensions,
    entries: (o.revoked ?? []).map((r) => ({
      serialNumber: r.serialNumber,
      revocationDate: r.revokedAt,
      reason: r.removeFromCrl ? x509.X509CrlReason.removeFromCRL : x509.X509CrlReason.keyCompromise,
    })),
  });
  return Buffer.from(crl.rawData);
}

/** A small PKI: trusted root → issuing CA → AUTH and SIGN certificates, plus an untrusted root. */
export interface World {
  root: Issued;
  ca: Issued;
  auth: Issued;
  sign: Issued;
  otherRoot: Issued;
  otherKeys: CryptoKeyPair;
  leafKeys: CryptoKeyPair;
}

export const OCSP_URL = 'http://ocsp.test.invalid/';
export const CRL_URL = 'http://crl.test.invalid/ca.crl';
export const DELTA_CRL_URL = 'http://crl.test.invalid/ca_d.crl';

export async function createWorld(): Promise<World> {
  const [rootKeys, caKeys, leafKeys, otherKeys] = await Promise.all([
    generateKeys(),
    generateKeys(),
    generateKeys(),
    generateKeys(),
  ]);
  const root = await createCa({ cn: 'TEST ROOT (RSA)', keys: rootKeys });
  const ca = await createCa({ cn: 'TEST ISSUING CA (RSA)', keys: caKeys, issuer: root });
  const urls = { ocspUrl: OCSP_URL, crlUrls: [CRL_URL], deltaCrlUrls: [DELTA_CRL_URL] };
  const auth = await createEndEntity({ issuer: ca, keys: leafKeys, purpose: 'AUTH', ...urls });
  const sign = await createEndEntity({ issuer: ca, keys: leafKeys, purpose: 'SIGN', ...urls });
  const otherRoot = await createCa({ cn: 'TEST ROOT (RSA)', keys: otherKeys });
  return { root, ca, auth, sign, otherRoot, otherKeys, leafKeys };
}
