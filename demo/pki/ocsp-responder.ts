/**
 * The demo OCSP responder (RFC 6960) for the demo CA: good / revoked (with time) / unknown for
 * other issuers, nonce echoed, signed rsa-sha256 by the CA key itself, thisUpdate = now,
 * nextUpdate = now + 1 h. The portal mounts `handle` at POST /ocsp; tests may start it on
 * 127.0.0.1 with startOcspServer.
 */
import { X509Certificate, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { demoPkiIndexSchema } from './generate.ts';
import { normalizeSerial } from '../../signing/trust/certificates.ts';
import {
  OID_OCSP_BASIC,
  OID_OCSP_NONCE,
  OID_SHA1,
  OID_SHA256_WITH_RSA,
  bytesEqual,
  issuerHashes,
  parseDer,
  serialHexOf,
} from '../../signing/trust/revocation/ocsp-protocol.ts';

export interface OcspResponderOptions {
  caCertificate: X509Certificate;
  caKey: KeyObject;
  revoked: Array<{ serialNumber: string /* upper hex */; revokedAt: Date }>;
  clock?: () => Date;
  /**
   * A delegated responder (RFC 6960 §4.2.2.2): its certificate, issued by the CA with
   * id-kp-OCSPSigning, is sent in the response and its key signs instead of the CA key.
   */
  delegate?: { certificate: X509Certificate; key: KeyObject };
}

export interface OcspResponder {
  /** DER OCSPRequest in, DER OCSPResponse out. A malformed request gets a malformedRequest answer. */
  handle(request: Buffer): Promise<Buffer>;
}

const HOUR_MS = 60 * 60 * 1000;
/** RFC 6960 OCSPResponseStatus values we send. */
const MALFORMED_REQUEST = 1;
const INTERNAL_ERROR = 2;
/** A request is a few hundred bytes; refuse anything absurd before parsing it. */
const MAX_REQUEST_BYTES = 64 * 1024;

export function createOcspResponder(options: OcspResponderOptions): OcspResponder {
  const clock = options.clock ?? (() => new Date());
  const revoked = new Map(options.revoked.map((r) => [normalizeSerial(r.serialNumber), r.revokedAt]));
  const signer = options.delegate ?? { certificate: options.caCertificate, key: options.caKey };
  const signerKeyHash = issuerHashes(signer.certificate, OID_SHA1)!.keyHash;

  function statusFor(certId: pkijs.CertID): asn1js.BaseBlock {
    const hashes = issuerHashes(options.caCertificate, certId.hashAlgorithm.algorithmId);
    const ours =
      hashes !== undefined &&
      bytesEqual(certId.issuerNameHash.valueBlock.valueHexView, hashes.nameHash) &&
      bytesEqual(certId.issuerKeyHash.valueBlock.valueHexView, hashes.keyHash);
    if (!ours) return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } }); // unknown
    const revokedAt = revoked.get(normalizeSerial(serialHexOf(certId)));
    if (!revokedAt) return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } }); // good
    return new asn1js.Constructed({
      idBlock: { tagClass: 3, tagNumber: 1 },
      value: [new asn1js.GeneralizedTime({ valueDate: wholeSeconds(revokedAt) })],
    });
  }

  return {
    async handle(requestDer: Buffer): Promise<Buffer> {
      let request: pkijs.OCSPRequest;
      try {
        if (requestDer.length > MAX_REQUEST_BYTES) throw new Error('request too large');
        request = new pkijs.OCSPRequest({ schema: parseDer(requestDer, 'The OCSP request') });
        if (request.tbsRequest.requestList.length === 0) throw new Error('empty request');
      } catch {
        return errorResponse(MALFORMED_REQUEST);
      }
      try {
        const now = wholeSeconds(clock());
        const responses = request.tbsRequest.requestList.map(
          (r) =>
            new pkijs.SingleResponse({
              certID: r.reqCert,
              certStatus: statusFor(r.reqCert),
              thisUpdate: now,
              nextUpdate: new Date(now.getTime() + HOUR_MS),
            }),
        );
        const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === OID_OCSP_NONCE);
        const data = new pkijs.ResponseData({
          responderID: new asn1js.OctetString({ valueHex: signerKeyHash }), // byKey
          producedAt: now,
          responses,
          ...(nonce ? { responseExtensions: [nonce] } : {}),
        });
        const tbs = Buffer.from(data.toSchema(true).toBER());
        const signature = sign('sha256', tbs, signer.key);
        const basic = new pkijs.BasicOCSPResponse({
          tbsResponseData: new pkijs.ResponseData({ schema: asn1js.fromBER(tbs).result }),
          signatureAlgorithm: new pkijs.AlgorithmIdentifier({
            algorithmId: OID_SHA256_WITH_RSA,
            algorithmParams: new asn1js.Null(),
          }),
          signature: new asn1js.BitString({ valueHex: signature }),
          ...(options.delegate
            ? { certs: [pkijs.Certificate.fromBER(options.delegate.certificate.raw)] }
            : {}),
        });
        const response = new pkijs.OCSPResponse({
          responseStatus: new asn1js.Enumerated({ value: 0 }),
          responseBytes: new pkijs.ResponseBytes({
            responseType: OID_OCSP_BASIC,
            response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER() }),
          }),
        });
        return Buffer.from(response.toSchema().toBER());
      } catch {
        return errorResponse(INTERNAL_ERROR);
      }
    },
  };
}

function errorResponse(status: number): Buffer {
  const response = new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) });
  return Buffer.from(response.toSchema().toBER());
}

/** DER GeneralizedTime carries no fractions here: OpenSSL and others expect whole seconds. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** The responder for a demo PKI written by generateDemoPki (its index.json, CA cert and key). */
export async function loadDemoOcspResponder(demoPkiDir: string, clock?: () => Date): Promise<OcspResponder> {
  const index = demoPkiIndexSchema.parse(
    JSON.parse(await readFile(path.join(demoPkiDir, 'index.json'), 'utf8')),
  );
  const caCertificate = new X509Certificate(await readFile(path.join(demoPkiDir, index.ca.intermediate)));
  const caKey = createPrivateKey(await readFile(path.join(demoPkiDir, index.ca.intermediateKey)));
  // The demo CRL holds the revocation dates; the responder must agree with it.
  const crlDates = await revocationDatesFromCrl(path.join(demoPkiDir, index.ca.crl));
  const revoked = index.keys
    .filter((k) => k.status === 'revoked')
    .map((k) => ({
      serialNumber: k.serialNumber,
      revokedAt: crlDates.get(normalizeSerial(k.serialNumber)) ?? new Date(index.generatedAt),
    }));
  return createOcspResponder({ caCertificate, caKey, revoked, clock });
}

async function revocationDatesFromCrl(file: string): Promise<Map<string, Date>> {
  const dates = new Map<string, Date>();
  try {
    const crl = new pkijs.CertificateRevocationList({
      schema: parseDer(await readFile(file), 'The demo CRL'),
    });
    for (const entry of crl.revokedCertificates ?? []) {
      const serial = normalizeSerial(
        Buffer.from(entry.userCertificate.valueBlock.valueHexView).toString('hex'),
      );
      dates.set(serial, entry.revocationDate.value);
    }
  } catch {
    // No readable CRL: the index's generation time stands in as the revocation time.
  }
  return dates;
}

/** Serves `responder` at POST / (any path) on 127.0.0.1 only. Port 0 picks a free port. */
export async function startOcspServer(
  responder: OcspResponder,
  port: number,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      void responder.handle(Buffer.concat(chunks)).then((body) => {
        res
          .writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': body.length })
          .end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}/ocsp`,
    port: actualPort,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
