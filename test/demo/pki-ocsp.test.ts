/** The trust code against the keys engineer's demo PKI: its chain, its CRL and the demo OCSP responder. */
import type { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { openKeyStore } from '../../signing/keystore/pkcs12.ts';
import { loadDemoOcspResponder, type OcspResponder } from '../../demo/pki/ocsp-responder.ts';
import { TrustStore } from '../../signing/trust/trust-store.ts';
import { validateCertificate } from '../../signing/trust/validate.ts';
import { getDemoPki, type DemoPki } from '../helpers/demo-pki.ts';

let pki: DemoPki;
let trust: TrustStore;
let responder: OcspResponder;

/** The certificate inside a demo .p12, read with the key store module. */
async function certificateOf(p12File: string, password: string): Promise<X509Certificate> {
  const [key] = await openKeyStore(p12File, password);
  if (!key) throw new Error(`no key in ${p12File}`);
  return key.certificate;
}

const viaResponder = (): typeof fetch =>
  (async (_url: string | URL | Request, init?: RequestInit) =>
    new Response(new Uint8Array(await responder.handle(Buffer.from(init?.body as Uint8Array))), {
      status: 200,
    })) as typeof fetch;

beforeAll(async () => {
  pki = await getDemoPki();
  trust = TrustStore.fromCertificates([pki.root], [pki.intermediate]);
  responder = await loadDemoOcspResponder(pki.dir);
});

describe('demo PKI', () => {
  it('a valid demo AUTH key chains to the demo root and is good by OCSP and by CRL', async () => {
    const cert = await certificateOf(pki.keyPath({ status: 'valid', purpose: 'AUTH' }), pki.password);
    const byOcsp = await validateCertificate(cert, {
      trust,
      purpose: 'AUTH',
      revocation: { crl: false, fetch: viaResponder() },
    });
    expect(byOcsp).toMatchObject({ indication: 'TOTAL_PASSED', revocation: 'good' });
    expect(byOcsp.chain.map((c) => c.fingerprint256)).toEqual(
      [cert, pki.intermediate, pki.root].map((c) => c.fingerprint256),
    );
    const byCrl = await validateCertificate(cert, {
      trust,
      purpose: 'AUTH',
      revocation: { ocsp: false, crls: [pki.crl] },
    });
    expect(byCrl).toMatchObject({ indication: 'TOTAL_PASSED', revocation: 'good' });
  });

  it('a revoked demo key is revoked by OCSP and by CRL, on the same date', async () => {
    const cert = await certificateOf(pki.keyPath({ status: 'revoked' }), pki.password);
    const byOcsp = await validateCertificate(cert, {
      trust,
      revocation: { crl: false, fetch: viaResponder() },
    });
    const byCrl = await validateCertificate(cert, { trust, revocation: { ocsp: false, crls: [pki.crl] } });
    for (const result of [byOcsp, byCrl]) {
      expect(result).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    }
    expect(byOcsp.errors).toEqual(byCrl.errors);
  });

  it('an expired demo key fails as expired', async () => {
    const cert = await certificateOf(pki.keyPath({ status: 'expired' }), pki.password);
    const result = await validateCertificate(cert, { trust, revocation: false });
    expect(result).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'EXPIRED' });
  });
});
