/**
 * Token keys over PKCS#11 with SoftHSM 2: each test makes its tokens in a temporary folder,
 * imports real demo keys, lists them, logs in, signs, and meets each PIN and token error.
 * SoftHSM never locks a PIN (it only raises CKF_USER_PIN_COUNT_LOW after a wrong one) and never
 * fails on its own, so locking, the final-try warning and a failing token are played by a thin
 * wrapper around the real SoftHSM binding (misbehaving()), the way a Kaztoken or an eToken behaves.
 */
import { execFile } from 'node:child_process';
import { verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SigningError } from '../../../signing/errors.ts';
import { openKeyStore } from '../../../signing/keystore/pkcs12.ts';
import type { AskSecret, KeyHandle, ListedKey, TokenKeyRef } from '../../../signing/keys/key-source.ts';
import { CK, newPkcs11, type Pkcs11Api } from '../../../signing/pkcs11/binding.ts';
import { Pkcs11Modules } from '../../../signing/pkcs11/modules.ts';
import { tokenKeySource } from '../../../signing/pkcs11/token-source.ts';
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import { signXml } from '../../../signing/xml/sign.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import { getDemoPki, type DemoPki } from '../../helpers/demo-pki.ts';
import { makeSoftHsm, USER_PIN, type SoftHsm } from '../../helpers/softhsm.ts';
import { referralXml } from '../xml/fixtures.ts';

const run = promisify(execFile);
let pki: DemoPki;
let hsm: SoftHsm | undefined;
let modules: Pkcs11Modules | undefined;
const handles: KeyHandle[] = [];

beforeAll(async () => {
  pki = await getDemoPki();
});

afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.close();
  modules?.close();
  modules = undefined;
  hsm?.cleanup();
  hsm = undefined;
});

/** A SoftHSM with one token "PERSONAL" holding abilov-dauren's AUTH key (id 01) and SIGN key (id 02). */
async function personalToken(options: { newApi?: () => Pkcs11Api } = {}): Promise<Pkcs11Modules> {
  hsm = makeSoftHsm();
  await hsm.makeToken('PERSONAL');
  await hsm.importP12(
    'PERSONAL',
    pki.keyPath({ slug: 'abilov-dauren', purpose: 'AUTH' }),
    pki.password,
    '01',
  );
  await hsm.importP12(
    'PERSONAL',
    pki.keyPath({ slug: 'abilov-dauren', purpose: 'SIGN' }),
    pki.password,
    '02',
  );
  modules = new Pkcs11Modules([hsm.module], options);
  return modules;
}

/** Answers every question with `pin`, counting the questions. */
function pinOf(pin: string): AskSecret & { asked: number; given: Buffer[] } {
  const ask = Object.assign(
    async () => {
      ask.asked++;
      const secret = Buffer.from(pin);
      ask.given.push(secret);
      return secret;
    },
    { asked: 0, given: [] as Buffer[] },
  );
  return ask;
}

async function signKey(source: ReturnType<typeof tokenKeySource>): Promise<ListedKey> {
  const { keys, problems } = await source.list(pinOf(''));
  expect(problems).toEqual([]);
  const key = keys.find((k) => k.purposes.includes('SIGN'));
  if (!key) throw new Error('no SIGN key listed');
  return key;
}

async function openKey(
  source: ReturnType<typeof tokenKeySource>,
  ref: TokenKeyRef,
  pin = USER_PIN,
): Promise<KeyHandle> {
  const handle = await source.open(ref, pinOf(pin));
  handles.push(handle);
  return handle;
}

async function failure(promise: Promise<unknown>): Promise<SigningError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof SigningError) return e;
    throw e;
  }
  throw new Error('expected a SigningError');
}

describe('a SoftHSM token as a key source', () => {
  it('lists the token and its certificates with purposes and validity, asking no PIN', async () => {
    const source = tokenKeySource(await personalToken());
    const { tokens } = await modules!.listTokens();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ label: 'PERSONAL', manufacturer: 'SoftHSM project', pinLocked: false });

    const ask = pinOf(USER_PIN);
    const { keys, problems } = await source.list(ask);
    expect(ask.asked).toBe(0);
    expect(problems).toEqual([]);
    const abilov = pki.key({ slug: 'abilov-dauren', purpose: 'SIGN' });
    expect(keys.map((k) => [k.purposes, k.status, k.iin, k.algorithm])).toEqual([
      [['AUTH'], 'valid', abilov.iin, 'RSA'],
      [['SIGN'], 'valid', abilov.iin, 'RSA'],
    ]);
    expect(keys[1]?.ref).toMatchObject({
      kind: 'token',
      module: hsm!.module,
      id: '02',
      token: tokens[0]?.fingerprint,
    });
    expect(keys[1]?.storage).toMatchObject({ kind: 'token', label: 'PERSONAL', model: 'SoftHSM v2' });
  });

  // Two whole processes (xmlsec1, joldama verify) besides the token: slow on a busy machine.
  it(
    'signs XML on the token that verifyXml, xmlsec1 and joldama verify accept; the PIN is asked once and wiped',
    { timeout: 120_000 },
    async () => {
      const source = tokenKeySource(await personalToken());
      const key = await signKey(source);
      const ask = pinOf(USER_PIN);
      const handle = await source.open(key.ref as TokenKeyRef, ask);
      handles.push(handle);
      expect(ask.asked).toBe(1);
      expect(ask.given[0]?.every((byte) => byte === 0)).toBe(true);
      expect(handle.info.fingerprintSha256).toBe(key.fingerprintSha256);

      const signed = await signXml(referralXml(), handle);
      const report = await verifyXml(signed, {
        trust: TrustStore.fromCertificates([pki.root], [pki.intermediate]),
        purpose: 'SIGN',
        revocation: { crls: [pki.crl], ocsp: false },
      });
      expect(report.errors).toEqual([]);
      expect(report).toMatchObject({ indication: 'TOTAL_PASSED', signer: { iin: key.iin } });

      const dir = await mkdtemp(join(tmpdir(), 'joldama-token-sign-'));
      try {
        const file = join(dir, 'signed.xml');
        const cert = join(dir, 'cert.pem');
        await writeFile(file, signed);
        await writeFile(cert, handle.certificate().toString());
        const xmlsec = await run('xmlsec1', [
          '--verify',
          '--pubkey-cert-pem',
          cert,
          '--enabled-reference-uris',
          'empty',
          file,
        ]);
        expect(xmlsec.stderr).toMatch(/^OK$/m);
        const root = join(pki.dir, pki.index.ca.root);
        const ca = join(pki.dir, pki.index.ca.intermediate);
        const crl = join(pki.dir, pki.index.ca.crl);
        const cli = await run('node', [
          'bin/joldama.js',
          'verify',
          file,
          '--trust',
          root,
          '--trust',
          ca,
          '--crl',
          crl,
          '--purpose',
          'SIGN',
          '--json',
        ]);
        expect(JSON.parse(cli.stdout)).toMatchObject({ indication: 'TOTAL_PASSED' });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('signs through CKM_RSA_PKCS over a DigestInfo when the token lacks CKM_SHA256_RSA_PKCS', async () => {
    const source = tokenKeySource(
      await personalToken({
        newApi: () => misbehaving({ mechanisms: (list) => list.filter((m) => m !== CK.CKM_SHA256_RSA_PKCS) }),
      }),
    );
    const handle = await openKey(source, (await signKey(source)).ref as TokenKeyRef);
    const report = await verifyXml(await signXml(referralXml(), handle), {
      trust: TrustStore.fromCertificates([pki.root], [pki.intermediate]),
      purpose: 'SIGN',
      revocation: false,
    });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(seenMechanisms).toEqual([CK.CKM_RSA_PKCS]);
  });

  it('lists a GOST key with its problem and refuses to open it plainly, without asking the PIN', async () => {
    const source = tokenKeySource(await personalToken());
    const [leaf] = await openKeyStore(pki.keyPath({ slug: 'abilov-dauren', purpose: 'SIGN' }), pki.password);
    await hsm!.importCertificate('PERSONAL', withGostKey(leaf!.certificate.raw), '03');
    modules!.reload(); // SoftHSM reads objects written by another process when initialised
    const { keys } = await source.list(pinOf(''));
    const gost = keys.find((k) => k.algorithm === 'GOST');
    expect(gost?.problem).toMatchObject({ code: 'GOST_NOT_SUPPORTED' });
    expect(gost?.problem?.message).toMatch(/GOST keys are not supported yet/);

    const ask = pinOf(USER_PIN);
    const error = await failure(source.open(gost!.ref as TokenKeyRef, ask));
    expect(error.code).toBe('GOST_NOT_SUPPORTED');
    expect(ask.asked).toBe(0);
  });
});

describe('PIN and token errors', () => {
  it('a wrong PIN is PIN_INCORRECT with the token’s tries-left warning; the right one then works', async () => {
    const source = tokenKeySource(await personalToken());
    const key = await signKey(source);
    const error = await failure(source.open(key.ref as TokenKeyRef, pinOf('000000')));
    expect(error.code).toBe('PIN_INCORRECT');
    // SoftHSM raises CKF_USER_PIN_COUNT_LOW after a wrong PIN (and never locks).
    expect(error.detail).toEqual({ pinTries: 'low' });
    expect(error.message).toMatch(/Few tries are left/);
    const { tokens } = await modules!.listTokens();
    expect(tokens[0]?.pinTries).toBe('low');
    await expect(openKey(source, key.ref as TokenKeyRef)).resolves.toBeDefined();
  });

  it('a token that locks after three wrong PINs: low, final try, then PIN_LOCKED, and a locked PIN is not even asked', async () => {
    const source = tokenKeySource(await personalToken({ newApi: () => misbehaving({ lockAfter: 3 }) }));
    const ref = (await signKey(source)).ref as TokenKeyRef;
    const tries: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const error = await failure(source.open(ref, pinOf('000000')));
      tries.push([error.code, error.detail.pinTries]);
    }
    expect(tries).toEqual([
      ['PIN_INCORRECT', 'low'],
      ['PIN_INCORRECT', 'final'],
      ['PIN_LOCKED', undefined],
    ]);
    const ask = pinOf(USER_PIN);
    expect((await failure(source.open(ref, ask))).code).toBe('PIN_LOCKED');
    expect(ask.asked).toBe(0);
  });

  it('a reader with a keypad (CKF_PROTECTED_AUTHENTICATION_PATH): listed as a PIN pad, logged in with no PIN of ours and none asked, then signs', async () => {
    const pinPad = { given: [] as (string | undefined)[] };
    const source = tokenKeySource(await personalToken({ newApi: () => misbehaving({ pinPad }) }));
    const { tokens } = await modules!.listTokens();
    expect(tokens[0]?.pinPad).toBe(true);
    const ref = (await signKey(source)).ref as TokenKeyRef;
    const ask = pinOf('typed in the window');
    const handle = await source.open(ref, ask);
    handles.push(handle);
    expect(ask.asked).toBe(0);
    // pkcs11js cannot pass NULL_PTR: an empty PIN (length 0) is what the module gets.
    expect(pinPad.given).toEqual(['']);
    const data = Buffer.from('<referral/>');
    expect(verify('sha256', data, handle.certificate().publicKey, await handle.sign(data))).toBe(true);
  });

  it('the PIN question carries the final-try warning before the PIN is typed', async () => {
    const source = tokenKeySource(await personalToken({ newApi: () => misbehaving({ lockAfter: 2 }) }));
    const ref = (await signKey(source)).ref as TokenKeyRef;
    await failure(source.open(ref, pinOf('000000')));
    const requests: unknown[] = [];
    const handle = await source.open(ref, async (request) => {
      requests.push(request);
      return Buffer.from(USER_PIN);
    });
    handles.push(handle);
    expect(requests).toEqual([{ kind: 'pin', token: 'PERSONAL', pinTries: 'final' }]);
  });

  it('a token removed after login: signing fails with TOKEN_REMOVED, and opening again says it is not plugged in', async () => {
    const source = tokenKeySource(await personalToken());
    const ref = (await signKey(source)).ref as TokenKeyRef;
    const handle = await openKey(source, ref);
    await handle.sign(Buffer.from('before'));
    hsm!.removeTokens();
    expect((await failure(handle.sign(Buffer.from('after')))).code).toBe('TOKEN_REMOVED');
    expect((await failure(source.open(ref, pinOf(USER_PIN)))).code).toBe('TOKEN_REMOVED');
  });

  it('a token removed between the listing and the PIN: TOKEN_REMOVED, not a PIN error', async () => {
    const source = tokenKeySource(await personalToken());
    const ref = (await signKey(source)).ref as TokenKeyRef;
    const error = await failure(
      source.open(ref, async () => {
        hsm!.removeTokens();
        return Buffer.from(USER_PIN);
      }),
    );
    expect(error.code).toBe('TOKEN_REMOVED');
  });

  it('a token failure (CKR_FUNCTION_FAILED, CKR_DEVICE_ERROR) at login or sign is TOKEN_FAILURE, never a wrong PIN', async () => {
    const how: Misbehaviour = {};
    const source = tokenKeySource(await personalToken({ newApi: () => misbehaving(how) }));
    const ref = (await signKey(source)).ref as TokenKeyRef;
    for (const code of [CK.CKR_FUNCTION_FAILED, CK.CKR_DEVICE_ERROR, CK.CKR_GENERAL_ERROR]) {
      how.failLogin = code;
      const error = await failure(source.open(ref, pinOf('000000')));
      expect([code, error.code]).toEqual([code, 'TOKEN_FAILURE']);
    }
    delete how.failLogin;
    how.failSign = CK.CKR_FUNCTION_FAILED;
    const handle = await openKey(source, ref);
    const error = await failure(handle.sign(Buffer.from('x')));
    expect(error.code).toBe('TOKEN_FAILURE');
    expect(error.message).toMatch(/CKR_FUNCTION_FAILED/);
  });

  it('a reference naming a module that is not configured is refused without loading it', async () => {
    const source = tokenKeySource(await personalToken());
    const ref = (await signKey(source)).ref as TokenKeyRef;
    const error = await failure(source.open({ ...ref, module: '/tmp/evil.so' }, pinOf(USER_PIN)));
    expect(error.code).toBe('KEY_NOT_FOUND');
  });

  it('a token swapped in the same slot (another certificate under the id) is refused before the PIN', async () => {
    const source = tokenKeySource(await personalToken());
    const ref = (await signKey(source)).ref as TokenKeyRef;
    const ask = pinOf(USER_PIN);
    expect((await failure(source.open({ ...ref, certificate: 'AB'.repeat(32) }, ask))).code).toBe(
      'KEY_NOT_FOUND',
    );
    expect(ask.asked).toBe(0);
  });
});

describe('listTokens for a watcher', () => {
  it('fingerprints stay the same across polls; a new token appears after reload, a removed one disappears', async () => {
    await personalToken();
    const first = await modules!.listTokens();
    const again = await modules!.listTokens();
    expect(again.tokens.map((t) => t.fingerprint)).toEqual(first.tokens.map((t) => t.fingerprint));

    await hsm!.makeToken('SECOND');
    modules!.reload(); // SoftHSM scans its token folder only when initialised
    const plugged = await modules!.listTokens();
    expect(plugged.tokens.map((t) => t.label).sort()).toEqual(['PERSONAL', 'SECOND']);
    expect(plugged.tokens.find((t) => t.label === 'PERSONAL')?.fingerprint).toBe(
      first.tokens[0]?.fingerprint,
    );

    hsm!.removeTokens();
    modules!.reload();
    expect((await modules!.listTokens()).tokens).toEqual([]);
  });

  it('a module that cannot be loaded is a problem of the listing, not a crash', async () => {
    modules = new Pkcs11Modules(['/nonexistent/libnothing.so']);
    const listing = await modules.listTokens();
    expect(listing.tokens).toEqual([]);
    expect(listing.problems).toMatchObject([{ where: '/nonexistent/libnothing.so', code: 'TOKEN_FAILURE' }]);
  });
});

// ---------------------------------------------------------------------------------------------

let seenMechanisms: number[] = [];

interface Misbehaviour {
  /** Locks the PIN after this many wrong PINs, raising COUNT_LOW then FINAL_TRY on the way. */
  lockAfter?: number;
  /** C_Login fails with this CKR whatever the PIN. */
  failLogin?: number;
  /** C_Sign fails with this CKR. */
  failSign?: number;
  mechanisms?: (list: number[]) => number[];
  /** A reader with a keypad (CKF_PROTECTED_AUTHENTICATION_PATH): the PIN C_Login is given is recorded, the keypad "types" USER_PIN. */
  pinPad?: { given: (string | undefined)[] };
}

/** A pkcs11js error as the binding makes them: message "CKR_NAME:code", `code` the CKR value. */
function ckrError(code: number): Error {
  const name =
    Object.entries(CK).find(([key, value]) => key.startsWith('CKR_') && value === code)?.[0] ?? 'CKR_VENDOR';
  return Object.assign(new Error(name), { name: 'Pkcs11Error', code });
}

/** The real SoftHSM binding with a Kaztoken-like PIN counter and injectable failures. */
function misbehaving(how: Misbehaviour): Pkcs11Api {
  const real = newPkcs11();
  let wrong = 0;
  seenMechanisms = [];
  const flagsOf = (flags: number): number => {
    if (how.lockAfter === undefined || wrong === 0) return flags;
    if (wrong >= how.lockAfter) return flags | CK.CKF_USER_PIN_LOCKED;
    if (how.lockAfter - wrong === 1) return flags | CK.CKF_USER_PIN_FINAL_TRY;
    return flags | CK.CKF_USER_PIN_COUNT_LOW;
  };
  return new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property === 'C_GetTokenInfo') {
        return (slot: Buffer) => {
          const info = target.C_GetTokenInfo(slot);
          const flags = flagsOf(info.flags) | (how.pinPad ? CK.CKF_PROTECTED_AUTHENTICATION_PATH : 0);
          return { ...info, flags };
        };
      }
      if (property === 'C_Login') {
        return (session: Buffer, user: number, pin?: string) => {
          if (how.failLogin !== undefined) throw ckrError(how.failLogin);
          if (how.pinPad) {
            how.pinPad.given.push(pin);
            return target.C_Login(session, user, USER_PIN);
          }
          if (how.lockAfter !== undefined && wrong >= how.lockAfter) throw ckrError(CK.CKR_PIN_LOCKED);
          try {
            target.C_Login(session, user, pin);
          } catch (e) {
            if ((e as { code?: number }).code === CK.CKR_PIN_INCORRECT) wrong++;
            throw e;
          }
          wrong = 0;
        };
      }
      if (property === 'C_GetMechanismList' && how.mechanisms) {
        return (slot: Buffer) => how.mechanisms!(target.C_GetMechanismList(slot));
      }
      if (property === 'C_SignInit') {
        return (session: Buffer, mechanism: { mechanism: number }, key: Buffer) => {
          seenMechanisms.push(mechanism.mechanism);
          target.C_SignInit(session, mechanism, key);
        };
      }
      if (property === 'C_Sign') {
        return (
          session: Buffer,
          data: Buffer,
          out: Buffer,
          callback: (e: Error | null, s: Buffer) => void,
        ) => {
          if (how.failSign === undefined) return target.C_Sign(session, data, out, callback);
          setImmediate(() => callback(ckrError(how.failSign!), Buffer.alloc(0)));
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The same end-entity certificate with a GOST 34.310 public key algorithm (1.2.398.3.10.1.1.1.1)
 * in place of rsaEncryption: what a GOST key's certificate on a Kaztoken looks like to us (its
 * issuer signature no longer verifies, which listing does not look at).
 */
function withGostKey(der: Buffer): Buffer {
  const certificate = asn1js.fromBER(new Uint8Array(der)).result as asn1js.Sequence;
  const tbs = certificate.valueBlock.value[0] as asn1js.Sequence;
  const spki = tbs.valueBlock.value[6] as asn1js.Sequence;
  const algorithm = spki.valueBlock.value[0] as asn1js.Sequence;
  algorithm.valueBlock.value = [new asn1js.ObjectIdentifier({ value: '1.2.398.3.10.1.1.1.1' })];
  return Buffer.from(certificate.toBER());
}
