/**
 * The demo PKI: a root and an issuing CA named like NCA's, and for every demo person an AUTH and
 * a SIGN key in NCA-format .p12 files, a CRL revoking the revoked person's certificates and an
 * index.json describing it all. Keys are generated at run time and never committed.
 */
import 'reflect-metadata';
import { createHash, KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { z } from 'zod';
import { PROFILE_OID } from '../../signing/certificate-profile.ts';
import type { Purpose, Role } from '../../signing/types.ts';
import { DEMO_IDENTITIES, demoCommonName, type DemoIdentity } from './identities.ts';
import { writeNcaPkcs12 } from './nca-pkcs12.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const DEMO_PASSWORD = 'Qwerty12';
export const DEMO_ROOT_CN = 'DEMO НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)';
export const DEMO_CA_CN = 'DEMO ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)';
export const DEFAULT_OCSP_URL = 'http://127.0.0.1:8740/ocsp';
export const DEFAULT_CRL_URL = 'http://127.0.0.1:8740/crl/demo-ca.crl';
export const DEFAULT_CA_ISSUERS_URL = 'http://127.0.0.1:8740/ca/demo-ca.pem';

const DAY_MS = 86_400_000;
const RSA_KEY: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const SIGNING_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

const demoKeySchema = z.object({
  file: z.string(),
  owner: z.string(),
  iin: z.string().regex(/^\d{12}$/),
  bin: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  organization: z.string().optional(),
  role: z.enum(['individual', 'organization', 'head', 'right_to_sign', 'employee']),
  purposes: z.array(z.enum(['AUTH', 'SIGN'])),
  status: z.enum(['valid', 'expired', 'revoked']),
  serialNumber: z.string().regex(/^[0-9A-F]+$/),
  notBefore: z.string(),
  notAfter: z.string(),
});

/** Schema of index.json, for anyone reading a generated demo PKI from disk. */
export const demoPkiIndexSchema = z.object({
  generatedAt: z.string(),
  password: z.string(),
  ca: z.object({ root: z.string(), intermediate: z.string(), intermediateKey: z.string(), crl: z.string() }),
  keys: z.array(demoKeySchema),
});

export type DemoPkiIndex = z.infer<typeof demoPkiIndexSchema>;
export type DemoKey = z.infer<typeof demoKeySchema>;

export interface DemoPkiOptions {
  /** The generation time; validity periods and the CRL are relative to it. Default: now. */
  now?: Date;
  ocspUrl?: string;
  crlUrl?: string;
  /** AIA caIssuers address of the issuing CA certificate. */
  caIssuersUrl?: string;
}

interface Issuer {
  name: x509.Name;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/** A positive 20-byte serial, upper-case hex (the CA/B and NCA size). */
function newSerial(): string {
  const bytes = randomBytes(20);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return bytes.toString('hex').toUpperCase();
}

function generateRsaKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(RSA_KEY, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

const utf8 = (value: string): x509.JsonAttributeObject[] => [{ utf8String: value }];
const printable = (value: string): x509.JsonAttributeObject[] => [{ printableString: value }];

function caName(cn: string): x509.Name {
  return new x509.Name([{ '2.5.4.3': utf8(cn) }, { '2.5.4.6': printable('KZ') }]);
}

/** NCA subject order: CN, SURNAME, SERIALNUMBER, C, [O, OU], GIVENNAME. */
function personName(identity: DemoIdentity): x509.Name {
  const parts: x509.JsonNameParams = [
    { '2.5.4.3': utf8(demoCommonName(identity)) },
    { '2.5.4.4': utf8(identity.surname) },
    { '2.5.4.5': printable(`IIN${identity.iin}`) },
    { '2.5.4.6': printable('KZ') },
  ];
  if (identity.organization) {
    parts.push({ '2.5.4.10': utf8(identity.organization.name) });
    parts.push({ '2.5.4.11': printable(`BIN${identity.organization.bin}`) });
  }
  parts.push({ '2.5.4.42': utf8(identity.patronymic) });
  return new x509.Name(parts);
}

async function createRoot(now: Date): Promise<Issuer> {
  const keys = await generateRsaKeys();
  const name = caName(DEMO_ROOT_CN);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: name,
    issuer: name,
    notBefore: new Date(now.getTime() - 3 * 365 * DAY_MS),
    notAfter: new Date(now.getTime() + 20 * 365 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { name, cert, keys };
}

async function createIntermediate(root: Issuer, now: Date): Promise<Issuer> {
  const keys = await generateRsaKeys();
  const name = caName(DEMO_CA_CN);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: name,
    issuer: root.name,
    notBefore: new Date(now.getTime() - 2 * 365 * DAY_MS),
    notAfter: new Date(now.getTime() + 15 * 365 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: root.keys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.keys.publicKey),
      new x509.CertificatePolicyExtension(['1.2.398.3.3.2']),
    ],
  });
  return { name, cert, keys };
}

function roleOids(identity: DemoIdentity): string[] {
  return identity.role === 'head'
    ? [PROFILE_OID.roleOrganization, PROFILE_OID.roleHead]
    : [PROFILE_OID.roleIndividual];
}

function policyOid(identity: DemoIdentity, purpose: Purpose): string {
  const legal = identity.organization !== undefined;
  if (purpose === 'AUTH') return legal ? PROFILE_OID.policyLegalAuth : PROFILE_OID.policyIndividualAuth;
  return legal ? PROFILE_OID.policyLegalSign : PROFILE_OID.policyIndividualSign;
}

function validityOf(status: DemoIdentity['status'], now: Date): { notBefore: Date; notAfter: Date } {
  if (status === 'expired') {
    const notAfter = new Date(now.getTime() - 30 * DAY_MS);
    return { notBefore: new Date(notAfter.getTime() - 365 * DAY_MS), notAfter };
  }
  return { notBefore: new Date(now.getTime() - DAY_MS), notAfter: new Date(now.getTime() + 365 * DAY_MS) };
}

interface Urls {
  ocsp: string;
  crl: string;
  caIssuers: string;
}

async function createPersonCertificate(
  ca: Issuer,
  identity: DemoIdentity,
  purpose: Purpose,
  keys: CryptoKeyPair,
  now: Date,
  urls: Urls,
): Promise<x509.X509Certificate> {
  const usage =
    purpose === 'AUTH'
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
      : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;
  const eku = purpose === 'AUTH' ? PROFILE_OID.clientAuth : PROFILE_OID.emailProtection;
  return x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: personName(identity),
    issuer: ca.name,
    ...validityOf(identity.status, now),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.KeyUsagesExtension(usage, true),
      new x509.ExtendedKeyUsageExtension([eku, ...roleOids(identity)]),
      new x509.CertificatePolicyExtension([policyOid(identity, purpose)]),
      new x509.AuthorityInfoAccessExtension({ ocsp: [urls.ocsp], caIssuers: [urls.caIssuers] }),
      new x509.CRLDistributionPointsExtension([urls.crl]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
}

async function writeOut(outDir: string, relative: string, data: string | Buffer): Promise<void> {
  const path = join(outDir, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data, typeof data === 'string' ? 'utf8' : undefined);
}

async function pkcs8Of(key: CryptoKey): Promise<Buffer> {
  return Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
}

/** CRL number extension (2.5.29.20) with a small integer value. */
function crlNumber(n: number): x509.Extension {
  return new x509.Extension('2.5.29.20', false, new Uint8Array([0x02, 0x01, n]));
}

/** Generates the whole demo PKI under `outDir` and returns what index.json says. */
export async function generateDemoPki(outDir: string, options: DemoPkiOptions = {}): Promise<DemoPkiIndex> {
  const now = options.now ?? new Date();
  const urls: Urls = {
    ocsp: options.ocspUrl ?? DEFAULT_OCSP_URL,
    crl: options.crlUrl ?? DEFAULT_CRL_URL,
    caIssuers: options.caIssuersUrl ?? DEFAULT_CA_ISSUERS_URL,
  };
  const root = await createRoot(now);
  const ca = await createIntermediate(root, now);

  const index: DemoPkiIndex = {
    generatedAt: now.toISOString(),
    password: DEMO_PASSWORD,
    ca: {
      root: 'ca/demo-root.pem',
      intermediate: 'ca/demo-ca.pem',
      intermediateKey: 'ca/demo-ca-key.pem',
      crl: 'ca/demo-ca.crl',
    },
    keys: [],
  };
  const revokedSerials: string[] = [];

  const purposes: Purpose[] = ['AUTH', 'SIGN'];
  const people = await Promise.all(
    DEMO_IDENTITIES.flatMap((identity) =>
      purposes.map(async (purpose) => {
        const keys = await generateRsaKeys();
        const cert = await createPersonCertificate(ca, identity, purpose, keys, now, urls);
        return { identity, purpose, keys, cert };
      }),
    ),
  );

  for (const { identity, purpose, keys, cert } of people) {
    const spkiSha1 = createHash('sha1').update(Buffer.from(cert.publicKey.rawData)).digest('hex');
    const file = `keys/${identity.slug}/${purpose === 'AUTH' ? 'AUTH_RSA256' : 'RSA256'}_${spkiSha1}.p12`;
    const p12 = writeNcaPkcs12({
      privateKeyPkcs8: await pkcs8Of(keys.privateKey),
      certificate: Buffer.from(cert.rawData),
      password: DEMO_PASSWORD,
    });
    await writeOut(outDir, file, p12);
    const serialNumber = cert.serialNumber.toUpperCase();
    if (identity.status === 'revoked') revokedSerials.push(serialNumber);
    const role: Role = identity.role;
    index.keys.push({
      file,
      owner: demoCommonName(identity),
      iin: identity.iin,
      ...(identity.organization
        ? { bin: identity.organization.bin, organization: identity.organization.name }
        : {}),
      role,
      purposes: [purpose],
      status: identity.status,
      serialNumber,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
    });
  }

  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.name,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + 7 * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    signingKey: ca.keys.privateKey,
    entries: revokedSerials.map((serialNumber) => ({
      serialNumber,
      revocationDate: new Date(now.getTime() - DAY_MS),
      reason: x509.X509CrlReason.keyCompromise,
    })),
    extensions: [crlNumber(1), await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey)],
  });

  const caKeyPem = KeyObject.from(ca.keys.privateKey)
    .export({ type: 'pkcs8', format: 'pem' })
    .toString()
    .trimEnd();
  await writeOut(outDir, index.ca.root, root.cert.toString('pem') + '\n');
  await writeOut(outDir, index.ca.intermediate, ca.cert.toString('pem') + '\n');
  await writeOut(outDir, index.ca.intermediateKey, caKeyPem + '\n');
  await writeOut(outDir, index.ca.crl, Buffer.from(crl.rawData));
  // Written last and atomically: its presence means the whole demo PKI is there.
  await writeOut(outDir, 'index.json.tmp', JSON.stringify(index, null, 2) + '\n');
  await rename(join(outDir, 'index.json.tmp'), join(outDir, 'index.json'));
  return index;
}
