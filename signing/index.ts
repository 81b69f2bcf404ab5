/**
 * The signing library's whole public face: main/, portal/ and cli/ import from here only.
 * Pure Node: imports nothing of ours and no Electron; holds no demo data (the demo PKI lives in demo/pki).
 */
export * from './types.ts';
export * from './errors.ts';
export {
  TrustStore,
  loadTrustStore,
  type LoadTrustStoreOptions,
  type TrustedCertificateInfo,
} from './trust/trust-store.ts';
export { isValidIin, iinBirthDate, iinSex } from './identifiers.ts';
export { validateCertificate, type ValidateCertificateOptions } from './trust/validate.ts';
export { createRevocationChecker, type RevocationCheckerOptions } from './trust/revocation/checker.ts';
export { readCertificates } from './trust/certificates.ts';
export { parseXml, DEFAULT_MAX_XML_BYTES, type ParseXmlOptions } from './xml/parse.ts';
export type { XmlElement, XmlNode, XmlAttribute } from './xml/tree.ts';
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
  type OpenKeyStore,
} from './keystore/find.ts';
// Keys named by reference, their sources (files, PKCS#11 tokens) and off-thread PKCS#12: docs/tokens.md.
export {
  withSecret,
  type AskSecret,
  type FileKeyRef,
  type KeyHandle,
  type KeyRef,
  type KeySource,
  type KeyStorage,
  type ListedKey,
  type SecretRequest,
  type SourceListing,
  type SourceProblem,
  type TokenKeyRef,
} from './keys/key-source.ts';
export { fileKeySource, type FileKeySourceOptions } from './keys/file-source.ts';
export { openKeyStoreInWorker, closeKeyStoreWorker, type KeyStoreWorkerOptions } from './keystore/in-worker.ts';
export { tokenKeySource } from './pkcs11/token-source.ts';
export { TokensInWorker, TOKEN_CALL_TIMEOUTS_MS, type TokensInWorkerOptions, type TokenCall } from './pkcs11/in-worker.ts';
export { Pkcs11Modules, type TokenInfo, type TokenListing } from './pkcs11/modules.ts';
export { defaultModulePaths, KNOWN_MODULES, type KnownModule } from './pkcs11/module-paths.ts';
export { signCms, cmsToPem, type CmsContent, type SignCmsOptions } from './cms/sign.ts';
export { verifyCms, type CmsVerification } from './cms/verify.ts';
