/**
 * The key the user chose, held against what the site asked for (signerParams, key type) before it
 * signs anything. The dialog offers only fitting keys; this is the check that does not rest on it.
 */
import type { X509Certificate } from 'node:crypto';
import { describeCertificate, purposesOf, validityStatus } from '../../signing/index.ts';
import { NcaLayerFailure } from './replies.ts';
import type { KeyRequirements } from './requests.ts';

const refuse = (why: string): NcaLayerFailure => new NcaLayerFailure('KEY_NOT_ACCEPTED', why);

export function checkChosenKey(certificate: X509Certificate, key: KeyRequirements, now: Date): void {
  const status = validityStatus(certificate, now);
  if (status !== 'valid') throw refuse(status === 'expired' ? 'The chosen certificate has expired.' : 'The chosen certificate is not valid yet.');
  const { filter } = key;
  if (filter.purpose && !purposesOf(certificate).includes(filter.purpose)) {
    throw refuse(filter.purpose === 'SIGN' ? 'The site asks for a signing key (RSA256…); this one is for logging in.' : 'The site asks for a login key (AUTH_RSA256…); this one is for signing.');
  }
  // node's X509Certificate.keyUsage lists the extended key usages, NCA role OIDs among them.
  const usages = certificate.keyUsage ?? [];
  const missing = filter.extKeyUsageOids.filter((oid) => !usages.includes(oid));
  if (missing.length > 0) throw refuse(`The chosen certificate lacks the usages the site requires (${missing.join(', ')}).`);
  // Reading the subject is a full parse (tens of ms): only when the site filters on it.
  const info = filter.iin || filter.bin ? describeCertificate(certificate) : undefined;
  if (filter.iin && info?.iin !== filter.iin) throw refuse('The chosen certificate belongs to another person (IIN) than the site asks for.');
  if (filter.bin && info?.bin !== filter.bin) throw refuse('The chosen certificate belongs to another organisation (BIN) than the site asks for.');
  if (filter.serialNumber && certificate.serialNumber.toUpperCase().replace(/^0+(?=.)/, '') !== filter.serialNumber) {
    throw refuse('The chosen certificate is not the one the site asks for (serial number).');
  }
  if (key.chain && !key.chain.some((issuer) => certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey))) {
    throw refuse('The chosen certificate was not issued by a certification authority the site accepts.');
  }
}
