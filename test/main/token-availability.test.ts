/**
 * keys.tokens says whether tokens can be used on this computer (the kiosk start screen shows its
 * token step only then): TOKENS_UNAVAILABLE when no PKCS#11 module is installed or configured,
 * a listing (perhaps without tokens) when one is (SoftHSM here).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tokenAccess } from '../../main/token-access.ts';
import { TokenService } from '../../main/token-service.ts';
import { makeSoftHsm, type SoftHsm } from '../helpers/softhsm.ts';

let service: TokenService | undefined;
let hsm: SoftHsm | undefined;
afterEach(() => {
  service?.stop();
  hsm?.cleanup();
  service = undefined;
  hsm = undefined;
});

describe('keys.tokens and the token modules on this computer', () => {
  it('answers TOKENS_UNAVAILABLE when there is no module at all', async () => {
    service = new TokenService(tokenAccess([], { vendorDefaults: false }), { onChange: () => {} });
    await expect(service.list()).rejects.toMatchObject({ code: 'TOKENS_UNAVAILABLE' });
  });

  it('lists (no token plugged in yet) when a module is there', async () => {
    hsm = makeSoftHsm();
    service = new TokenService(tokenAccess([hsm.module], { vendorDefaults: false }), { onChange: () => {} });
    await expect(service.list()).resolves.toEqual({ tokens: [], problems: [] });
  });
});
