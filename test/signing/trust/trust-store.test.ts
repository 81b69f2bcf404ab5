import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCertificates, splitUrls, extensionsOf } from '../../../signing/trust/certificates.ts';
import { TrustStore, loadTrustStore, trustResourcesDir } from '../../../signing/trust/trust-store.ts';
import { validateCertificate } from '../../../signing/trust/validate.ts';

const nca = (folder: 'production' | 'nca-test', name: string) =>
  readCertificates(readFileSync(path.join(trustResourcesDir(), folder, `${name}.pem`)))[0]!;

describe('loadTrustStore with the real NCA certificates', () => {
  afterEach(() => {
    delete process.env.JOLDAMA_RESOURCES;
  });

  it('trusts the production roots by default and never the test roots', async () => {
    const store = await loadTrustStore();
    const anchors = store
      .list()
      .filter((c) => c.role === 'anchor')
      .map((c) => c.fingerprintSha256);
    expect(anchors).toContain(nca('production', 'root_rsa_2020').fingerprint256.replace(/:/g, ''));
    expect(anchors).not.toContain(nca('nca-test', 'root_rsa_test').fingerprint256.replace(/:/g, ''));
    // The issuing CAs are intermediates, not anchors.
    expect(store.isAnchor(nca('production', 'nca_rsa_2022'))).toBe(false);
    expect(
      store.intermediates.some((c) => c.fingerprint256 === nca('production', 'nca_rsa_2022').fingerprint256),
    ).toBe(true);
  });

  it('chains nca_rsa_2022 to root_rsa_2020 today', async () => {
    const store = await loadTrustStore();
    const result = await validateCertificate(nca('production', 'nca_rsa_2022'), {
      trust: store,
      revocation: false,
    });
    expect(result.indication).toBe('TOTAL_PASSED');
    expect(result.chain.map((c) => c.fingerprint256)).toEqual([
      nca('production', 'nca_rsa_2022').fingerprint256,
      nca('production', 'root_rsa_2020').fingerprint256,
    ]);
    expect(result.revocation).toBe('not_checked');
    expect(result.warnings).toContain('Revocation was not checked.');
  });

  it('chains the 2018 CA to the 2015 root only inside their validity', async () => {
    const store = await loadTrustStore();
    const cert = nca('production', 'nca_rsa_2018');
    const then = await validateCertificate(cert, {
      trust: store,
      revocation: false,
      at: new Date('2020-01-01T00:00:00Z'),
    });
    expect(then.indication).toBe('TOTAL_PASSED');
    expect(then.chain[1]?.fingerprint256).toBe(nca('production', 'root_rsa_2015').fingerprint256);
    const now = await validateCertificate(cert, { trust: store, revocation: false });
    expect(now).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'EXPIRED' });
  });

  it('trusts the NCA RSA test chain only when asked, and only before it expired (2024-03-13)', async () => {
    const cert = nca('nca-test', 'nca_rsa_test');
    const at = new Date('2024-01-15T00:00:00Z');
    const production = await validateCertificate(cert, {
      trust: await loadTrustStore(),
      revocation: false,
      at,
    });
    expect(production).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
    expect(production.errors.join(' ')).toContain('not in the trust store');

    const withTest = await loadTrustStore({ ncaTest: true });
    const before = await validateCertificate(cert, { trust: withTest, revocation: false, at });
    expect(before.indication).toBe('TOTAL_PASSED');
    expect(before.chain[1]?.fingerprint256).toBe(nca('nca-test', 'root_rsa_test').fingerprint256);
    const after = await validateCertificate(cert, {
      trust: withTest,
      revocation: false,
      at: new Date('2024-03-14T00:00:00Z'),
    });
    expect(after).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'EXPIRED' });
    expect(after.errors[0]).toBe('The certificate expired on 13.03.2024.');
  });

  it('loads the GOST CAs without crashing and reports their chains as unsupported', async () => {
    const store = await loadTrustStore({ ncaTest: true });
    const gost = store.list().filter((c) => c.algorithm === 'GOST (not checkable)');
    expect(gost.length).toBeGreaterThanOrEqual(9);
    for (const name of ['gost2015_nca_2022', 'gost_nca_2018'] as const) {
      const result = await validateCertificate(nca('production', name), {
        trust: store,
        revocation: false,
        at: new Date('2023-01-01T00:00:00Z'),
      });
      expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'UNSUPPORTED_ALGORITHM' });
      expect(result.errors[0]).toContain('GOST');
    }
  });

  it('reads extra certificates and honours JOLDAMA_RESOURCES', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'joldama-trust-'));
    try {
      mkdirSync(path.join(dir, 'trust', 'production'), { recursive: true });
      copyFileSync(
        path.join(trustResourcesDir(), 'production', 'root_rsa_2020.pem'),
        path.join(dir, 'trust', 'production', 'root.pem'),
      );
      process.env.JOLDAMA_RESOURCES = dir;
      const store = await loadTrustStore({ extra: [path.join(dir, 'trust', 'production', 'root.pem')] });
      // Same certificate twice (folder + extra file) is kept once.
      expect(store.list()).toHaveLength(1);
      expect(store.list()[0]).toMatchObject({ role: 'anchor', algorithm: 'rsa' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing or unreadable source with a typed error', async () => {
    await expect(loadTrustStore({ extra: ['/nonexistent/ca.pem'] })).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'joldama-trust-'));
    try {
      writeFileSync(path.join(dir, 'junk.pem'), 'not a certificate');
      await expect(
        loadTrustStore({ production: false, extra: [path.join(dir, 'junk.pem')] }),
      ).rejects.toMatchObject({ code: 'CERTIFICATE_UNTRUSTED' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('skips files that are not certificates inside a folder (a CA key beside its certificate)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'joldama-trust-'));
    try {
      writeFileSync(
        path.join(dir, 'ca-key.pem'),
        '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      );
      copyFileSync(
        path.join(trustResourcesDir(), 'production', 'root_rsa_2020.pem'),
        path.join(dir, 'root.pem'),
      );
      const store = await loadTrustStore({ production: false, extra: [dir] });
      expect(store.list().map((c) => c.role)).toEqual(['anchor']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fromCertificates keeps anchors and intermediates apart without duplicates', () => {
    const root = nca('production', 'root_rsa_2020');
    const store = TrustStore.fromCertificates([root, root], [root, nca('production', 'nca_rsa_2022')]);
    expect(store.anchors).toHaveLength(1);
    expect(store.intermediates).toHaveLength(1);
  });
});

describe('CRL addresses', () => {
  it('splits the malformed 2018 CDP URI into its two addresses', () => {
    expect(extensionsOf(nca('production', 'nca_rsa_2018')).crlUrls).toEqual([
      'http://crl.root.gov.kz/rsa.crl',
      'http://crl1.root.gov.kz/rsa.crl',
    ]);
  });

  it('rejects what is not an http(s) URL', () => {
    expect(splitUrls('ldap://x/y file:///etc/passwd URL=https://ok.kz/a.crl garbage')).toEqual([
      'https://ok.kz/a.crl',
    ]);
  });
});
