import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createOcspResponder,
  startOcspServer,
  type OcspResponder,
} from '../../../demo/pki/ocsp-responder.ts';
import { createRevocationChecker } from '../../../signing/trust/revocation/checker.ts';
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import { validateCertificate } from '../../../signing/trust/validate.ts';
import type { RevocationOptions } from '../../../signing/types.ts';
import * as x509 from '@peculiar/x509';
import {
  createCa,
  createCrl,
  createEndEntity,
  createWorld,
  OCSP_URL,
  type Issued,
  type World,
} from './fixtures.ts';

const DAY = 86_400_000;
let w: World;
let trust: TrustStore;
let revokedLeaf: Issued;
const REVOKED_AT = new Date('2026-03-12T09:30:00Z');

beforeAll(async () => {
  w = await createWorld();
  trust = TrustStore.fromCertificates([w.root.cert], [w.ca.cert]);
  revokedLeaf = await createEndEntity({
    issuer: w.ca,
    keys: w.leafKeys,
    purpose: 'AUTH',
    ocspUrl: OCSP_URL,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date(Date.now() + 300 * DAY),
  });
});

function responderFor(
  ca: Issued,
  options: { clock?: () => Date; key?: Issued['privateKey'] } = {},
): OcspResponder {
  return createOcspResponder({
    caCertificate: ca.cert,
    caKey: options.key ?? ca.privateKey,
    revoked: [{ serialNumber: revokedLeaf.cert.serialNumber, revokedAt: REVOKED_AT }],
    clock: options.clock,
  });
}

/** A fetch that hands the request to the responder in-process, counting the calls. */
function viaResponder(responder: OcspResponder, seen: Buffer[] = []): typeof fetch {
  return (async (_url: string | URL | Request, init?: RequestInit) => {
    const body = Buffer.from(init?.body as Uint8Array);
    seen.push(body);
    return new Response(new Uint8Array(await responder.handle(body)), { status: 200 });
  }) as typeof fetch;
}

const ocspOnly = (fetchFn: typeof fetch, extra: RevocationOptions = {}): RevocationOptions => ({
  crl: false,
  fetch: fetchFn,
  ...extra,
});

describe('OCSP', () => {
  it('good: passes, revocation good', async () => {
    const result = await validateCertificate(w.auth.cert, {
      trust,
      revocation: ocspOnly(viaResponder(responderFor(w.ca))),
    });
    expect(result).toMatchObject({
      indication: 'TOTAL_PASSED',
      revocation: 'good',
      errors: [],
      warnings: [],
    });
  });

  it('revoked: fails with the revocation date', async () => {
    const result = await validateCertificate(revokedLeaf.cert, {
      trust,
      revocation: ocspOnly(viaResponder(responderFor(w.ca))),
    });
    expect(result).toMatchObject({
      indication: 'TOTAL_FAILED',
      subIndication: 'REVOKED',
      revocation: 'revoked',
    });
    expect(result.errors).toEqual(['The certificate was revoked on 12.03.2026.']);
  });

  it('revoked after the validation time: not accepted either (no proof of existence)', async () => {
    const result = await validateCertificate(revokedLeaf.cert, {
      trust,
      at: new Date('2026-02-01T00:00:00Z'),
      revocation: ocspOnly(viaResponder(responderFor(w.ca))),
    });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED' });
  });

  it('handles a serial number with the high bit set (DER leading zero)', async () => {
    const highBit = await createEndEntity({
      issuer: w.ca,
      keys: w.leafKeys,
      purpose: 'AUTH',
      ocspUrl: OCSP_URL,
      serialNumber: '00C0FFEE0123',
    });
    const responder = createOcspResponder({
      caCertificate: w.ca.cert,
      caKey: w.ca.privateKey,
      revoked: [{ serialNumber: 'C0FFEE0123', revokedAt: REVOKED_AT }],
    });
    const result = await validateCertificate(highBit.cert, {
      trust,
      revocation: ocspOnly(viaResponder(responder)),
    });
    expect(result).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
  });

  it('unknown: a responder that does not know the certificate gives TRY_LATER', async () => {
    const otherCa = await createCa({ cn: 'OTHER CA', keys: w.otherKeys, issuer: w.root });
    const result = await validateCertificate(w.auth.cert, {
      trust,
      revocation: ocspOnly(viaResponder(responderFor(otherCa))),
    });
    // The other CA's answer is signed by a key that is not our issuer's, and says "unknown" anyway.
    expect(result).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
      revocation: 'unknown',
    });
  });

  it('unknown status in a correctly signed answer is never treated as good', async () => {
    // Same CA key and name, but the responder is asked about a certificate from another CA name.
    const responder = responderFor(w.ca);
    const strangerCa = await createCa({ cn: 'STRANGER CA', keys: w.ca.keys, issuer: w.root });
    const stranger = await createEndEntity({
      issuer: strangerCa,
      keys: w.leafKeys,
      purpose: 'AUTH',
      ocspUrl: OCSP_URL,
    });
    const result = await validateCertificate(stranger.cert, {
      trust: TrustStore.fromCertificates([w.root.cert], [strangerCa.cert]),
      revocation: ocspOnly(viaResponder(responder)),
    });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(result.warnings.join(' ')).toContain('does not know this certificate');
  });

  it('bad signature: an answer signed by another key is refused', async () => {
    const result = await validateCertificate(w.auth.cert, {
      trust,
      revocation: ocspOnly(viaResponder(responderFor(w.ca, { key: w.otherRoot.privateKey }))),
    });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(result.warnings.join(' ')).toContain('not signed by the issuing CA');
  });

  it('accepts a delegated responder with id-kp-OCSPSigning issued by the CA, and no other', async () => {
    const delegate = (extKeyUsage: string[]) =>
      createEndEntity({
        issuer: w.ca,
        keys: w.otherKeys,
        purpose: 'AUTH',
        cn: 'OCSP RESPONDER',
        extKeyUsage,
      });
    const authorised = await delegate(['1.3.6.1.5.5.7.3.9']);
    const notAuthorised = await delegate(['1.3.6.1.5.5.7.3.2']);
    const answer = async (d: Issued) => {
      const responder = createOcspResponder({
        caCertificate: w.ca.cert,
        caKey: w.ca.privateKey,
        revoked: [],
        delegate: { certificate: d.cert, key: d.privateKey },
      });
      return validateCertificate(w.auth.cert, { trust, revocation: ocspOnly(viaResponder(responder)) });
    };
    expect(await answer(authorised)).toMatchObject({ indication: 'TOTAL_PASSED', revocation: 'good' });
    const refused = await answer(notAuthorised);
    expect(refused).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(refused.warnings.join(' ')).toContain('not signed by the issuing CA');
  });

  it('looks a delegated responder without id-pkix-ocsp-nocheck up in the CRL: revoked, its answer counts for nothing', async () => {
    const noCheck = new x509.Extension('1.3.6.1.5.5.7.48.1.5', false, new Uint8Array([0x05, 0x00]));
    const delegate = (extraExtensions: x509.Extension[] = []) =>
      createEndEntity({
        issuer: w.ca,
        keys: w.otherKeys,
        purpose: 'AUTH',
        cn: 'OCSP RESPONDER',
        extKeyUsage: ['1.3.6.1.5.5.7.3.9'],
        extraExtensions,
      });
    const plain = await delegate();
    const exempt = await delegate([noCheck]);
    const crlRevoking = async (r: Issued) =>
      createCrl({
        issuer: w.ca,
        crlNumber: 7,
        revoked: [{ serialNumber: r.cert.serialNumber, revokedAt: new Date(Date.now() - DAY) }],
      });
    const ask = async (d: Issued, crls: Buffer[]) => {
      const responder = createOcspResponder({
        caCertificate: w.ca.cert,
        caKey: w.ca.privateKey,
        revoked: [],
        delegate: { certificate: d.cert, key: d.privateKey },
      });
      return createRevocationChecker().check(w.auth.cert, w.ca.cert, {
        fetch: viaResponder(responder),
        crls,
      });
    };
    const revokedResponder = await ask(plain, [await crlRevoking(plain)]);
    // The OCSP answer is set aside; the certificate's own status comes from the CRL instead.
    expect(revokedResponder).toMatchObject({ status: 'good', source: 'crl' });
    expect(revokedResponder.problems).toContain("OCSP: the responder's own certificate is revoked");
    // Not revoked, or exempt by id-pkix-ocsp-nocheck: the OCSP answer stands.
    expect(await ask(plain, [await createCrl({ issuer: w.ca, crlNumber: 8 })])).toMatchObject({
      status: 'good',
      source: 'ocsp',
    });
    expect(await ask(exempt, [await crlRevoking(exempt)])).toMatchObject({ status: 'good', source: 'ocsp' });
  });

  it('nonce mismatch: a replayed answer is refused', async () => {
    const responder = responderFor(w.ca);
    const first = await responder.handle(
      await (async () => {
        const seen: Buffer[] = [];
        await validateCertificate(w.auth.cert, {
          trust,
          revocation: ocspOnly(viaResponder(responder, seen)),
        });
        return seen[0]!;
      })(),
    );
    const replay = (async () => new Response(new Uint8Array(first), { status: 200 })) as typeof fetch;
    const result = await validateCertificate(w.auth.cert, { trust, revocation: ocspOnly(replay) });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(result.warnings.join(' ')).toContain('nonce mismatch');
  });

  it('stale: an answer whose nextUpdate has passed is refused', async () => {
    const twoHoursAgo = () => new Date(Date.now() - 2 * 60 * 60 * 1000);
    const result = await validateCertificate(w.auth.cert, {
      trust,
      revocation: ocspOnly(viaResponder(responderFor(w.ca, { clock: twoHoursAgo }))),
    });
    expect(result).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(result.warnings.join(' ')).toContain('out of date');
  });

  it('timeout: a responder that never answers gives TRY_LATER', async () => {
    const never = (() => new Promise<Response>(() => undefined)) as typeof fetch;
    const result = await validateCertificate(w.auth.cert, {
      trust,
      revocation: ocspOnly(never, { timeoutMs: 50 }),
    });
    expect(result).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
      revocation: 'unknown',
    });
    expect(result.warnings.join(' ')).toContain('within 50 ms');
  });

  it('cache: a shared checker asks the responder once for the same certificate', async () => {
    const seen: Buffer[] = [];
    const checker = createRevocationChecker();
    const options = ocspOnly(viaResponder(responderFor(w.ca), seen), { checker });
    const [a, b] = await Promise.all([
      validateCertificate(w.auth.cert, { trust, revocation: options }),
      validateCertificate(w.auth.cert, { trust, revocation: options }),
    ]);
    const c = await validateCertificate(w.auth.cert, { trust, revocation: options });
    expect([a.revocation, b.revocation, c.revocation]).toEqual(['good', 'good', 'good']);
    expect(seen).toHaveLength(1);
    checker.clear();
    await validateCertificate(w.auth.cert, { trust, revocation: options });
    expect(seen).toHaveLength(2);
  });

  it('cache: an answer is not kept past its nextUpdate', async () => {
    const seen: Buffer[] = [];
    // thisUpdate 61 minutes ago, so nextUpdate (thisUpdate + 1 h) passed a minute ago: still inside the
    // clock-skew tolerance, so it is used, but there is no time left to cache it.
    const responder = responderFor(w.ca, { clock: () => new Date(Date.now() - 61 * 60 * 1000) });
    const options = ocspOnly(viaResponder(responder, seen), { checker: createRevocationChecker() });
    for (let i = 0; i < 2; i++) {
      expect((await validateCertificate(w.auth.cert, { trust, revocation: options })).revocation).toBe(
        'good',
      );
    }
    expect(seen).toHaveLength(2);
  });

  it('talks HTTP to the responder server (ocspUrl override)', async () => {
    const server = await startOcspServer(responderFor(w.ca), 0);
    try {
      const result = await validateCertificate(revokedLeaf.cert, {
        trust,
        revocation: { crl: false, ocspUrl: server.url },
      });
      expect(result).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    } finally {
      await server.close();
    }
  });
});

const run = promisify(execFile);

describe('OCSP responder interop with openssl ocsp', () => {
  it('answers a request built by openssl, which verifies the answer', async () => {
    const server = await startOcspServer(responderFor(w.ca), 0);
    const dir = mkdtempSync(path.join(tmpdir(), 'joldama-ocsp-'));
    try {
      const file = (name: string, cert: Issued) => {
        const p = path.join(dir, name);
        writeFileSync(p, cert.cert.toString());
        return p;
      };
      const [root, ca, good, revoked] = [
        file('root.pem', w.root),
        file('ca.pem', w.ca),
        file('good.pem', w.auth),
        file('revoked.pem', revokedLeaf),
      ];
      const { stdout, stderr } = await run('openssl', [
        'ocsp',
        '-issuer',
        ca,
        '-cert',
        good,
        '-cert',
        revoked,
        '-url',
        server.url,
        '-CAfile',
        root,
        '-verify_other',
        ca,
        '-nonce',
      ]);
      expect(stderr).toContain('Response verify OK');
      expect(stdout).toContain(`${good}: good`);
      expect(stdout).toContain(`${revoked}: revoked`);
      expect(stdout).toContain('Revocation Time: Mar 12 09:30:00 2026 GMT');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
