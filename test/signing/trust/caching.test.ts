/**
 * The trust code caches what is a pure function of the bytes (parsed extensions, purposes, issuer
 * signature verdicts, parsed CRLs). These tests repeat validations with the same objects and the
 * same long-lived checker and check that nothing time-dependent or content-dependent is carried over.
 */
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { purposesOf } from '../../../signing/certificate-profile.ts';
import { createRevocationChecker } from '../../../signing/trust/revocation/checker.ts';
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import { validateCertificate } from '../../../signing/trust/validate.ts';
import { createCrl, createEndEntity, createWorld, type World } from './fixtures.ts';

const DAY = 86_400_000;
let w: World;
let trust: TrustStore;

beforeAll(async () => {
  w = await createWorld();
  trust = TrustStore.fromCertificates([w.root.cert], [w.ca.cert]);
});

describe('caches in the trust path', () => {
  it('a shared checker given new CRL bytes decides on the new CRL, and back again', async () => {
    const checker = createRevocationChecker();
    const clean = await createCrl({ issuer: w.ca, crlNumber: 1 });
    const revoking = await createCrl({
      issuer: w.ca,
      crlNumber: 2,
      revoked: [{ serialNumber: w.auth.cert.serialNumber, revokedAt: new Date(Date.now() - DAY) }],
    });
    const validate = (crl: Buffer) =>
      validateCertificate(w.auth.cert, { trust, revocation: { ocsp: false, crls: [crl], checker } });
    expect((await validate(clean)).indication).toBe('TOTAL_PASSED');
    expect(await validate(revoking)).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    expect((await validate(clean)).indication).toBe('TOTAL_PASSED');
  });

  it('a cached CRL is checked for freshness on every call', async () => {
    let now = new Date();
    const checker = createRevocationChecker({ clock: () => now });
    const crl = await createCrl({ issuer: w.ca, crlNumber: 1, nextUpdate: new Date(Date.now() + DAY) });
    const options = { trust, revocation: { ocsp: false, crls: [crl], checker } };
    expect((await validateCertificate(w.auth.cert, options)).indication).toBe('TOTAL_PASSED');
    now = new Date(Date.now() + 3 * DAY);
    expect(await validateCertificate(w.auth.cert, { ...options, at: now })).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
    });
  });

  it('a certificate that passed is still judged at each call time', async () => {
    const cert = new X509Certificate(w.auth.cert.raw);
    expect((await validateCertificate(cert, { trust, revocation: false })).indication).toBe('TOTAL_PASSED');
    const later = new Date(Date.now() + 400 * DAY);
    expect(await validateCertificate(cert, { trust, revocation: false, at: later })).toMatchObject({
      indication: 'TOTAL_FAILED',
      subIndication: 'EXPIRED',
    });
  });

  it('a verified issuer signature does not vouch for another certificate with the same names', async () => {
    expect((await validateCertificate(w.auth.cert, { trust, revocation: false })).indication).toBe('TOTAL_PASSED');
    const forged = await createEndEntity({
      issuer: w.ca,
      keys: w.leafKeys,
      purpose: 'AUTH',
      serialNumber: w.auth.cert.serialNumber,
      signWith: w.otherKeys.privateKey,
    });
    expect(await validateCertificate(forged.cert, { trust, revocation: false })).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
  });

  it('purposes come from each certificate, and callers cannot change the cached answer', () => {
    const first = purposesOf(w.auth.cert);
    expect(first).toEqual(['AUTH']);
    first.push('SIGN');
    expect(purposesOf(new X509Certificate(w.auth.cert.raw))).toEqual(['AUTH']);
    expect(purposesOf(w.sign.cert)).toEqual(['SIGN']);
  });
});
