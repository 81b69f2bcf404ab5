import 'reflect-metadata';
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoPkiIndexSchema } from '../../demo/pki/generate.ts';
import { DEMO_COMMISSION, DEMO_IDENTITIES, DEMO_KINDERGARTEN } from '../../demo/pki/identities.ts';
import { iinBirthDate, iinSex, isValidBin, isValidIin } from '../../signing/identifiers.ts';
import { getDemoPki, type DemoPki } from '../helpers/demo-pki.ts';

/** The certificate inside an NCA-format .p12, extracted by OpenSSL (independent of our reader). */
function certFromP12(path: string, password: string): x509.X509Certificate {
  const pem = execFileSync('openssl', [
    'pkcs12',
    '-legacy',
    '-nokeys',
    '-clcerts',
    '-passin',
    `pass:${password}`,
    '-in',
    path,
  ]);
  return new x509.X509Certificate(pem.toString('utf8').replace(/^[\s\S]*?(-----BEGIN)/, '$1'));
}

describe('demo identities', () => {
  it('have valid IINs matching their birth date and sex, and valid kindergarten and commission BINs', () => {
    for (const person of DEMO_IDENTITIES) {
      expect(isValidIin(person.iin), person.slug).toBe(true);
      expect(iinBirthDate(person.iin)?.toISOString().slice(0, 10)).toBe(person.birthDate);
      expect(iinSex(person.iin)).toBe(person.sex);
    }
    expect(isValidBin(DEMO_KINDERGARTEN.bin)).toBe(true);
    expect(isValidBin(DEMO_COMMISSION.bin)).toBe(true);
    expect(new Set(DEMO_IDENTITIES.map((p) => p.iin)).size).toBe(DEMO_IDENTITIES.length);
    const statuses = DEMO_IDENTITIES.map((p) => p.status);
    expect(statuses.filter((s) => s === 'valid').length).toBeGreaterThanOrEqual(5);
    expect(statuses).toContain('revoked');
    expect(statuses).toContain('expired');
  });
});

describe('generateDemoPki', () => {
  let pki: DemoPki;
  beforeAll(async () => {
    pki = await getDemoPki();
  });

  it('writes an index.json that matches its schema and the returned object', () => {
    const onDisk: unknown = JSON.parse(readFileSync(join(pki.dir, 'index.json'), 'utf8'));
    expect(demoPkiIndexSchema.parse(onDisk)).toEqual(pki.index);
    expect(pki.index.keys).toHaveLength(DEMO_IDENTITIES.length * 2);
    for (const key of pki.index.keys) {
      expect(existsSync(join(pki.dir, key.file))).toBe(true);
      const prefix = key.purposes[0] === 'AUTH' ? 'AUTH_RSA256_' : 'RSA256_';
      expect(key.file.split('/').pop()).toMatch(new RegExp(`^${prefix}[0-9a-f]{40}\\.p12$`));
    }
  });

  it('chains root → issuing CA → person, with CA constraints', async () => {
    expect(pki.root.verify(pki.root.publicKey)).toBe(true);
    expect(pki.intermediate.verify(pki.root.publicKey)).toBe(true);
    expect(pki.intermediate.ca).toBe(true);
    const person = certFromP12(pki.keyPath({ slug: 'abilov-dauren', purpose: 'SIGN' }), pki.password);
    const node = new X509Certificate(Buffer.from(person.rawData));
    expect(node.verify(pki.intermediate.publicKey)).toBe(true);
    expect(node.verify(pki.root.publicKey)).toBe(false);
    expect(node.ca).toBe(false);
  });

  it('issues AUTH certificates in the NCA individual profile', () => {
    const key = pki.key({ slug: 'zhanbyrbayeva-aigul', purpose: 'AUTH' });
    const cert = certFromP12(key.path, pki.password);
    const name = cert.subjectName;
    expect(name.getField('CN')).toEqual(['ЖАНБЫРБАЕВА АЙГҮЛ']);
    expect(name.getField('2.5.4.4')).toEqual(['ЖАНБЫРБАЕВА']);
    expect(name.getField('2.5.4.5')).toEqual(['IIN880314401231']);
    expect(name.getField('2.5.4.42')).toEqual(['СЕРІКҚЫЗЫ']);
    expect(name.getField('C')).toEqual(['KZ']);
    expect(cert.serialNumber.toUpperCase()).toBe(key.serialNumber);
    const ku = cert.getExtension(x509.KeyUsagesExtension);
    expect(ku?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      '1.3.6.1.5.5.7.3.2',
      '1.2.398.3.3.4.1.1',
    ]);
    expect(cert.getExtension(x509.CertificatePolicyExtension)?.policies).toEqual(['1.2.398.3.3.2.4']);
    const aia = cert.getExtension(x509.AuthorityInfoAccessExtension);
    expect(aia?.ocsp.map((n) => n.value)).toEqual(['http://127.0.0.1:8740/ocsp']);
    expect(cert.getExtension(x509.CRLDistributionPointsExtension)).toBeDefined();
    expect(cert.getExtension(x509.SubjectKeyIdentifierExtension)).toBeDefined();
    expect(cert.getExtension(x509.AuthorityKeyIdentifierExtension)).toBeDefined();
  });

  it('issues the kindergarten head SIGN certificate in the legal-entity profile', () => {
    const cert = certFromP12(pki.keyPath({ role: 'head', purpose: 'SIGN' }), pki.password);
    expect(cert.subjectName.getField('O')).toEqual([DEMO_KINDERGARTEN.name]);
    expect(cert.subjectName.getField('OU')).toEqual([`BIN${DEMO_KINDERGARTEN.bin}`]);
    const ku = cert.getExtension(x509.KeyUsagesExtension);
    expect(ku?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      '1.3.6.1.5.5.7.3.4',
      '1.2.398.3.3.4.1.2',
      '1.2.398.3.3.4.1.2.1',
    ]);
    expect(cert.getExtension(x509.CertificatePolicyExtension)?.policies).toEqual(['1.2.398.3.3.2.1']);
  });

  it('issues the commission head AUTH certificate for the commission\'s BIN', () => {
    const cert = certFromP12(pki.keyPath({ slug: 'isayeva-saule', purpose: 'AUTH' }), pki.password);
    expect(cert.subjectName.getField('O')).toEqual([DEMO_COMMISSION.name]);
    expect(cert.subjectName.getField('OU')).toEqual([`BIN${DEMO_COMMISSION.bin}`]);
    expect(pki.key({ role: 'head', purpose: 'AUTH' }).bin).toBe(DEMO_KINDERGARTEN.bin); // still the first head
  });

  it('dates the expired key fully in the past and the others around generation time', () => {
    const generatedAt = new Date(pki.index.generatedAt).getTime();
    for (const key of pki.index.keys) {
      const notBefore = new Date(key.notBefore).getTime();
      const notAfter = new Date(key.notAfter).getTime();
      if (key.status === 'expired') expect(notAfter).toBeLessThan(generatedAt);
      else expect(notBefore <= generatedAt && generatedAt <= notAfter).toBe(true);
    }
  });

  it('revokes exactly the revoked person in a signed CRL with a CRL number', async () => {
    const crl = new x509.X509Crl(new Uint8Array(pki.crl));
    expect(await crl.verify({ publicKey: new x509.X509Certificate(pki.intermediate.raw) })).toBe(true);
    const revoked = pki.index.keys.filter((k) => k.status === 'revoked').map((k) => k.serialNumber);
    expect(revoked).toHaveLength(2);
    expect(crl.entries.map((e) => e.serialNumber.toUpperCase()).sort()).toEqual([...revoked].sort());
    expect(crl.getExtension('2.5.29.20')).not.toBeNull();
    expect(crl.nextUpdate && crl.nextUpdate > crl.thisUpdate).toBe(true);
  });

  it('writes the NCA legacy PKCS#12 flavour, as OpenSSL reports it', () => {
    const run = spawnSync(
      'openssl',
      ['pkcs12', '-info', '-legacy', '-noout', '-passin', `pass:${pki.password}`, '-in', pki.keyPath()],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    const report = run.stdout + run.stderr;
    expect(report).toContain('MAC: sha1, Iteration 1024');
    expect(report).toContain('PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 1024');
    expect(report).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 1024');
  });

  it('is refused by OpenSSL with a wrong password (the MAC really covers the content)', () => {
    expect(() =>
      execFileSync(
        'openssl',
        ['pkcs12', '-info', '-legacy', '-noout', '-passin', 'pass:wrong', '-in', pki.keyPath()],
        {
          stdio: 'ignore',
        },
      ),
    ).toThrow();
  });
});
