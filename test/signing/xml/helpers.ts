/** Shared setup for the XML signature tests: the test PKI as a trust store, verify options. */
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import type { VerifyXmlOptions } from '../../../signing/xml/verify.ts';
import { getTestPki, type Leaf, type TestPki } from './fixtures.ts';

export interface XmlTestContext {
  pki: TestPki;
  trust: TrustStore;
  /** A valid SIGN certificate (the usual signer). */
  signLeaf: Leaf;
  /** A valid AUTH certificate. */
  authLeaf: Leaf;
  /** Verify options: trust the test CA, revocation not checked (the revocation tests pass a CRL). */
  options: VerifyXmlOptions;
}

let context: Promise<XmlTestContext> | undefined;

export function getXmlTestContext(): Promise<XmlTestContext> {
  context ??= (async () => {
    const pki = await getTestPki();
    const trust = TrustStore.fromCertificates([pki.ca]);
    return {
      pki,
      trust,
      signLeaf: await pki.issue({ purpose: 'SIGN' }),
      authLeaf: await pki.issue({ purpose: 'AUTH' }),
      options: { trust, revocation: false },
    };
  })();
  return context;
}
