import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import { validateCertificate } from '../../../signing/trust/validate.ts';
import { createCa, createEndEntity, createWorld, type World } from './fixtures.ts';

const DAY = 86_400_000;
let w: World;
let trust: TrustStore;

beforeAll(async () => {
  w = await createWorld();
  trust = TrustStore.fromCertificates([w.root.cert], [w.ca.cert]);
});

describe('validateCertificate: chain', () => {
  it('passes a certificate chaining to a trusted root', async () => {
    const result = await validateCertificate(w.auth.cert, { trust, revocation: false });
    expect(result.indication).toBe('TOTAL_PASSED');
    expect(result.chain.map((c) => c.subject)).toEqual([
      w.auth.cert.subject,
      w.ca.cert.subject,
      w.root.cert.subject,
    ]);
  });

  it('finds the issuing CA among extraCertificates when the store lacks it', async () => {
    const rootOnly = TrustStore.fromCertificates([w.root.cert]);
    const without = await validateCertificate(w.auth.cert, { trust: rootOnly, revocation: false });
    expect(without).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
      chain: [],
    });
    const withExtra = await validateCertificate(w.auth.cert, {
      trust: rootOnly,
      revocation: false,
      extraCertificates: [w.ca.cert],
    });
    expect(withExtra.indication).toBe('TOTAL_PASSED');
  });

  it('never passes a certificate whose issuer is not trusted, even with its whole chain supplied', async () => {
    const rogueCa = await createCa({ cn: 'TEST ISSUING CA (RSA)', keys: w.otherKeys, issuer: w.otherRoot });
    const rogue = await createEndEntity({ issuer: rogueCa, keys: w.leafKeys, purpose: 'AUTH' });
    const result = await validateCertificate(rogue.cert, {
      trust,
      revocation: false,
      extraCertificates: [rogueCa.cert, w.otherRoot.cert],
    });
    expect(result.indication).toBe('INDETERMINATE');
    expect(result.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(result.chain).toEqual([]);
  });

  it('rejects a certificate whose signature does not match its named issuer', async () => {
    const forged = await createEndEntity({
      issuer: w.ca,
      keys: w.leafKeys,
      purpose: 'AUTH',
      signWith: w.otherKeys.privateKey,
    });
    const result = await validateCertificate(forged.cert, { trust, revocation: false });
    expect(result).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
    expect(result.errors.join(' ')).toContain('does not match the key of "TEST ISSUING CA (RSA)"');
  });

  it('rejects an issuer that is not a CA', async () => {
    const notCa = await createCa({ cn: 'NOT A CA', keys: w.otherKeys, issuer: w.root, isCa: false });
    const leaf = await createEndEntity({ issuer: notCa, keys: w.leafKeys, purpose: 'AUTH' });
    const result = await validateCertificate(leaf.cert, {
      trust: TrustStore.fromCertificates([w.root.cert], [notCa.cert]),
      revocation: false,
    });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CHAIN_CONSTRAINTS_FAILURE' });
  });
});

describe('validateCertificate: path length', () => {
  it('enforces the pathLenConstraint of an issuer', async () => {
    const strictRoot = await createCa({ cn: 'STRICT ROOT', keys: w.otherKeys, pathLength: 0 });
    const ca = await createCa({ cn: 'CA UNDER STRICT ROOT', keys: w.ca.keys, issuer: strictRoot });
    const leaf = await createEndEntity({ issuer: ca, keys: w.leafKeys, purpose: 'AUTH' });
    const strictTrust = TrustStore.fromCertificates([strictRoot.cert], [ca.cert]);
    const result = await validateCertificate(leaf.cert, { trust: strictTrust, revocation: false });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CHAIN_CONSTRAINTS_FAILURE' });
    expect(result.errors).toEqual(['"STRICT ROOT" may not have 1 certification authorities below it.']);
    // The CA itself, directly under the root, is within the constraint.
    const direct = await validateCertificate(ca.cert, { trust: strictTrust, revocation: false });
    expect(direct.indication).toBe('TOTAL_PASSED');
  });
});

describe('validateCertificate: time', () => {
  it('fails when an intermediate has expired', async () => {
    const expiredCa = await createCa({
      cn: 'EXPIRED CA',
      keys: w.otherKeys,
      issuer: w.root,
      notBefore: new Date(Date.now() - 400 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const leaf = await createEndEntity({ issuer: expiredCa, keys: w.leafKeys, purpose: 'AUTH' });
    const result = await validateCertificate(leaf.cert, {
      trust: TrustStore.fromCertificates([w.root.cert], [expiredCa.cert]),
      revocation: false,
    });
    expect(result).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'EXPIRED' });
    expect(result.errors[0]).toMatch(/^The issuing certificate "EXPIRED CA" expired on \d\d\.\d\d\.\d{4}\.$/);
  });

  it('judges validity at the given time', async () => {
    const notBefore = new Date(w.auth.cert.validFrom);
    const notAfter = new Date(w.auth.cert.validTo);
    const inside = await validateCertificate(w.auth.cert, {
      trust,
      revocation: false,
      at: new Date(notBefore.getTime() + DAY),
    });
    expect(inside.indication).toBe('TOTAL_PASSED');
    const after = await validateCertificate(w.auth.cert, {
      trust,
      revocation: false,
      at: new Date(notAfter.getTime() + DAY),
    });
    expect(after).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'EXPIRED' });
    const before = await validateCertificate(w.auth.cert, {
      trust,
      revocation: false,
      at: new Date(notBefore.getTime() - DAY),
    });
    expect(before).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'NOT_YET_VALID' });
  });
});

describe('validateCertificate: purpose', () => {
  it('accepts an AUTH certificate for AUTH and refuses it for SIGN, and the reverse', async () => {
    const ok = (cert: typeof w.auth.cert, purpose: 'AUTH' | 'SIGN') =>
      validateCertificate(cert, { trust, revocation: false, purpose }).then(
        (r) => r.indication + (r.subIndication ?? ''),
      );
    expect(await ok(w.auth.cert, 'AUTH')).toBe('TOTAL_PASSED');
    expect(await ok(w.auth.cert, 'SIGN')).toBe('TOTAL_FAILEDWRONG_PURPOSE');
    expect(await ok(w.sign.cert, 'SIGN')).toBe('TOTAL_PASSED');
    expect(await ok(w.sign.cert, 'AUTH')).toBe('TOTAL_FAILEDWRONG_PURPOSE');
  });

  it('explains a wrong purpose in plain words', async () => {
    const result = await validateCertificate(w.sign.cert, { trust, revocation: false, purpose: 'AUTH' });
    expect(result.errors).toEqual(['This certificate is not meant for authentication (login).']);
  });
});

describe('validateCertificate: critical extensions (RFC 5280 4.2)', () => {
  // An extension of a made-up OID, and nameConstraints (2.5.29.30), which we do not enforce.
  const unknown = (critical: boolean): x509.Extension => new x509.Extension('1.2.3.4.5', critical, new Uint8Array([0x05, 0x00]));
  const nameConstraints = new x509.Extension('2.5.29.30', true, new Uint8Array([0x30, 0x00]));

  it('refuses a certificate with a critical extension it does not understand, and names it', async () => {
    const leaf = await createEndEntity({ issuer: w.ca, keys: w.leafKeys, purpose: 'AUTH', extraExtensions: [unknown(true)] });
    const result = await validateCertificate(leaf.cert, { trust, revocation: false });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CHAIN_CONSTRAINTS_FAILURE' });
    expect(result.errors).toEqual([
      'The certificate carries a critical extension this application does not support (1.2.3.4.5), so it cannot be accepted.',
    ]);
  });

  it('accepts the same extension when it is not critical', async () => {
    const leaf = await createEndEntity({ issuer: w.ca, keys: w.leafKeys, purpose: 'AUTH', extraExtensions: [unknown(false)] });
    expect((await validateCertificate(leaf.cert, { trust, revocation: false })).indication).toBe('TOTAL_PASSED');
  });

  it('refuses an issuing CA whose critical name constraints it cannot apply', async () => {
    const ca = await createCa({ cn: 'CONSTRAINED CA (RSA)', keys: w.otherKeys, issuer: w.root, extraExtensions: [nameConstraints] });
    const leaf = await createEndEntity({ issuer: ca, keys: w.leafKeys, purpose: 'AUTH' });
    const result = await validateCertificate(leaf.cert, { trust: TrustStore.fromCertificates([w.root.cert], [ca.cert]), revocation: false });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CHAIN_CONSTRAINTS_FAILURE' });
    expect(result.errors[0]).toContain('"CONSTRAINED CA (RSA)" carries a critical extension');
  });

  it('takes a trust anchor as configured, whatever it carries', async () => {
    const root = await createCa({ cn: 'ANCHOR WITH CONSTRAINTS (RSA)', keys: w.otherKeys, extraExtensions: [nameConstraints] });
    const leaf = await createEndEntity({ issuer: root, keys: w.leafKeys, purpose: 'AUTH' });
    const result = await validateCertificate(leaf.cert, { trust: TrustStore.fromCertificates([root.cert]), revocation: false });
    expect(result.indication).toBe('TOTAL_PASSED');
  });
});
