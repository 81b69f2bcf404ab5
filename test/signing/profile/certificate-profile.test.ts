import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeCertificate, purposesOf, validityStatus } from '../../../signing/certificate-profile.ts';
import { openKeyStore } from '../../../signing/keystore/pkcs12.ts';
import { getDemoPki, type DemoPki } from '../../helpers/demo-pki.ts';

const TRUST = 'resources/trust';
const load = (relative: string): X509Certificate => new X509Certificate(readFileSync(join(TRUST, relative)));

describe('describeCertificate on the real NCA CA certificates', () => {
  it('describes the current RSA issuing CA (values from the NCA certificate in resources/trust/production)', () => {
    const info = describeCertificate(load('production/nca_rsa_2022.pem'));
    expect(info).toMatchObject({
      commonName: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) 2022',
      issuer: 'НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)',
      notBefore: '2022-09-22T10:38:15.000Z',
      notAfter: '2045-09-07T10:04:54.000Z',
      algorithm: 'RSA',
      keySize: 4096,
      purposes: [],
      role: 'organization',
      fingerprintSha256: '84FB799A66140950818C056A5D9730ACC2A7622CDD4EF0D47113B132FB892905',
    });
    expect(info.iin).toBeUndefined();
    expect(info.subject).toContain('ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) 2022');
  });

  it('describes GOST certificates without crashing, naming the algorithm GOST', () => {
    const gost2015 = describeCertificate(load('production/gost2015_nca_2022.pem'));
    expect(gost2015).toMatchObject({
      algorithm: 'GOST',
      keySize: 512,
      commonName: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022',
    });
    expect(gost2015.fingerprintSha256).toBe(
      '32C7D233A42703A327F3025543A05B930E3F39A786C68DFA196BAA86D5618524',
    );
    const gost2004 = describeCertificate(load('production/gost_nca_2018.pem'));
    expect(gost2004.algorithm).toBe('GOST');
    expect(gost2004.serialNumber).toBe('46170A97A64BBAF7643C87D90C0FE24071595A8D');
  });

  it('describes every bundled CA certificate, with validity matching its dates', () => {
    const files = ['production', 'nca-test'].flatMap((d) =>
      readdirSync(join(TRUST, d)).map((f) => `${d}/${f}`),
    );
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const file of files) {
      const cert = load(file);
      const info = describeCertificate(cert);
      expect(info.commonName.length, file).toBeGreaterThan(0);
      expect(info.serialNumber, file).toMatch(/^[0-9A-F]+$/);
      expect(info.purposes, file).toEqual([]);
      expect(validityStatus(cert, new Date('2030-01-01')), file).toBe(
        new Date(info.notAfter) < new Date('2030-01-01') ? 'expired' : 'valid',
      );
    }
    expect(validityStatus(load('production/nca_rsa_2018.pem'), new Date('2020-01-01'))).toBe('valid');
    expect(validityStatus(load('production/nca_rsa_2018.pem'), new Date('2018-01-01'))).toBe('not_yet_valid');
  });
});

describe('describeCertificate on demo person certificates', () => {
  let pki: DemoPki;
  beforeAll(async () => {
    pki = await getDemoPki();
  });

  it('reads names, IIN, purposes and role of an individual, and of a legal entity head', async () => {
    const [auth] = await openKeyStore(
      pki.keyPath({ slug: 'sarsenbayev-askhat', purpose: 'AUTH' }),
      pki.password,
    );
    expect(describeCertificate(auth!.certificate)).toMatchObject({
      commonName: 'СӘРСЕНБАЕВ АСХАТ',
      surname: 'СӘРСЕНБАЕВ',
      givenName: 'АСХАТ',
      patronymic: 'ТАЛҒАТҰЛЫ',
      iin: '850109303211',
      role: 'individual',
      purposes: ['AUTH'],
      issuer: 'DEMO ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)',
    });
    // The owner's unique name as the key dialog shows it: the IIN attribute named, not a bare OID.
    expect(describeCertificate(auth!.certificate).subject).toBe(
      'CN=СӘРСЕНБАЕВ АСХАТ, SN=СӘРСЕНБАЕВ, SERIALNUMBER=IIN850109303211, C=KZ, G=ТАЛҒАТҰЛЫ',
    );
    const [head] = await openKeyStore(pki.keyPath({ role: 'head', purpose: 'SIGN' }), pki.password);
    const info = describeCertificate(head!.certificate);
    expect(info).toMatchObject({
      role: 'head',
      purposes: ['SIGN'],
      bin: '050540000145',
      iin: '750505406541',
    });
    expect(info.organization).toContain('№ 145');
    expect(purposesOf(head!.certificate)).toEqual(['SIGN']);
  });

  it('reports the expired demo key as expired and the others as valid at generation time', async () => {
    const at = new Date(pki.index.generatedAt);
    const [expired] = await openKeyStore(pki.keyPath({ status: 'expired' }), pki.password);
    expect(validityStatus(expired!.certificate, at)).toBe('expired');
    expect(validityStatus(expired!.info, at)).toBe('expired');
    const [valid] = await openKeyStore(pki.keyPath({ status: 'valid' }), pki.password);
    expect(validityStatus(valid!.info, at)).toBe('valid');
    expect(validityStatus(valid!.info, new Date(at.getTime() - 5 * 86_400_000))).toBe('not_yet_valid');
  });
});
