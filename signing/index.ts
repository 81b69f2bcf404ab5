/**
 * The signing library's public API. main/ and portal/ import from here only.
 * Pure Node: no Electron imports anywhere under signing/.
 */
export * from './types.ts';
export * from './errors.ts';
export {
  TrustStore,
  loadTrustStore,
  type LoadTrustStoreOptions,
  type TrustedCertificateInfo,
} from './trust/trust-store.ts';
export { validateCertificate, type ValidateCertificateOptions } from './trust/validate.ts';
export { createRevocationChecker, type RevocationCheckerOptions } from './trust/revocation/checker.ts';
export { readCertificates } from './trust/certificates.ts';
export {
  createOcspResponder,
  loadDemoOcspResponder,
  startOcspServer,
  type OcspResponder,
  type OcspResponderOptions,
} from './demo-pki/ocsp-responder.ts';
export { isValidIin, isValidBin, iinBirthDate, iinSex, iinCheckDigit } from './identifiers.ts';
export {
  DEMO_IDENTITIES,
  DEMO_KINDERGARTEN,
  demoCommonName,
  type DemoIdentity,
  type DemoOrganization,
  type DemoKeyStatus,
} from './demo-pki/identities.ts';
export {
  generateDemoPki,
  demoPkiIndexSchema,
  DEMO_PASSWORD,
  type DemoPkiIndex,
  type DemoKey,
  type DemoPkiOptions,
} from './demo-pki/generate.ts';
export { parseXml, DEFAULT_MAX_XML_BYTES, type ParseXmlOptions } from './xml/parse.ts';
export { signXml, type SignXmlOptions } from './xml/sign.ts';
export { verifyXml, type VerifyXmlOptions } from './xml/verify.ts';
export { describeCertificate, validityStatus, purposesOf, PROFILE_OID } from './certificate-profile.ts';
export { openKeyStore, openKeyStoreBytes, MAX_KEYSTORE_BYTES } from './keystore/pkcs12.ts';
export { fileSigner } from './keystore/file-signer.ts';
export {
  findKeyFiles,
  listKeys,
  listKeysWithProblems,
  keyFileNameHint,
  type KeyListing,
  type KeyListProblem,
  type KeyFileNameHint,
} from './keystore/find.ts';
