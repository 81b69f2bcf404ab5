/**
 * Revocation judged at the validation time (`at`), which may lie in the past: a CRL or OCSP answer
 * current at `at` decides, a revocation before `at` decides whenever it was published, and OCSP
 * responses can be handed over as files (no nonce of ours to echo).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOcspResponder } from '../../../demo/pki/ocsp-responder.ts';
import { buildOcspRequest } from '../../../signing/trust/revocation/ocsp.ts';
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import { validateCertificate } from '../../../signing/trust/validate.ts';
import type { RevocationOptions } from '../../../signing/types.ts';
import { createCrl, createEndEntity, createWorld, type Issued, type World } from './fixtures.ts';

const DAY = 86_400_000;
const daysAgo = (n: number): Date => new Date(Date.now() - n * DAY);
let w: World;
let trust: TrustStore;

beforeAll(async () => {
  w = await createWorld();
  trust = TrustStore.fromCertificates([w.root.cert], [w.ca.cert]);
});

/** Files only: a network call would be a bug here. */
const offline = (extra: RevocationOptions): RevocationOptions => ({
  crls: [],
  ocspResponses: [],
  fetch: (async () => {
    throw new Error('no network in this test');
  }) as typeof fetch,
  ...extra,
});

/** An OCSP response as a responder with this clock would have given it (saved to a file, say). */
async function ocspResponse(
  cert: Issued,
  options: { at: Date; revoked?: Array<{ serialNumber: string; revokedAt: Date }>; key?: Issued['privateKey'] },
): Promise<Buffer> {
  const responder = createOcspResponder({
    caCertificate: w.ca.cert,
    caKey: options.key ?? w.ca.privateKey,
    revoked: options.revoked ?? [],
    clock: () => options.at,
  });
  return responder.handle(buildOcspRequest(cert.cert, w.ca.cert).der);
}

describe('CRLs at a past validation time', () => {
  it('a CRL out of date today but current then decides: revoked before then is REVOKED', async () => {
    const crl = await createCrl({
      issuer: w.ca,
      crlNumber: 3,
      thisUpdate: daysAgo(12),
      nextUpdate: daysAgo(5),
      revoked: [{ serialNumber: w.auth.cert.serialNumber, revokedAt: daysAgo(15) }],
    });
    const result = await validateCertificate(w.auth.cert, { trust, at: daysAgo(10), revocation: offline({ crls: [crl] }) });
    expect(result).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED', revocation: 'revoked' });
    // ...and not listed there, the certificate was good then.
    const other = await validateCertificate(w.sign.cert, { trust, at: daysAgo(10), revocation: offline({ crls: [crl] }) });
    expect(other).toMatchObject({ indication: 'TOTAL_PASSED', revocation: 'good' });
    // Today the same CRL is out of date.
    const today = await validateCertificate(w.sign.cert, { trust, revocation: offline({ crls: [crl] }) });
    expect(today).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
  });

  it('a CRL out of date at the validation time decides nothing', async () => {
    const crl = await createCrl({ issuer: w.ca, crlNumber: 3, thisUpdate: daysAgo(20), nextUpdate: daysAgo(13) });
    const result = await validateCertificate(w.sign.cert, { trust, at: daysAgo(10), revocation: offline({ crls: [crl] }) });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(result.warnings.join(' ')).toContain('out of date');
  });

  it('a CRL issued later decides: listed before then is REVOKED, listed after is not proof, absent is good', async () => {
    const crl = await createCrl({
      issuer: w.ca,
      crlNumber: 4,
      revoked: [
        { serialNumber: w.auth.cert.serialNumber, revokedAt: daysAgo(15) },
        { serialNumber: w.sign.cert.serialNumber, revokedAt: daysAgo(5) },
      ],
    });
    const at = daysAgo(10);
    const before = await validateCertificate(w.auth.cert, { trust, at, revocation: offline({ crls: [crl] }) });
    expect(before).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    const after = await validateCertificate(w.sign.cert, { trust, at, revocation: offline({ crls: [crl] }) });
    expect(after).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED' });
    const absent = await createEndEntity({ issuer: w.ca, keys: w.leafKeys, purpose: 'SIGN' });
    const good = await validateCertificate(absent.cert, { trust, at, revocation: offline({ crls: [crl] }) });
    expect(good).toMatchObject({ indication: 'TOTAL_PASSED', revocation: 'good' });
  });

  it('a CRL issued after the certificate expired proves nothing about a certificate it does not list', async () => {
    const expired = await createEndEntity({
      issuer: w.ca,
      keys: w.leafKeys,
      purpose: 'SIGN',
      notBefore: daysAgo(60),
      notAfter: daysAgo(20),
    });
    const crl = await createCrl({ issuer: w.ca, crlNumber: 5 });
    const result = await validateCertificate(expired.cert, { trust, at: daysAgo(30), revocation: offline({ crls: [crl] }) });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(result.warnings.join(' ')).toContain('issued after the certificate expired');
  });
});

describe('OCSP responses from files', () => {
  it('a response current at the validation time decides, without a nonce; out of date it does not', async () => {
    const then = daysAgo(10);
    const good = await ocspResponse(w.sign, { at: then });
    const at = new Date(then.getTime() + 10 * 60_000);
    const result = await validateCertificate(w.sign.cert, { trust, at, revocation: offline({ ocspResponses: [good] }) });
    expect(result).toMatchObject({ indication: 'TOTAL_PASSED', revocation: 'good' });
    // An hour-long answer from ten days ago says nothing about today.
    const today = await validateCertificate(w.sign.cert, { trust, revocation: offline({ ocspResponses: [good] }) });
    expect(today).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(today.warnings.join(' ')).toContain('out of date');
  });

  it('a revocation before the validation time decides, even in a later response', async () => {
    const revoked = await ocspResponse(w.auth, {
      at: new Date(),
      revoked: [{ serialNumber: w.auth.cert.serialNumber, revokedAt: daysAgo(15) }],
    });
    const result = await validateCertificate(w.auth.cert, {
      trust,
      at: daysAgo(10),
      revocation: offline({ ocspResponses: [revoked] }),
    });
    expect(result).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
  });

  it('uses the response about this certificate among several, and refuses a forged one', async () => {
    const about = [await ocspResponse(w.auth, { at: new Date() }), await ocspResponse(w.sign, { at: new Date() })];
    const result = await validateCertificate(w.sign.cert, { trust, revocation: offline({ ocspResponses: about }) });
    expect(result).toMatchObject({ indication: 'TOTAL_PASSED', revocation: 'good' });
    const onlyOther = await validateCertificate(w.sign.cert, {
      trust,
      revocation: offline({ ocspResponses: [about[0] as Buffer] }),
    });
    expect(onlyOther).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(onlyOther.warnings.join(' ')).toContain('no response given is about this certificate');
    const forged = await ocspResponse(w.sign, { at: new Date(), key: w.root.privateKey });
    const refused = await validateCertificate(w.sign.cert, { trust, revocation: offline({ ocspResponses: [forged] }) });
    expect(refused).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(refused.warnings.join(' ')).toContain('not signed by the issuing CA');
  });
});
