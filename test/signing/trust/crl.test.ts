import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOcspResponder } from '../../../demo/pki/ocsp-responder.ts';
import { createRevocationChecker } from '../../../signing/trust/revocation/checker.ts';
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import { validateCertificate } from '../../../signing/trust/validate.ts';
import type { RevocationOptions } from '../../../signing/types.ts';
import {
  CRL_URL,
  DELTA_CRL_URL,
  OCSP_URL,
  createCa,
  createCrl,
  createEndEntity,
  createWorld,
  type World,
} from './fixtures.ts';

const DAY = 86_400_000;
const REVOKED_AT = new Date('2026-03-12T09:30:00Z');
let w: World;
let trust: TrustStore;

beforeAll(async () => {
  w = await createWorld();
  trust = TrustStore.fromCertificates([w.root.cert], [w.ca.cert]);
});

const crlOnly = (crls: Buffer[]): RevocationOptions => ({ ocsp: false, crls });
const revokedEntry = () => ({ serialNumber: w.auth.cert.serialNumber, revokedAt: REVOKED_AT });

describe('CRL', () => {
  it('not revoked: passes', async () => {
    const crl = await createCrl({
      issuer: w.ca,
      crlNumber: 1,
      revoked: [{ serialNumber: w.sign.cert.serialNumber, revokedAt: REVOKED_AT }],
    });
    const result = await validateCertificate(w.auth.cert, { trust, revocation: crlOnly([crl]) });
    expect(result).toMatchObject({ indication: 'TOTAL_PASSED', revocation: 'good' });
  });

  it('revoked: fails with the date (PEM CRL accepted too)', async () => {
    const der = await createCrl({ issuer: w.ca, crlNumber: 1, revoked: [revokedEntry()] });
    const pem = Buffer.from(`-----BEGIN X509 CRL-----\n${der.toString('base64')}\n-----END X509 CRL-----\n`);
    for (const crl of [der, pem]) {
      const result = await validateCertificate(w.auth.cert, { trust, revocation: crlOnly([crl]) });
      expect(result).toMatchObject({
        indication: 'TOTAL_FAILED',
        subIndication: 'REVOKED',
        revocation: 'revoked',
      });
      expect(result.errors).toEqual(['The certificate was revoked on 12.03.2026.']);
    }
  });

  it('an expired CRL is not used', async () => {
    const crl = await createCrl({
      issuer: w.ca,
      crlNumber: 1,
      thisUpdate: new Date(Date.now() - 10 * DAY),
      nextUpdate: new Date(Date.now() - 3 * DAY),
    });
    const result = await validateCertificate(w.auth.cert, { trust, revocation: crlOnly([crl]) });
    expect(result).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
      revocation: 'unknown',
    });
    expect(result.warnings.join(' ')).toContain('out of date');
  });

  it('a malformed CRL (an empty entry-extensions SEQUENCE) is named as such and never passes', async () => {
    // @peculiar/x509 writes `crlEntryExtensions SEQUENCE {}` for an entry without a reason, which
    // RFC 5280 forbids (SIZE 1..MAX).
    const generated = await x509.X509CrlGenerator.create({
      issuer: w.ca.peculiar.subject,
      thisUpdate: new Date(Date.now() - DAY),
      nextUpdate: new Date(Date.now() + DAY),
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      signingKey: w.ca.keys.privateKey,
      entries: [{ serialNumber: w.sign.cert.serialNumber, revocationDate: REVOKED_AT }],
    });
    const crl = Buffer.from(generated.rawData);
    const result = await validateCertificate(w.auth.cert, { trust, revocation: crlOnly([crl]) });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(result.warnings.join(' ')).toContain('not a well-formed X.509 CRL');
  });

  it('a CRL signed by the wrong key is not used', async () => {
    const crl = await createCrl({ issuer: w.ca, crlNumber: 1, signWith: w.otherKeys.privateKey });
    const result = await validateCertificate(w.auth.cert, { trust, revocation: crlOnly([crl]) });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(result.warnings.join(' ')).toContain('no CRL signed by the issuing CA');
  });

  it('a delta CRL revokes a serial its base does not list', async () => {
    const base = await createCrl({ issuer: w.ca, crlNumber: 5 });
    const delta = await createCrl({
      issuer: w.ca,
      crlNumber: 6,
      deltaOf: 5,
      thisUpdate: new Date(Date.now() - 60_000),
      revoked: [revokedEntry()],
    });
    const baseOnly = await validateCertificate(w.auth.cert, { trust, revocation: crlOnly([base]) });
    expect(baseOnly.revocation).toBe('good');
    const withDelta = await validateCertificate(w.auth.cert, { trust, revocation: crlOnly([base, delta]) });
    expect(withDelta).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
  });

  it('a delta CRL for a newer base than ours is ignored; removeFromCRL lifts a hold', async () => {
    const base = await createCrl({ issuer: w.ca, crlNumber: 5, revoked: [revokedEntry()] });
    const tooNew = await createCrl({ issuer: w.ca, crlNumber: 9, deltaOf: 8, revoked: [] });
    const stillRevoked = await validateCertificate(w.auth.cert, {
      trust,
      revocation: crlOnly([base, tooNew]),
    });
    expect(stillRevoked.subIndication).toBe('REVOKED');
    const lifted = await createCrl({
      issuer: w.ca,
      crlNumber: 6,
      deltaOf: 5,
      revoked: [{ ...revokedEntry(), removeFromCrl: true }],
    });
    const good = await validateCertificate(w.auth.cert, { trust, revocation: crlOnly([base, lifted]) });
    expect(good.revocation).toBe('good');
  });

  it('ignores a CRL that covers only CA certificates, or carries an unknown critical extension', async () => {
    // Issuing Distribution Point { onlyContainsCACerts [2] TRUE }
    const caOnly = new x509.Extension('2.5.29.28', true, new Uint8Array([0x30, 0x03, 0x82, 0x01, 0xff]));
    const unknown = new x509.Extension('1.2.3.4.5.6', true, new Uint8Array([0x05, 0x00]));
    for (const [extension, reason] of [
      [caOnly, 'no CRL from the issuing CA covers this certificate'],
      [unknown, 'unsupported critical extension 1.2.3.4.5.6'],
    ] as const) {
      const crl = await createCrl({
        issuer: w.ca,
        crlNumber: 1,
        revoked: [revokedEntry()],
        extensions: [extension],
      });
      const result = await validateCertificate(w.auth.cert, { trust, revocation: crlOnly([crl]) });
      expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
      expect(result.warnings.join(' ')).toContain(reason);
    }
  });

  it('downloads base and delta CRLs from the certificate, caches them by URL', async () => {
    const base = await createCrl({ issuer: w.ca, crlNumber: 1 });
    const delta = await createCrl({ issuer: w.ca, crlNumber: 2, deltaOf: 1, revoked: [revokedEntry()] });
    const requested: string[] = [];
    const fakeFetch = (async (url: string | URL | Request) => {
      requested.push(String(url));
      const body = String(url) === CRL_URL ? base : String(url) === DELTA_CRL_URL ? delta : undefined;
      return body ? new Response(new Uint8Array(body), { status: 200 }) : new Response(null, { status: 404 });
    }) as typeof fetch;
    const checker = createRevocationChecker();
    const options: RevocationOptions = { ocsp: false, fetch: fakeFetch, checker };
    const first = await validateCertificate(w.auth.cert, { trust, revocation: options });
    expect(first.subIndication).toBe('REVOKED');
    expect(requested.sort()).toEqual([CRL_URL, DELTA_CRL_URL].sort());
    const second = await validateCertificate(w.sign.cert, { trust, revocation: options });
    expect(second.indication).toBe('TOTAL_PASSED');
    expect(requested).toHaveLength(2); // served from the cache
  });

  it('falls back to the CRL when OCSP does not answer', async () => {
    const crl = await createCrl({ issuer: w.ca, crlNumber: 1, revoked: [revokedEntry()] });
    const down = (async () => new Response(null, { status: 503 })) as typeof fetch;
    const result = await validateCertificate(w.auth.cert, {
      trust,
      revocation: { fetch: down, crls: [crl] },
    });
    expect(result).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
  });

  it('asks OCSP first and does not need the CRL when OCSP answers', async () => {
    const responder = createOcspResponder({ caCertificate: w.ca.cert, caKey: w.ca.privateKey, revoked: [] });
    const urls: string[] = [];
    const viaResponder = (async (url: string | URL | Request, init?: RequestInit) => {
      urls.push(String(url));
      return new Response(new Uint8Array(await responder.handle(Buffer.from(init?.body as Uint8Array))), {
        status: 200,
      });
    }) as typeof fetch;
    const result = await validateCertificate(w.auth.cert, { trust, revocation: { fetch: viaResponder } });
    expect(result.revocation).toBe('good');
    expect(urls).toEqual([OCSP_URL]);
  });

  it('a revoked intermediate fails the chain when its CRL is given', async () => {
    const rootCrl = await createCrl({
      issuer: w.root,
      crlNumber: 1,
      revoked: [{ serialNumber: w.ca.cert.serialNumber, revokedAt: REVOKED_AT }],
    });
    const caCrl = await createCrl({ issuer: w.ca, crlNumber: 1 });
    const result = await validateCertificate(w.auth.cert, { trust, revocation: crlOnly([rootCrl, caCrl]) });
    expect(result).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    expect(result.errors[0]).toBe(
      'The issuing certificate "TEST ISSUING CA (RSA)" was revoked on 12.03.2026.',
    );
  });

  it("warns when an issuing CA's own CRL cannot be fetched, without failing the certificate", async () => {
    const caWithCdp = await createCa({
      cn: 'TEST ISSUING CA (RSA)',
      keys: w.ca.keys,
      issuer: w.root,
      crlUrls: ['http://crl.test.invalid/root.crl'],
    });
    const leafCrl = await createCrl({ issuer: caWithCdp, crlNumber: 1 });
    const down = (async () => new Response(null, { status: 503 })) as typeof fetch;
    const result = await validateCertificate(w.auth.cert, {
      trust: TrustStore.fromCertificates([w.root.cert], [caWithCdp.cert]),
      revocation: { ocsp: false, fetch: down },
    });
    // The end-entity's CRL download fails too here: no answer, so TRY_LATER, and the CA warning is there.
    expect(result.subIndication).toBe('TRY_LATER');
    expect(result.warnings).toContain(
      'The revocation status of the issuing certificate "TEST ISSUING CA (RSA)" could not be checked.',
    );
    const withLeafCrl = await validateCertificate(w.auth.cert, {
      trust: TrustStore.fromCertificates([w.root.cert], [caWithCdp.cert]),
      revocation: { ocsp: false, fetch: down, crls: [leafCrl] },
    });
    expect(withLeafCrl.indication).toBe('TOTAL_PASSED');
    expect(withLeafCrl.warnings).toEqual([
      'The revocation status of the issuing certificate "TEST ISSUING CA (RSA)" could not be checked.',
    ]);
  });

  it('without any revocation source the result is never TOTAL_PASSED', async () => {
    const bareCa = await createCa({ cn: 'BARE CA', keys: w.otherKeys, issuer: w.root });
    const bare = await createEndEntity({ issuer: bareCa, keys: w.leafKeys, purpose: 'SIGN' });
    const result = await validateCertificate(bare.cert, {
      trust: TrustStore.fromCertificates([w.root.cert], [bareCa.cert]),
      revocation: {},
    });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(result.warnings.join(' ')).toContain('no OCSP responder or CRL address');
  });
});
