/**
 * Opens PKCS#12 key containers: the NCA flavour (SHA-1 MAC, 3DES key bag, RC2-40 certificate bag)
 * and the PBES2/AES one OpenSSL 3 writes. node-forge supplies the ASN.1 parser (and RC2, which
 * OpenSSL 3 only has in its legacy provider); key derivation and the other ciphers are
 * node:crypto's. The walk through the structure is ours, so that every failure maps to one
 * SigningError code and hostile inputs (huge iteration counts, deep nesting) cannot hang us.
 *
 * Secrets live in Buffers only, wiped (fill(0)) in `finally` once used: the file's bytes, the
 * password's encodings, derived keys and IVs, and the decrypted private key, which goes straight
 * from a Buffer into a KeyObject (never through a string). Certificates and the certificate bags
 * RC2 protects go through node-forge's string-based parser; they are not secret.
 *
 * Wrong password or damaged file? A MAC that does not match says only that one of the two is the
 * case: the MAC covers nearly every byte, so almost any damage fails it too. The encrypted bags give
 * a second, independent answer, because NCA (and OpenSSL) containers encrypt them with the same
 * password: a bag that decrypts (valid padding) into well-formed DER proves the password (a wrong
 * one does that about once in millions), so with a failed MAC the file is damaged; when no bag
 * decrypts, the password is wrong. One damaged spot spoils at most one bag and the other still
 * decrypts. Left ambiguous: a container with no encrypted bag (then the MAC alone decides: wrong
 * password). Damage to the structure itself, once the file starts like a PKCS#12, is KEYSTORE_DAMAGED.
 */
import {
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  pbkdf2Sync,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import forge from 'node-forge';
import { describeCertificate } from '../certificate-profile.ts';
import { SigningError } from '../errors.ts';
import type { CertificateInfo, OpenedKey } from '../types.ts';
import { pkcs12Kdf } from './pkcs12-kdf.ts';

const { asn1, util } = forge;
type Asn1 = forge.asn1.Asn1;

/** Key containers are a few KiB; anything past this is not one and is refused before reading. */
export const MAX_KEYSTORE_BYTES = 1024 * 1024;
/** NCA uses 1024 and OpenSSL 2048: bound the key-derivation work a file can demand. */
const MAX_ITERATIONS = 100_000;
const MAX_NESTING = 8;
/** NCA and OpenSSL containers hold two encrypted items; each costs a key derivation. */
const MAX_ENCRYPTED_ITEMS = 16;

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  pbeSha1Rc2With40BitKey: '1.2.840.113549.1.12.1.6',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;
const MAC_DIGESTS: Record<string, { node: 'sha1' | 'sha256' | 'sha384' | 'sha512'; length: number }> = {
  '1.3.14.3.2.26': { node: 'sha1', length: 20 },
  '2.16.840.1.101.3.4.2.1': { node: 'sha256', length: 32 },
  '2.16.840.1.101.3.4.2.2': { node: 'sha384', length: 48 },
  '2.16.840.1.101.3.4.2.3': { node: 'sha512', length: 64 },
};
const GOST_ARC = '1.2.398.3.10.';
const KNOWN_KEY_ALGORITHMS: Record<string, string> = {
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.2.840.10040.4.1': 'DSA',
};

const notPkcs12 = (): SigningError =>
  new SigningError('NOT_PKCS12', 'The file is not a PKCS#12 key store (.p12, .pfx).');
const damaged = (detail: string): SigningError =>
  new SigningError('KEYSTORE_DAMAGED', `The key store file is damaged (${detail}); use another copy of the key.`);
const wrongPassword = (): SigningError =>
  new SigningError('WRONG_PASSWORD', 'The password is wrong: the key store could not be opened with it.');
const gost = (): SigningError =>
  new SigningError(
    'GOST_NOT_SUPPORTED',
    'This is a GOST key. GOST keys are not supported yet: use your RSA key (AUTH_RSA256_... or RSA256_... file).',
  );

function isGost(oid: string): boolean {
  return oid.startsWith(GOST_ARC);
}

// ---------------------------------------------------------------------------------------------
// Small typed accessors over forge's ASN.1 nodes: each one either returns what it promises or
// throws NOT_PKCS12, so the walk below reads like the RFC 7292 structure it follows.

function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw damaged(`${what} expected`);
  return node.value;
}

function sequence(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || node.tagClass !== asn1.Class.UNIVERSAL || node.type !== asn1.Type.SEQUENCE) {
    throw damaged(`${what} is not a SEQUENCE`);
  }
  return children(node, what);
}

function oidOf(node: Asn1 | undefined, what: string): string {
  if (
    !node ||
    node.tagClass !== asn1.Class.UNIVERSAL ||
    node.type !== asn1.Type.OID ||
    typeof node.value !== 'string'
  ) {
    throw damaged(`${what} is not an OID`);
  }
  return asn1.derToOid(node.value);
}

/** OCTET STRING content, joining the pieces of a constructed (BER) one. */
function octets(node: Asn1 | undefined, what: string, depth = 0): string {
  if (!node || depth > MAX_NESTING) throw damaged(`${what} missing`);
  if (typeof node.value === 'string') return node.value;
  return node.value.map((part) => octets(part, what, depth + 1)).join('');
}

function explicitContent(node: Asn1 | undefined, what: string): Asn1 {
  if (!node || node.tagClass !== asn1.Class.CONTEXT_SPECIFIC || node.type !== 0)
    throw damaged(`${what} missing`);
  const [inner] = children(node, what);
  if (!inner) throw damaged(`${what} empty`);
  return inner;
}

function smallInteger(node: Asn1 | undefined, what: string): number {
  if (!node || node.type !== asn1.Type.INTEGER || typeof node.value !== 'string')
    throw damaged(`${what} missing`);
  if (node.value.length === 0 || node.value.length > 4) return Number.POSITIVE_INFINITY;
  return asn1.derToInteger(node.value);
}

function checkIterations(count: number): void {
  if (!(count >= 1)) throw damaged('invalid iteration count');
  if (count > MAX_ITERATIONS) {
    throw new SigningError(
      'UNSUPPORTED_ALGORITHM',
      `The key store asks for more key-derivation iterations than the ${MAX_ITERATIONS} this program accepts.`,
    );
  }
}

function parseDer(bytes: string, what: string): Asn1 {
  try {
    return asn1.fromDer(bytes, {
      strict: false,
      parseAllBytes: true,
      decodeBitStrings: false,
      maxDepth: 64,
    } as never);
  } catch {
    throw damaged(`${what} is not valid ASN.1`);
  }
}

// ---------------------------------------------------------------------------------------------

const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};
const PBKDF2_PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

/** CBC decryption; undefined when the padding is wrong (the usual sign of a wrong password). */
function cbcDecrypt(cipher: string, key: Buffer, iv: Buffer, encrypted: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv(cipher, key, iv);
    const parts = [decipher.update(encrypted)];
    try {
      parts.push(decipher.final());
      return Buffer.concat(parts);
    } finally {
      for (const part of parts) part.fill(0);
    }
  } catch {
    return undefined;
  }
}

/** RC2 with a 40-bit key is only in OpenSSL's legacy provider, so forge decrypts it. */
function rc2Decrypt(key: Buffer, iv: Buffer, encrypted: Buffer): Buffer | undefined {
  try {
    const decipher = forge.rc2.createDecryptionCipher(key.toString('binary'), 40);
    decipher.start(iv.toString('binary'));
    decipher.update(util.createBuffer(encrypted.toString('binary')));
    return decipher.finish() ? Buffer.from(decipher.output.getBytes(), 'binary') : undefined;
  } catch {
    return undefined;
  }
}

function pkcs12PbeDecrypt(
  oid: string,
  params: Asn1 | undefined,
  password: string,
  encrypted: Buffer,
): Buffer | undefined {
  const [saltNode, countNode] = sequence(params, 'PBE parameters');
  const salt = Buffer.from(octets(saltNode, 'PBE salt'), 'binary');
  const iterations = smallInteger(countNode, 'PBE iteration count');
  checkIterations(iterations);
  const tripleDes = oid === OID.pbeSha1TripleDes;
  const key = pkcs12Kdf(password, salt, 1, iterations, tripleDes ? 24 : 5);
  const iv = pkcs12Kdf(password, salt, 2, iterations, 8);
  try {
    return tripleDes ? cbcDecrypt('des-ede3-cbc', key, iv, encrypted) : rc2Decrypt(key, iv, encrypted);
  } finally {
    key.fill(0);
    iv.fill(0);
  }
}

function pbes2Decrypt(params: Asn1 | undefined, password: string, encrypted: Buffer): Buffer | undefined {
  const [kdf, scheme] = sequence(params, 'PBES2 parameters');
  const [kdfOid, kdfParams] = sequence(kdf, 'key derivation');
  const [schemeOid, ivNode] = sequence(scheme, 'encryption scheme');
  const schemeId = oidOf(schemeOid, 'encryption scheme');
  if (isGost(schemeId)) throw gost();
  const cipher = PBES2_CIPHERS[schemeId];
  if (!cipher)
    throw new SigningError(
      'UNSUPPORTED_ALGORITHM',
      `The key store uses an unsupported cipher (${schemeId}).`,
    );
  if (oidOf(kdfOid, 'key derivation') !== OID.pbkdf2) {
    throw new SigningError(
      'UNSUPPORTED_ALGORITHM',
      'The key store uses an unsupported key-derivation algorithm.',
    );
  }
  const [saltNode, countNode, ...rest] = sequence(kdfParams, 'PBKDF2 parameters');
  const iterations = smallInteger(countNode, 'PBKDF2 iteration count');
  checkIterations(iterations);
  const prfNode = rest.find((node) => node.type === asn1.Type.SEQUENCE);
  const prfOid = prfNode ? oidOf(sequence(prfNode, 'PBKDF2 PRF')[0], 'PBKDF2 PRF') : '1.2.840.113549.2.7';
  const prf = PBKDF2_PRFS[prfOid];
  if (!prf)
    throw new SigningError('UNSUPPORTED_ALGORITHM', `The key store uses an unsupported PRF (${prfOid}).`);
  const salt = Buffer.from(octets(saltNode, 'PBKDF2 salt'), 'binary');
  const iv = Buffer.from(octets(ivNode, 'IV'), 'binary');
  if (iv.length !== (cipher.name.startsWith('aes') ? 16 : 8)) throw damaged('wrong IV length');
  // PBES2 takes the password as UTF-8 bytes (RFC 8018), unlike the PKCS#12 PBEs (BMPString).
  const utf8 = Buffer.from(password, 'utf8');
  const key = pbkdf2Sync(utf8, salt, iterations, cipher.keyLength, prf);
  try {
    return cbcDecrypt(cipher.name, key, iv, encrypted);
  } finally {
    utf8.fill(0);
    key.fill(0);
    iv.fill(0);
  }
}

/**
 * Decrypts with a PBE AlgorithmIdentifier, after checking it is one we accept, into content that
 * `wellFormed` accepts. Undefined when the password does not open it (and the MAC has not already
 * proved the password: then it is damage). The caller wipes the result.
 */
function decrypt(
  algorithm: Asn1 | undefined,
  encrypted: string,
  state: WalkState,
  wellFormed: (plain: Buffer) => boolean,
): Buffer | undefined {
  const [oidNode, params] = sequence(algorithm, 'encryption algorithm');
  const oid = oidOf(oidNode, 'encryption algorithm');
  if (isGost(oid)) throw gost();
  if (++state.encryptedItems > MAX_ENCRYPTED_ITEMS) throw damaged('too many encrypted items');
  const data = Buffer.from(encrypted, 'binary');
  let plain: Buffer | undefined;
  if (oid === OID.pbeSha1TripleDes || oid === OID.pbeSha1Rc2With40BitKey) {
    plain = pkcs12PbeDecrypt(oid, params, state.password, data);
  } else if (oid === OID.pbes2) {
    plain = pbes2Decrypt(params, state.password, data);
  } else {
    throw new SigningError(
      'UNSUPPORTED_ALGORITHM',
      `The key store is encrypted with an unsupported algorithm (${oid}).`,
    );
  }
  // A wrong password passes the padding check 1 time in 256: the content must be well-formed too.
  if (!plain || !wellFormed(plain)) {
    plain?.fill(0);
    if (state.mac === 'verified') throw damaged('decryption failed');
    state.undecrypted += 1;
    return undefined;
  }
  state.decrypted += 1;
  if (state.mac === 'failed') {
    // The MAC failed but the password opens this: the file is damaged (see the top of this file).
    plain.fill(0);
    throw damaged('its integrity check fails');
  }
  return plain;
}

function isDer(text: string): boolean {
  try {
    parseDer(text, 'decrypted content');
    return true;
  } catch {
    return false;
  }
}

interface WalkState {
  password: string;
  /** A verified MAC proves the password, so later decryption failures mean damage, not a wrong password. */
  mac: 'verified' | 'failed' | 'absent';
  encryptedItems: number;
  /** Encrypted items the password opened, and those it did not. */
  decrypted: number;
  undecrypted: number;
  keys: KeyObject[];
  certificates: X509Certificate[];
  /** Set when a GOST certificate or key was seen: explains an otherwise empty container. */
  sawGost: boolean;
}

function verifyMac(macData: Asn1, authSafe: string, state: WalkState): void {
  const [digestInfo, saltNode, countNode] = sequence(macData, 'MAC data');
  const [algorithm, digestNode] = sequence(digestInfo, 'MAC digest');
  const digestOid = oidOf(sequence(algorithm, 'MAC algorithm')[0], 'MAC algorithm');
  if (isGost(digestOid)) throw gost();
  const digest = MAC_DIGESTS[digestOid];
  if (!digest)
    throw new SigningError('UNSUPPORTED_ALGORITHM', `The key store uses an unsupported MAC (${digestOid}).`);
  const iterations = countNode ? smallInteger(countNode, 'MAC iteration count') : 1;
  checkIterations(iterations);
  const salt = Buffer.from(octets(saltNode, 'MAC salt'), 'binary');
  const key = pkcs12Kdf(state.password, salt, 3, iterations, digest.length, digest.node);
  let mac: Buffer;
  try {
    mac = createHmac(digest.node, key).update(Buffer.from(authSafe, 'binary')).digest();
  } finally {
    key.fill(0);
  }
  state.mac = mac.equals(Buffer.from(octets(digestNode, 'MAC value'), 'binary')) ? 'verified' : 'failed';
}

/** One DER element at `at`: its tag and where its content starts and ends (definite lengths up to 4 bytes). */
function derElement(der: Buffer, at: number): { tag: number; start: number; end: number } | undefined {
  const tag = der[at];
  const first = der[at + 1];
  if (tag === undefined || first === undefined) return undefined;
  let start = at + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4 || start + count > der.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? 0);
    start += count;
  }
  return start + length <= der.length ? { tag, start, end: start + length } : undefined;
}

/**
 * The algorithm OID of a PKCS#8 PrivateKeyInfo, SEQUENCE { INTEGER, SEQUENCE { OID, ... }, ... },
 * read in place: the key's bytes are never copied (forge's parser would make strings of them).
 */
function privateKeyAlgorithm(der: Buffer): string | undefined {
  const info = derElement(der, 0);
  if (info?.tag !== 0x30 || info.end !== der.length) return undefined;
  const version = derElement(der, info.start);
  if (version?.tag !== 0x02) return undefined;
  const algorithm = derElement(der, version.end);
  if (algorithm?.tag !== 0x30 || algorithm.end > info.end) return undefined;
  const oid = derElement(der, algorithm.start);
  if (oid?.tag !== 0x06 || oid.end > algorithm.end) return undefined;
  return asn1.derToOid(der.subarray(oid.start, oid.end).toString('binary'));
}

/** Reads a PrivateKeyInfo into a KeyObject; `unreadable` is what a malformed one means here. */
function readPrivateKey(privateKeyInfo: Buffer, state: WalkState, unreadable: () => SigningError): void {
  const oid = privateKeyAlgorithm(privateKeyInfo);
  if (oid === undefined) throw unreadable();
  if (isGost(oid)) {
    state.sawGost = true;
    throw gost();
  }
  if (oid !== OID.rsaEncryption) {
    const name = KNOWN_KEY_ALGORITHMS[oid] ?? oid;
    throw new SigningError('UNSUPPORTED_ALGORITHM', `This key uses ${name}; only RSA keys are supported.`);
  }
  try {
    state.keys.push(createPrivateKey({ key: privateKeyInfo, format: 'der', type: 'pkcs8' }));
  } catch {
    throw unreadable();
  }
}

function readCertificate(certBag: Asn1, state: WalkState): void {
  const [typeNode, value] = sequence(certBag, 'certificate bag');
  if (oidOf(typeNode, 'certificate type') !== OID.x509Certificate) return; // SDSI certificates: not ours
  const der = Buffer.from(octets(explicitContent(value, 'certificate'), 'certificate'), 'binary');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw damaged('a certificate cannot be read');
  }
  if (publicKeyOf(cert) === undefined && describeAlgorithmIsGost(cert)) state.sawGost = true;
  state.certificates.push(cert);
}

/** OpenSSL reads some certificates the stricter DER reader of the profile refuses: a damaged file. */
function describeOrDamaged(cert: X509Certificate): CertificateInfo {
  try {
    return describeCertificate(cert);
  } catch {
    throw damaged('a certificate cannot be read');
  }
}

function describeAlgorithmIsGost(cert: X509Certificate): boolean {
  try {
    return describeCertificate(cert).algorithm === 'GOST';
  } catch {
    return false;
  }
}

function readSafeContents(der: string, state: WalkState, depth: number): void {
  if (depth > MAX_NESTING) throw damaged('bags nested too deeply');
  for (const bag of sequence(parseDer(der, 'safe contents'), 'safe contents')) {
    const [idNode, valueNode] = sequence(bag, 'safe bag');
    const id = oidOf(idNode, 'safe bag type');
    const value = explicitContent(valueNode, 'safe bag value');
    if (id === OID.keyBag) {
      // An unencrypted key: it was in clear in the file, and already in forge's strings.
      const der = Buffer.from(asn1.toDer(value).getBytes(), 'binary');
      try {
        readPrivateKey(der, state, () => damaged('the private key cannot be read'));
      } finally {
        der.fill(0);
      }
    } else if (id === OID.pkcs8ShroudedKeyBag) {
      const [algorithm, encrypted] = sequence(value, 'encrypted private key');
      const der = decrypt(algorithm, octets(encrypted, 'encrypted private key'), state, (plain) => privateKeyAlgorithm(plain) !== undefined);
      if (der !== undefined) {
        try {
          readPrivateKey(der, state, () => damaged('the private key cannot be read'));
        } finally {
          der.fill(0);
        }
      }
    } else if (id === OID.certBag) {
      readCertificate(value, state);
    } else if (id === OID.safeContentsBag) {
      readSafeContents(asn1.toDer(value).getBytes(), state, depth + 1);
    }
    // CRL and secret bags carry nothing a signer needs.
  }
}

function readContentInfo(contentInfo: Asn1, state: WalkState): void {
  const [typeNode, content] = sequence(contentInfo, 'content info');
  const type = oidOf(typeNode, 'content type');
  if (type === OID.data) {
    readSafeContents(octets(explicitContent(content, 'data'), 'data'), state, 0);
  } else if (type === OID.encryptedData) {
    const [, encryptedContentInfo] = sequence(explicitContent(content, 'encrypted data'), 'encrypted data');
    const [, algorithm, encrypted] = sequence(encryptedContentInfo, 'encrypted content');
    if (!encrypted || encrypted.tagClass !== asn1.Class.CONTEXT_SPECIFIC) return; // nothing encrypted inside
    const plain = decrypt(algorithm, octets(encrypted, 'encrypted content'), state, (b) => isDer(b.toString('binary')));
    if (plain === undefined) return;
    let der: string;
    try {
      der = plain.toString('binary'); // certificate bags: forge parses strings
    } finally {
      plain.fill(0);
    }
    readSafeContents(der, state, 0);
  } else {
    throw new SigningError(
      'UNSUPPORTED_ALGORITHM',
      'The key store uses public-key protection, which is not supported.',
    );
  }
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

function publicKeyOf(cert: X509Certificate): Buffer | undefined {
  try {
    return spki(cert.publicKey);
  } catch {
    return undefined; // a key type OpenSSL cannot load (GOST)
  }
}

/** Parses PKCS#12 bytes; `file` only labels the result. */
export function openKeyStoreBytes(bytes: Buffer, password: string, file = ''): OpenedKey[] {
  if (!startsLikePfx(bytes)) throw notPkcs12();
  const state: WalkState = {
    password,
    mac: 'absent',
    encryptedItems: 0,
    decrypted: 0,
    undecrypted: 0,
    keys: [],
    certificates: [],
    sawGost: false,
  };
  try {
    const [version, authSafe, macData] = sequence(parseDer(bytes.toString('binary'), 'file'), 'PFX');
    if (smallInteger(version, 'version') !== 3) throw damaged('unsupported version');
    const [typeNode, content] = sequence(authSafe, 'authenticated safe');
    if (oidOf(typeNode, 'authenticated safe type') !== OID.data) {
      throw new SigningError(
        'UNSUPPORTED_ALGORITHM',
        'The key store uses public-key integrity, which is not supported.',
      );
    }
    const authSafeBytes = octets(explicitContent(content, 'authenticated safe'), 'authenticated safe');
    if (macData) verifyMac(macData, authSafeBytes, state);
    for (const contentInfo of sequence(parseDer(authSafeBytes, 'authenticated safe'), 'authenticated safe')) {
      readContentInfo(contentInfo, state);
    }
  } catch (e) {
    if (e instanceof SigningError) throw e;
    throw damaged('unexpected structure'); // forge's own errors: never shown raw
  }
  // Nothing the password opened: with a failed MAC or an item it could not open, the password is wrong.
  if (state.mac === 'failed' || state.undecrypted > 0) {
    throw state.decrypted > 0 ? damaged('an encrypted item cannot be decrypted') : wrongPassword();
  }
  return pairKeysWithCertificates(state, file);
}

/** A DER SEQUENCE whose first element is INTEGER 3: a PFX's start, however damaged the rest is. */
function startsLikePfx(bytes: Buffer): boolean {
  if (bytes[0] !== 0x30 || bytes.length < 5) return false;
  const first = bytes[1] as number;
  const lengthBytes = first < 0x80 ? 0 : first - 0x80;
  if (lengthBytes > 4) return false;
  const at = 2 + lengthBytes;
  return bytes[at] === 0x02 && bytes[at + 1] === 0x01 && bytes[at + 2] === 0x03;
}

function pairKeysWithCertificates(state: WalkState, file: string): OpenedKey[] {
  if (state.keys.length === 0) {
    if (state.sawGost) throw gost();
    throw new SigningError('NO_PRIVATE_KEY', 'The key store holds no private key (only certificates).');
  }
  const opened: OpenedKey[] = [];
  for (const privateKey of state.keys) {
    const publicKey = spki(createPublicKey(privateKey));
    const certificate = state.certificates.find((c) => publicKeyOf(c)?.equals(publicKey) === true);
    if (!certificate) continue;
    opened.push({
      file,
      index: opened.length,
      info: describeOrDamaged(certificate),
      certificate,
      extraCertificates: state.certificates.filter((c) => c !== certificate),
      privateKey,
    });
  }
  if (opened.length === 0) {
    throw new SigningError('NO_KEYS_FOUND', 'The key store holds a private key but not its certificate.');
  }
  return opened;
}

function unreadable(file: string, e: unknown): SigningError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new SigningError('FILE_NOT_FOUND', `Key file not found: ${file}`);
  return new SigningError('FILE_NOT_FOUND', `Key file cannot be read: ${file} (${code ?? 'error'})`);
}

const tooLarge = (file: string): SigningError =>
  new SigningError(
    'FILE_TOO_LARGE',
    `The file is too large to be a key store (over ${MAX_KEYSTORE_BYTES} bytes): ${file}`,
  );

/**
 * Reads a key store file, refusing missing, non-regular (a FIFO would block) and oversized files
 * before reading, and never reading more than the limit even if the file grows meanwhile.
 */
export async function readKeyStoreFile(file: string): Promise<Buffer> {
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    throw unreadable(file, e);
  }
  if (!info.isFile()) throw new SigningError('NOT_PKCS12', `Not a key file: ${file}`);
  if (info.size > MAX_KEYSTORE_BYTES) throw tooLarge(file);
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw unreadable(file, e);
  }
  try {
    if (!(await handle.stat()).isFile()) throw new SigningError('NOT_PKCS12', `Not a key file: ${file}`);
    const buffer = Buffer.alloc(MAX_KEYSTORE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_KEYSTORE_BYTES) throw tooLarge(file);
    }
    return buffer.subarray(0, length);
  } catch (e) {
    if (e instanceof SigningError) throw e;
    throw unreadable(file, e);
  } finally {
    await handle.close();
  }
}

/** Opens a .p12/.pfx key store: every RSA key in it with its certificate. */
export async function openKeyStore(file: string, password: string): Promise<OpenedKey[]> {
  const bytes = await readKeyStoreFile(file);
  try {
    return openKeyStoreBytes(bytes, password, file);
  } finally {
    bytes.fill(0);
  }
}
