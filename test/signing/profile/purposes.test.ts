/** Purposes and roles from synthetic certificates: each rule of the NCA profile in isolation. */
import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeCertificate, PROFILE_OID, purposesOf } from '../../../signing/certificate-profile.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const KU = x509.KeyUsageFlags;
let keys: CryptoKeyPair;

async function certificate(options: {
  keyUsage?: number;
  eku?: string[];
  policies?: string[];
  subject?: string;
  ca?: boolean;
}): Promise<X509Certificate> {
  const extensions: x509.Extension[] = [];
  if (options.keyUsage !== undefined) extensions.push(new x509.KeyUsagesExtension(options.keyUsage, true));
  if (options.eku) extensions.push(new x509.ExtendedKeyUsageExtension(options.eku));
  if (options.policies) extensions.push(new x509.CertificatePolicyExtension(options.policies));
  if (options.ca) extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: options.subject ?? 'CN=ТЕСТОВ ТЕСТ, SN=ТЕСТОВ, 2.5.4.5=IIN900702304562, C=KZ',
    keys,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    extensions,
  });
  return new X509Certificate(Buffer.from(cert.rawData));
}

describe('purposesOf', () => {
  beforeAll(async () => {
    keys = (await webcrypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
  });

  it('AUTH from the auth policy alone, with digitalSignature', async () => {
    const cert = await certificate({
      keyUsage: KU.digitalSignature | KU.keyEncipherment,
      policies: [PROFILE_OID.policyIndividualAuth],
    });
    expect(purposesOf(cert)).toEqual(['AUTH']);
  });

  it('no AUTH when key usage lacks digitalSignature, whatever the EKU says', async () => {
    const cert = await certificate({ keyUsage: KU.keyEncipherment, eku: [PROFILE_OID.clientAuth] });
    expect(purposesOf(cert)).toEqual([]);
  });

  it('SIGN from nonRepudiation, from emailProtection, or from the sign policy', async () => {
    expect(purposesOf(await certificate({ keyUsage: KU.nonRepudiation }))).toEqual(['SIGN']);
    expect(
      purposesOf(await certificate({ keyUsage: KU.digitalSignature, eku: [PROFILE_OID.emailProtection] })),
    ).toEqual(['SIGN']);
    expect(
      purposesOf(
        await certificate({ keyUsage: KU.digitalSignature, policies: [PROFILE_OID.policyLegalSign] }),
      ),
    ).toEqual(['SIGN']);
  });

  it('both purposes when the certificate allows both; none for a CA or a bare certificate', async () => {
    const both = await certificate({
      keyUsage: KU.digitalSignature | KU.nonRepudiation,
      eku: [PROFILE_OID.clientAuth, PROFILE_OID.emailProtection],
    });
    expect(purposesOf(both)).toEqual(['AUTH', 'SIGN']);
    expect(
      purposesOf(
        await certificate({ keyUsage: KU.digitalSignature, eku: [PROFILE_OID.clientAuth], ca: true }),
      ),
    ).toEqual([]);
    expect(purposesOf(await certificate({}))).toEqual([]);
  });
});

describe('describeCertificate roles and identifiers', () => {
  it('takes the most specific role OID', async () => {
    const role = async (eku: string[], subject?: string): Promise<string> =>
      describeCertificate(
        await certificate({ keyUsage: KU.digitalSignature, eku, ...(subject ? { subject } : {}) }),
      ).role;
    expect(await role([PROFILE_OID.clientAuth, PROFILE_OID.roleOrganization, PROFILE_OID.roleEmployee])).toBe(
      'employee',
    );
    expect(
      await role([PROFILE_OID.clientAuth, PROFILE_OID.roleOrganization, PROFILE_OID.roleRightToSign]),
    ).toBe('right_to_sign');
    expect(await role([PROFILE_OID.clientAuth, '1.2.398.3.3.4.1.2.3'])).toBe('organization');
    expect(await role([PROFILE_OID.clientAuth, PROFILE_OID.roleIndividual])).toBe('individual');
    expect(
      await role(
        [PROFILE_OID.clientAuth],
        'CN=А Б, 2.5.4.5=IIN900702304562, O=ТОО, OU=BIN971240001315, C=KZ',
      ),
    ).toBe('organization');
  });

  it('reads IIN and BIN only from well-formed SERIALNUMBER / OU values', async () => {
    const good = describeCertificate(
      await certificate({ subject: 'CN=А Б, 2.5.4.5=IIN900702304562, O=ТОО, OU=BIN971240001315, C=KZ' }),
    );
    expect(good).toMatchObject({ iin: '900702304562', bin: '971240001315', organization: 'ТОО' });
    const bad = describeCertificate(
      await certificate({ subject: 'CN=А Б, 2.5.4.5=IIN90070230456, OU=BIN97124000131X, C=KZ' }),
    );
    expect(bad.iin).toBeUndefined();
    expect(bad.bin).toBeUndefined();
    expect(bad.role).toBe('individual');
  });
});
