/** Every PKCS#11 return value a token may give at login or signing, and the one code it becomes. */
import { describe, expect, it } from 'vitest';
import { CK } from '../../../signing/pkcs11/binding.ts';
import { defaultModulePaths } from '../../../signing/pkcs11/module-paths.ts';
import { loginError, tokenError } from '../../../signing/pkcs11/token-errors.ts';

const ckr = (name: keyof typeof CK): Error =>
  Object.assign(new Error(name), { name: 'Pkcs11Error', code: CK[name] });

describe('loginError', () => {
  it('tells a wrong PIN, its tries-left warning, a locked and an expired PIN apart', () => {
    expect(loginError(ckr('CKR_PIN_INCORRECT'), 0)).toMatchObject({ code: 'PIN_INCORRECT', detail: {} });
    expect(loginError(ckr('CKR_PIN_INCORRECT'), CK.CKF_USER_PIN_COUNT_LOW)).toMatchObject({
      code: 'PIN_INCORRECT',
      detail: { pinTries: 'low' },
    });
    expect(
      loginError(ckr('CKR_PIN_INCORRECT'), CK.CKF_USER_PIN_COUNT_LOW | CK.CKF_USER_PIN_FINAL_TRY),
    ).toMatchObject({
      code: 'PIN_INCORRECT',
      detail: { pinTries: 'final' },
    });
    expect(loginError(ckr('CKR_PIN_LEN_RANGE'), undefined)).toMatchObject({ code: 'PIN_INCORRECT' });
    expect(loginError(ckr('CKR_PIN_LOCKED'), 0).code).toBe('PIN_LOCKED');
    // Some tokens answer the try that locks the PIN with CKR_PIN_INCORRECT: the flags say locked.
    expect(loginError(ckr('CKR_PIN_INCORRECT'), CK.CKF_USER_PIN_LOCKED).code).toBe('PIN_LOCKED');
    expect(loginError(ckr('CKR_PIN_EXPIRED'), 0).code).toBe('PIN_EXPIRED');
  });

  it('never calls a failing token a wrong PIN', () => {
    for (const name of [
      'CKR_FUNCTION_FAILED',
      'CKR_DEVICE_ERROR',
      'CKR_DEVICE_MEMORY',
      'CKR_GENERAL_ERROR',
      'CKR_TOKEN_NOT_RECOGNIZED',
    ] as const) {
      const error = loginError(ckr(name), CK.CKF_USER_PIN_COUNT_LOW);
      expect([name, error.code]).toEqual([name, 'TOKEN_FAILURE']);
      expect(error.message).toContain(name);
      expect(error.message).not.toMatch(/PIN/);
    }
    expect(loginError(new TypeError('boom'), 0).code).toBe('TOKEN_FAILURE');
  });

  it('a removal during login is TOKEN_REMOVED', () => {
    for (const name of [
      'CKR_DEVICE_REMOVED',
      'CKR_TOKEN_NOT_PRESENT',
      'CKR_SESSION_HANDLE_INVALID',
      'CKR_SESSION_CLOSED',
    ] as const) {
      expect([name, loginError(ckr(name), undefined).code]).toEqual([name, 'TOKEN_REMOVED']);
    }
  });
});

describe('tokenError', () => {
  it('is TOKEN_REMOVED when the slot says the token left, whatever the code', () => {
    expect(tokenError(ckr('CKR_OBJECT_HANDLE_INVALID'), true).code).toBe('TOKEN_REMOVED');
    expect(tokenError(ckr('CKR_OBJECT_HANDLE_INVALID'), false).code).toBe('TOKEN_FAILURE');
    expect(tokenError(ckr('CKR_DEVICE_REMOVED'), false).code).toBe('TOKEN_REMOVED');
  });
});

describe('defaultModulePaths', () => {
  it('offers the known vendors’ modules that exist, SoftHSM only when asked, nothing on other systems', () => {
    const everywhere = (): boolean => true;
    const windows = defaultModulePaths({ platform: 'win32', exists: everywhere });
    expect(windows).toContain('C:\\Windows\\System32\\eTPKCS11.dll');
    expect(windows).toContain('C:\\Windows\\System32\\jcPKCS11-2.dll');
    expect(windows.some((p) => /softhsm/i.test(p))).toBe(false);
    expect(defaultModulePaths({ platform: 'win32', exists: everywhere, includeTestModules: true })).toContain(
      'C:\\SoftHSM2\\lib\\softhsm2-x64.dll',
    );
    expect(
      defaultModulePaths({ platform: 'linux', exists: (p) => p === '/usr/lib/libjcPKCS11-2.so' }),
    ).toEqual(['/usr/lib/libjcPKCS11-2.so']);
    expect(defaultModulePaths({ platform: 'darwin', exists: everywhere })).toEqual([]);
  });
});
