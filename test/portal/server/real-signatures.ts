/**
 * Real signatures for portal tests: demo keys (test/helpers/demo-pki.ts), signing/'s signXml, and
 * a verifier bound to a trust store holding the demo CA, checking revocation against the demo CRL
 * (no network).
 */
import { join } from 'node:path';
import { buildLoginXml } from '../../../protocol/signed-documents.ts';
import { fileSigner, loadTrustStore, openKeyStore, signXml, verifyXml, type Signer } from '../../../signing/index.ts';
import { getDemoPki, type DemoKeyFilter, type DemoPki } from '../../helpers/demo-pki.ts';
import type { PortalVerifier } from '../../../portal/signed-requests.ts';
import { ORIGIN, type TestPortal } from './helpers.ts';

export async function demoVerifier(opts: { trustDemo?: boolean; pki?: DemoPki } = {}): Promise<PortalVerifier> {
  const pki = opts.pki ?? (await getDemoPki());
  const extra = opts.trustDemo === false ? [] : [join(pki.dir, pki.index.ca.root), join(pki.dir, pki.index.ca.intermediate)];
  const trust = await loadTrustStore({ production: true, extra });
  return (xml, { purpose, at }) => verifyXml(xml, { trust, purpose, at, maxBytes: 64 * 1024, revocation: { ocsp: false, crls: [pki.crl] } });
}

const signers = new Map<string, Promise<Signer>>();

export function demoSigner(filter: DemoKeyFilter): Promise<Signer> {
  const k = JSON.stringify(filter);
  let s = signers.get(k);
  if (!s) {
    s = (async () => {
      const pki = await getDemoPki();
      const [key] = await openKeyStore(pki.keyPath(filter), pki.password);
      if (!key) throw new Error(`no key in ${k}`);
      return fileSigner(key);
    })();
    signers.set(k, s);
  }
  return s;
}

export async function signWith(filter: DemoKeyFilter, xml: string): Promise<string> {
  return signXml(xml, await demoSigner(filter));
}

/** The login document for `nonce` (default: a fresh challenge of `portal`), signed with the demo key. */
export async function signedLogin(portal: TestPortal, key: DemoKeyFilter, nonce?: string): Promise<string> {
  const n =
    nonce ?? (await portal.app.inject({ method: 'POST', url: '/api/auth/challenge' })).json<{ nonce: string }>().nonce;
  return signWith(key, buildLoginXml({ nonce: n, origin: ORIGIN, timestamp: portal.clock.now.toISOString() }));
}

/** Logs in at `url` (the applicant's or the staff login) with the demo key; `tamper` edits the signed document first. */
export async function loginWith(
  portal: TestPortal,
  key: DemoKeyFilter,
  url = '/api/auth/login',
  tamper: (xml: string) => string = (xml) => xml,
) {
  const signedXml = tamper(await signedLogin(portal, key));
  return portal.app.inject({ method: 'POST', url, payload: { signedXml } });
}
