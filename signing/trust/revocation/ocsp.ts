/**
 * OCSP client (RFC 6960): a request with a nonce, POSTed to the responder; the answer is trusted
 * only when signed by the issuing CA (or a responder it delegated with id-kp-OCSPSigning), when it
 * echoes our nonce, names our certificate and is not dated in the future. Responses can also come
 * from files (`joldama verify --ocsp`): there is no nonce to echo, and what makes them current is
 * judged, like every answer, at the validation time (validation-time.ts).
 */
import { X509Certificate, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { extensionsOf } from '../certificates.ts';
import { fetchBytes, type HttpOptions } from './fetch.ts';
import {
  OID_OCSP_BASIC,
  OID_OCSP_NONCE,
  OID_OCSP_SIGNING,
  bytesEqual,
  certIdFor,
  issuerHashes,
  parseDer,
  serialHexOf,
} from './ocsp-protocol.ts';
import { verifySignature } from './signature.ts';
import { normalizeSerial } from '../certificates.ts';
import { CLOCK_SKEW_MS } from './validation-time.ts';

export interface OcspAnswer {
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
  /**
   * The delegated responder that signed the answer, when its own revocation is to be checked (it
   * lacks id-pkix-ocsp-nocheck; RFC 6960 4.2.2.2.1). Absent when the issuing CA signed it.
   */
  responderToCheck?: X509Certificate;
}

export interface OcspRequestParts {
  der: Buffer;
  certId: pkijs.CertID;
  /** The nonce extension value as sent (DER OCTET STRING), compared byte for byte on return. */
  nonce: Buffer;
}

export function buildOcspRequest(cert: X509Certificate, issuer: X509Certificate): OcspRequestParts {
  const certId = certIdFor(cert, issuer);
  const nonce = Buffer.from(new asn1js.OctetString({ valueHex: randomBytes(16) }).toBER());
  const request = new pkijs.OCSPRequest();
  request.tbsRequest.requestList = [new pkijs.Request({ reqCert: certId })];
  request.tbsRequest.requestExtensions = [
    new pkijs.Extension({ extnID: OID_OCSP_NONCE, critical: false, extnValue: toArrayBuffer(nonce) }),
  ];
  return { der: Buffer.from(request.toSchema(true).toBER()), certId, nonce };
}

/**
 * Reads an OCSP response about `cert`: checked against our request's nonce when there was one.
 * Throws with a plain reason when it cannot be trusted or is about another certificate.
 */
export function readOcspResponse(
  der: Uint8Array,
  cert: X509Certificate,
  issuer: X509Certificate,
  nonce: Buffer | undefined,
  now: Date,
): OcspAnswer {
  const response = new pkijs.OCSPResponse({ schema: parseDer(der, 'The OCSP response') });
  const status = response.responseStatus.valueBlock.valueDec;
  if (status !== 0) throw new Error(`the OCSP responder refused the request (status ${status})`);
  if (!response.responseBytes || response.responseBytes.responseType !== OID_OCSP_BASIC) {
    throw new Error('the OCSP response is not a basic OCSP response');
  }
  const basicAsn = parseDer(response.responseBytes.response.valueBlock.valueHexView, 'The OCSP response');
  const basic = new pkijs.BasicOCSPResponse({ schema: basicAsn });

  // The responder's certificate must have been valid when it signed.
  const producedAt = basic.tbsResponseData.producedAt;
  if (producedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new Error('the OCSP response is dated in the future');
  const signer = trustedSigner(basic, issuer, producedAt);
  if (!signer) {
    throw new Error('the OCSP response is not signed by the issuing CA or a responder it authorised');
  }
  if (nonce) {
    const echoed = basic.tbsResponseData.responseExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
    if (!echoed || !bytesEqual(echoed.extnValue.valueBlock.valueHexView, nonce)) {
      throw new Error('the OCSP response does not answer our request (nonce mismatch)');
    }
  }
  const single = basic.tbsResponseData.responses.find((r) => isAbout(r.certID, cert, issuer));
  if (!single) throw new Error('the OCSP response is about another certificate');
  if (single.thisUpdate.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new Error('the OCSP response is dated in the future');
  }
  const answer: OcspAnswer = { ...statusOf(single), thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate };
  if (signer !== issuer && !extensionsOf(signer).ocspNoCheck) answer.responderToCheck = signer;
  return answer;
}

function statusOf(single: pkijs.SingleResponse): Pick<OcspAnswer, 'status' | 'revokedAt'> {
  const certStatus = single.certStatus as asn1js.BaseBlock;
  switch (certStatus.idBlock.tagNumber) {
    case 0:
      return { status: 'good' };
    case 1: {
      const time = (certStatus as asn1js.Constructed).valueBlock.value[0];
      if (!(time instanceof asn1js.GeneralizedTime)) throw new Error('the OCSP revocation time is malformed');
      return { status: 'revoked', revokedAt: time.toDate() };
    }
    default:
      return { status: 'unknown' };
  }
}

/** The CertID names `cert` of `issuer` (with any issuer hash we support, not only the SHA-1 we ask with). */
function isAbout(certId: pkijs.CertID, cert: X509Certificate, issuer: X509Certificate): boolean {
  const hashes = issuerHashes(issuer, certId.hashAlgorithm.algorithmId);
  return (
    hashes !== undefined &&
    bytesEqual(certId.issuerNameHash.valueBlock.valueHexView, hashes.nameHash) &&
    bytesEqual(certId.issuerKeyHash.valueBlock.valueHexView, hashes.keyHash) &&
    normalizeSerial(serialHexOf(certId)) === normalizeSerial(cert.serialNumber)
  );
}

/** Who signed: the issuer itself, or a delegated responder certificate the issuer signed; else undefined. */
function trustedSigner(
  basic: pkijs.BasicOCSPResponse,
  issuer: X509Certificate,
  now: Date,
): X509Certificate | undefined {
  const tbs = basic.tbsResponseData.tbsView;
  const algorithm = basic.signatureAlgorithm.algorithmId;
  const signature = basic.signature.valueBlock.valueHexView;
  if (verifySignature(algorithm, tbs, signature, issuer.publicKey)) return issuer;
  for (const included of basic.certs ?? []) {
    const responder = toNodeCertificate(included);
    if (!responder || !isDelegatedResponder(responder, issuer, now)) continue;
    if (verifySignature(algorithm, tbs, signature, responder.publicKey)) return responder;
  }
  return undefined;
}

function isDelegatedResponder(responder: X509Certificate, issuer: X509Certificate, now: Date): boolean {
  try {
    const validNow = new Date(responder.validFrom) <= now && now <= new Date(responder.validTo);
    return (
      validNow &&
      responder.checkIssued(issuer) &&
      responder.verify(issuer.publicKey) &&
      (extensionsOf(responder).extKeyUsage ?? []).includes(OID_OCSP_SIGNING)
    );
  } catch {
    return false;
  }
}

function toNodeCertificate(cert: pkijs.Certificate): X509Certificate | undefined {
  try {
    return new X509Certificate(Buffer.from(cert.toSchema().toBER()));
  } catch {
    return undefined;
  }
}

/** Asks the responder about `cert`; throws with a plain reason when no trustworthy answer came. */
export async function queryOcsp(
  cert: X509Certificate,
  issuer: X509Certificate,
  url: string,
  http: HttpOptions,
  now: () => Date,
): Promise<OcspAnswer> {
  const request = buildOcspRequest(cert, issuer);
  const body = await fetchBytes(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
      body: new Uint8Array(request.der),
    },
    http,
  );
  return readOcspResponse(body, cert, issuer, request.nonce, now());
}

function toArrayBuffer(data: Buffer): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}
