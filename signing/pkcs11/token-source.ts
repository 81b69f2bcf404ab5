/**
 * A key source over PKCS#11 tokens (docs/tokens.md). Listing reads the certificates on each token
 * without a PIN; opening a key logs in with the PIN (asked at that moment, zeroed after) and keeps
 * one session until the handle is closed; signing is RSA PKCS#1 v1.5 over SHA-256 done by the token
 * (CKM_SHA256_RSA_PKCS, or CKM_RSA_PKCS over a DigestInfo we hash when the token lacks the former):
 * the private key never leaves it. Each signature is checked against the certificate before it is
 * returned, so a token that signs with another key than the one its certificate names is caught.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { describeCertificate, validityStatus } from '../certificate-profile.ts';
import { SigningError } from '../errors.ts';
import type { CertificateInfo } from '../types.ts';
import {
  keyNotFound,
  withSecret,
  type AskSecret,
  type KeyHandle,
  type KeySource,
  type ListedKey,
  type SourceListing,
  type TokenKeyRef,
} from '../keys/key-source.ts';
import { CK, ckrOf, type Handle, type Pkcs11Api } from './binding.ts';
import type { LoadedModule, Pkcs11Modules, TokenInfo } from './modules.ts';
import { loginError, pinLocked, pinTriesOf, tokenError, tokenRemoved } from './token-errors.ts';

/** A token holds a handful of certificates; a bound keeps a faulty one from flooding the list. */
const MAX_CERTIFICATES_PER_TOKEN = 64;
/** Room for an RSA signature of up to 8192 bits. */
const MAX_SIGNATURE_BYTES = 1024;
/** DER prefix of a DigestInfo for SHA-256 (RFC 8017, section 9.2, note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

interface TokenCertificate {
  id: Buffer;
  certificate: X509Certificate;
  info: CertificateInfo;
}

function findObjects(
  api: Pkcs11Api,
  session: Handle,
  template: Parameters<Pkcs11Api['C_FindObjectsInit']>[1],
): Handle[] {
  api.C_FindObjectsInit(session, template);
  try {
    return api.C_FindObjects(session, MAX_CERTIFICATES_PER_TOKEN);
  } finally {
    api.C_FindObjectsFinal(session);
  }
}

function attribute(api: Pkcs11Api, session: Handle, object: Handle, type: number): Buffer | undefined {
  const [value] = api.C_GetAttributeValue(session, object, [{ type }]);
  return Buffer.isBuffer(value?.value) ? value.value : undefined;
}

/** The user's X.509 certificates on a token (CA certificates stored beside them are left out). */
function readCertificates(api: Pkcs11Api, session: Handle, id?: Buffer): TokenCertificate[] {
  const template = [
    { type: CK.CKA_CLASS, value: CK.CKO_CERTIFICATE },
    { type: CK.CKA_CERTIFICATE_TYPE, value: CK.CKC_X_509 },
    ...(id ? [{ type: CK.CKA_ID, value: id }] : []),
  ];
  const found: TokenCertificate[] = [];
  for (const object of findObjects(api, session, template)) {
    const der = attribute(api, session, object, CK.CKA_VALUE);
    const objectId = attribute(api, session, object, CK.CKA_ID) ?? Buffer.alloc(0);
    if (!der) continue;
    let certificate: X509Certificate;
    let info: CertificateInfo;
    try {
      certificate = new X509Certificate(der);
      info = describeCertificate(certificate);
    } catch {
      continue; // not a certificate we can read: nothing to sign with
    }
    if (certificate.ca) continue;
    found.push({ id: objectId, certificate, info });
  }
  // In CKA_ID order: the same list on every call, whatever order the token finds them in.
  return found.sort((a, b) => Buffer.compare(a.id, b.id));
}

/** Why a certificate's key cannot sign here, if it cannot (checked before any PIN is asked). */
function algorithmProblem(info: CertificateInfo): SigningError | undefined {
  if (info.algorithm === 'GOST') {
    return new SigningError(
      'GOST_NOT_SUPPORTED',
      'This is a GOST key. GOST keys are not supported yet: use your RSA key.',
    );
  }
  if (info.algorithm !== 'RSA') {
    return new SigningError(
      'UNSUPPORTED_ALGORITHM',
      `This key uses ${info.algorithm}; only RSA keys are supported.`,
    );
  }
  return undefined;
}

function openSession(module: LoadedModule, slot: Handle): Handle {
  const session = module.api.C_OpenSession(slot, CK.CKF_SERIAL_SESSION);
  module.openSessions++;
  return session;
}

function closeSession(module: LoadedModule, session: Handle): void {
  module.openSessions--;
  try {
    module.api.C_CloseSession(session);
  } catch {
    // the token is gone: so is the session
  }
}

export function tokenKeySource(modules: Pkcs11Modules): KeySource<TokenKeyRef> {
  async function list(_askSecret: AskSecret, at = new Date()): Promise<SourceListing> {
    const tokens = await modules.listTokens();
    const listing: SourceListing = { keys: [], problems: [...tokens.problems] };
    for (const token of tokens.tokens) {
      try {
        listing.keys.push(...listToken(token, at));
      } catch (e) {
        const error = tokenError(e, false);
        listing.problems.push({
          where: `${token.module} (${token.label})`,
          code: error.code,
          message: error.message,
        });
      }
    }
    return listing;
  }

  function listToken(token: TokenInfo, at: Date): ListedKey[] {
    const module = modules.module(token.module);
    const session = openSession(module, Buffer.from(token.slot, 'hex'));
    try {
      return readCertificates(module.api, session).map(({ id, info, certificate }) => {
        const problem = algorithmProblem(info);
        return {
          ...info,
          ref: {
            kind: 'token',
            module: token.module,
            slot: token.slot,
            token: token.fingerprint,
            id: id.toString('hex'),
            certificate: info.fingerprintSha256,
          },
          status: validityStatus(info, at),
          certificate,
          storage: {
            kind: 'token',
            label: token.label,
            manufacturer: token.manufacturer,
            model: token.model,
            serial: token.serial,
          },
          ...(problem ? { problem: { code: problem.code, message: problem.message } } : {}),
        };
      });
    } finally {
      closeSession(module, session);
    }
  }

  async function open(ref: TokenKeyRef, askSecret: AskSecret): Promise<KeyHandle> {
    if (!modules.has(ref.module)) throw keyNotFound('the token module is not configured');
    const module = modules.module(ref.module);
    const { api } = module;
    const found = modules.findToken(module, ref.token, ref.slot);
    if (!found)
      throw new SigningError('TOKEN_REMOVED', 'The token is not plugged in. Plug it in and repeat.');
    const { slot, info: tokenInfo } = found;
    const gone = (): boolean => modules.tokenGone(module, slot, ref.token);

    const session = openSession(module, slot);
    let loggedIn = false;
    try {
      const id = Buffer.from(ref.id, 'hex');
      const chosen = readCertificates(api, session, id).find(
        (c) => c.info.fingerprintSha256 === ref.certificate,
      );
      if (!chosen) throw keyNotFound('the token holds another certificate under this id now');
      const problem = algorithmProblem(chosen.info);
      if (problem) throw problem;
      if (tokenInfo.flags & CK.CKF_USER_PIN_LOCKED) throw pinLocked();

      const pinTries = pinTriesOf(tokenInfo.flags);
      const request = {
        kind: 'pin' as const,
        token: tokenInfo.label.trim(),
        ...(pinTries ? { pinTries } : {}),
      };
      if (tokenInfo.flags & CK.CKF_PROTECTED_AUTHENTICATION_PATH) {
        // A reader with a keypad: the person types the PIN there, and C_Login waits for it; none is asked here.
        login(api, session, slot, undefined);
      } else {
        await withSecret(askSecret, request, (pin) => {
          if (pin.length === 0) throw new SigningError('PIN_INCORRECT', 'No PIN was entered.');
          login(api, session, slot, pin);
        });
      }
      loggedIn = true;

      const [key] = findObjects(api, session, [
        { type: CK.CKA_CLASS, value: CK.CKO_PRIVATE_KEY },
        { type: CK.CKA_ID, value: id },
      ]);
      if (!key) throw keyNotFound('the token has no private key for this certificate');
      const keyType = attribute(api, session, key, CK.CKA_KEY_TYPE);
      if (!keyType || keyType.readUIntLE(0, Math.min(keyType.length, 6)) !== CK.CKK_RSA) {
        throw new SigningError('UNSUPPORTED_ALGORITHM', 'The key on the token is not an RSA key.');
      }
      const mechanism = api.C_GetMechanismList(slot).includes(CK.CKM_SHA256_RSA_PKCS)
        ? CK.CKM_SHA256_RSA_PKCS
        : CK.CKM_RSA_PKCS;
      return tokenHandle({ module, session, key, mechanism, ref, chosen, gone });
    } catch (e) {
      if (loggedIn) logout(api, session);
      closeSession(module, session);
      throw e instanceof SigningError ? e : tokenError(e, gone());
    }

    /**
     * `pin` undefined: the reader's keypad asks for it (CKF_PROTECTED_AUTHENTICATION_PATH). PKCS#11
     * says to pass NULL_PTR then, but pkcs11js always passes a string: an empty one (length 0), which
     * OpenSC and the vendors' modules also read as "use the keypad".
     */
    function login(api: Pkcs11Api, session: Handle, slot: Handle, pin: Buffer | undefined): void {
      // pkcs11js takes the PIN as a string: that copy is left to the garbage collector, the
      // Buffer is zeroed by withSecret.
      const text = pin?.toString('utf8') ?? '';
      try {
        try {
          api.C_Login(session, CK.CKU_USER, text);
        } catch (e) {
          // Logged in already (by an earlier key of ours): log out and in again so the PIN is always checked.
          if (ckrOf(e) !== CK.CKR_USER_ALREADY_LOGGED_IN) throw e;
          api.C_Logout(session);
          api.C_Login(session, CK.CKU_USER, text);
        }
      } catch (e) {
        if (gone()) throw tokenRemoved();
        let flagsAfter: number | undefined;
        try {
          flagsAfter = api.C_GetTokenInfo(slot).flags;
        } catch {
          flagsAfter = undefined;
        }
        throw loginError(e, flagsAfter);
      }
    }
  }

  return { list, open };
}

function logout(api: Pkcs11Api, session: Handle): void {
  try {
    api.C_Logout(session);
  } catch {
    // not logged in any more, or the token is gone
  }
}

interface HandleParts {
  module: LoadedModule;
  session: Handle;
  key: Handle;
  mechanism: number;
  ref: TokenKeyRef;
  chosen: TokenCertificate;
  gone: () => boolean;
}

function tokenHandle({ module, session, key, mechanism, ref, chosen, gone }: HandleParts): KeyHandle {
  const { api } = module;
  let closed = false;
  /** One operation at a time on the session (C_SignInit/C_Sign pairs must not interleave). */
  let queue: Promise<unknown> = Promise.resolve();

  const signOnToken = async (data: Buffer): Promise<Buffer> => {
    if (closed) throw new SigningError('TOKEN_FAILURE', 'The token key was closed.');
    const input =
      mechanism === CK.CKM_SHA256_RSA_PKCS
        ? data
        : Buffer.concat([SHA256_DIGEST_INFO, createHash('sha256').update(data).digest()]);
    let signature: Buffer;
    try {
      api.C_SignInit(session, { mechanism }, key);
      signature = await new Promise<Buffer>((resolve, reject) => {
        api.C_Sign(session, input, Buffer.alloc(MAX_SIGNATURE_BYTES), (error, result) =>
          error ? reject(error) : resolve(Buffer.from(result)),
        );
      });
    } catch (e) {
      throw tokenError(e, gone());
    }
    if (!verify('sha256', data, chosen.certificate.publicKey, signature)) {
      throw new SigningError(
        'TOKEN_FAILURE',
        'The token signed with a key that does not match its certificate.',
      );
    }
    return signature;
  };

  return {
    ref,
    info: chosen.info,
    extraCertificates: [],
    certificate: () => chosen.certificate,
    sign(data: Buffer): Promise<Buffer> {
      const result = queue.then(() => signOnToken(data));
      queue = result.catch(() => undefined);
      return result;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await queue;
      logout(api, session);
      closeSession(module, session);
    },
  };
}
