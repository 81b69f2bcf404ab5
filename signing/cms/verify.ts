/**
 * verifyCms: the cryptographic check of a CAdES-BES signature as signCms makes it (one signer, RSA
 * with SHA-256, signed attributes): the document's digest, the signing-certificate-v2 binding and
 * the signature over the signed attributes. It does not judge the certificate (chain, validity,
 * revocation): pass `report.signer` to validateCertificate for that.
 */
import { X509Certificate, createHash, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  OID_CONTENT_TYPE,
  OID_DATA,
  OID_MESSAGE_DIGEST,
  OID_RSA_ENCRYPTION,
  OID_SHA256,
  OID_SIGNED_DATA,
  OID_SIGNING_CERTIFICATE_V2,
  OID_SIGNING_TIME,
} from './sign.ts';

const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

export interface CmsVerification {
  valid: boolean;
  /** The first problem found, in plain words (absent when valid). */
  error?: string;
  /** The signer's certificate, when it was found in the signature. */
  signer?: X509Certificate;
  signingTime?: Date;
  /** The document carried inside an attached signature. */
  content?: Buffer;
}

function attributeValue(attributes: pkijs.Attribute[], oid: string): asn1js.AsnType | undefined {
  const found = attributes.filter((a) => a.type === oid);
  return found.length === 1 && found[0]!.values.length === 1 ? found[0]!.values[0] : undefined;
}

const bytesOf = (value: asn1js.AsnType | undefined): Buffer | undefined =>
  value instanceof asn1js.OctetString ? Buffer.from(value.valueBlock.valueHexView) : undefined;

/** ESSCertIDv2's certHash of the first certificate in a SigningCertificateV2 (SHA-256 only). */
function essCertHash(value: asn1js.AsnType | undefined): Buffer | undefined {
  const first = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
  const essCertId = first instanceof asn1js.Sequence ? first.valueBlock.value[0] : undefined;
  if (!(essCertId instanceof asn1js.Sequence)) return undefined;
  const [head] = essCertId.valueBlock.value;
  // A hashAlgorithm present and other than SHA-256 is not ours to check.
  if (head instanceof asn1js.Sequence) {
    const algorithm = new pkijs.AlgorithmIdentifier({ schema: head });
    return algorithm.algorithmId === OID_SHA256 ? bytesOf(essCertId.valueBlock.value[1]) : undefined;
  }
  return bytesOf(head);
}

/**
 * Checks `cms` (DER, or PEM "CMS"/"PKCS7") against its own content, or `detachedContent` for a
 * detached signature. Never throws for bad input: the answer says what is wrong.
 */
export function verifyCms(cms: Uint8Array | string, options: { detachedContent?: Uint8Array } = {}): CmsVerification {
  const fail = (error: string, partial: Partial<CmsVerification> = {}): CmsVerification => ({ valid: false, error, ...partial });
  let signedData: pkijs.SignedData;
  try {
    const der = typeof cms === 'string' ? Buffer.from(cms.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, ''), 'base64') : cms;
    const parsed = asn1js.fromBER(der);
    if (parsed.offset === -1 || parsed.offset !== der.byteLength) return fail('The signature is not valid DER.');
    const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
    if (contentInfo.contentType !== OID_SIGNED_DATA) return fail('The CMS is not SignedData.');
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch {
    return fail('The signature cannot be read as CMS SignedData.');
  }
  if (signedData.signerInfos.length !== 1) return fail('The signature must have exactly one signer.');
  const signerInfo = signedData.signerInfos[0]!;
  const sid = signerInfo.sid;
  if (!(sid instanceof pkijs.IssuerAndSerialNumber)) return fail('The signer is not named by issuer and serial number.');
  const certificate = (signedData.certificates ?? []).find(
    (c): c is pkijs.Certificate =>
      c instanceof pkijs.Certificate && c.serialNumber.isEqual(sid.serialNumber) && c.issuer.isEqual(sid.issuer),
  );
  if (!certificate) return fail('The signer’s certificate is not in the signature.');
  const signer = new X509Certificate(Buffer.from(certificate.toSchema().toBER()));

  const eContent = signedData.encapContentInfo.eContent;
  const content = eContent ? Buffer.from(eContent.getValue()) : undefined;
  if (content && options.detachedContent) return fail('The signature carries its document; no separate one is expected.', { signer });
  const document = content ?? (options.detachedContent ? Buffer.from(options.detachedContent) : undefined);
  if (!document) return fail('The signature is detached and no document was given.', { signer });
  if (signedData.encapContentInfo.eContentType !== OID_DATA) return fail('The signed content is not of type data.', { signer });

  if (signerInfo.digestAlgorithm.algorithmId !== OID_SHA256) return fail('The digest algorithm is not SHA-256.', { signer });
  const signatureAlgorithm = signerInfo.signatureAlgorithm.algorithmId;
  if (signatureAlgorithm !== OID_RSA_ENCRYPTION && signatureAlgorithm !== OID_SHA256_WITH_RSA) {
    return fail('The signature algorithm is not RSA.', { signer });
  }
  const signed = signerInfo.signedAttrs;
  if (!signed) return fail('The signature has no signed attributes.', { signer });
  const attributes = signed.attributes;
  const contentType = attributeValue(attributes, OID_CONTENT_TYPE);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== OID_DATA) {
    return fail('The content-type attribute is missing or wrong.', { signer });
  }
  const messageDigest = bytesOf(attributeValue(attributes, OID_MESSAGE_DIGEST));
  if (!messageDigest?.equals(createHash('sha256').update(document).digest())) {
    return fail('The document does not match the signature (message digest).', { signer });
  }
  const certHash = essCertHash(attributeValue(attributes, OID_SIGNING_CERTIFICATE_V2));
  if (!certHash?.equals(createHash('sha256').update(signer.raw).digest())) {
    return fail('The signing-certificate-v2 attribute is missing or names another certificate.', { signer });
  }
  // The signature covers the attributes' DER as a SET OF: the [0] tag as received, re-tagged.
  const toVerify = Buffer.from(signed.encodedValue);
  toVerify[0] = 0x31;
  const value = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
  if (!verify('sha256', toVerify, signer.publicKey, value)) return fail('The signature value does not verify.', { signer });

  const time = attributeValue(attributes, OID_SIGNING_TIME);
  const signingTime = time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined;
  return { valid: true, signer, ...(signingTime ? { signingTime } : {}), ...(content ? { content } : {}) };
}
