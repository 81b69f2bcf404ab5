import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLoginXml } from '../../../protocol/signed-documents.ts';
import { ORIGIN, startTestPortal, type TestPortal } from './helpers.ts';
import { APPLICANT, stubSign, stubVerifier } from './stub-verifier.ts';

describe('certificate login (decisions on the verification report)', () => {
  let portal: TestPortal;
  let verify: ReturnType<typeof stubVerifier>;
  beforeEach(async () => {
    verify = stubVerifier();
    portal = await startTestPortal(verify);
  });
  afterEach(() => portal.close());

  async function challenge(): Promise<string> {
    const res = await portal.app.inject({ method: 'POST', url: '/api/auth/challenge' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ nonce: string; origin: string }>();
    expect(body.origin).toBe(ORIGIN);
    expect(Buffer.from(body.nonce, 'base64url')).toHaveLength(32);
    return body.nonce;
  }
  const loginXml = (nonce: string, origin = ORIGIN) =>
    stubSign(buildLoginXml({ nonce, origin, timestamp: portal.clock.now.toISOString() }));
  const login = (signedXml: string) => portal.app.inject({ method: 'POST', url: '/api/auth/login', payload: { signedXml } });

  it('logs in, asks for an e-mail at first login, and serves /api/me by bearer and by cookie', async () => {
    const res = await login(loginXml(await challenge()));
    expect(res.statusCode).toBe(200);
    const body = res.json<{ token: string; me: { iin: string; needsEmail: boolean } }>();
    expect(body.me).toMatchObject({ iin: APPLICANT.iin, needsEmail: true });
    const cookie = res.cookies.find((c) => c.name === 'joldama_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', value: body.token });

    const put = await portal.app.inject({
      method: 'PUT',
      url: '/api/me/email',
      headers: { authorization: `Bearer ${body.token}` },
      payload: { email: 'dauren@example.kz' },
    });
    expect(put.json()).toMatchObject({ email: 'dauren@example.kz', needsEmail: false });
    const byCookie = await portal.app.inject({ method: 'GET', url: '/api/me', cookies: { joldama_session: body.token } });
    expect(byCookie.json()).toMatchObject({ iin: APPLICANT.iin, email: 'dauren@example.kz' });

    const audit = await portal.database.db.selectFrom('audit_log').select(['action', 'actor_iin']).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'login', actor_iin: APPLICANT.iin },
      { action: 'account.email', actor_iin: APPLICANT.iin },
    ]);
  });

  it('expires a session after inactivity and ends it at logout', async () => {
    const { token } = (await login(loginXml(await challenge()))).json<{ token: string }>();
    const me = () => portal.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    portal.clock.now = new Date(portal.clock.now.getTime() + 20 * 60_000);
    expect((await me()).statusCode).toBe(200);
    portal.clock.now = new Date(portal.clock.now.getTime() + 20 * 60_000); // slid: 20 min since last use
    expect((await me()).statusCode).toBe(200);
    portal.clock.now = new Date(portal.clock.now.getTime() + 31 * 60_000);
    expect((await me()).json()).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String) });

    const again = (await login(loginXml(await challenge()))).json<{ token: string }>().token;
    await portal.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${again}` } });
    const after = await portal.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${again}` } });
    expect(after.statusCode).toBe(401);
  });

  it('burns the challenge on first use', async () => {
    const xml = loginXml(await challenge());
    expect((await login(xml)).statusCode).toBe(200);
    expect((await login(xml)).json()).toMatchObject({ code: 'AUTH_CHALLENGE_REPLAYED' });
  });

  it('refuses an expired challenge, an unknown one and a foreign origin', async () => {
    const nonce = await challenge();
    portal.clock.now = new Date(portal.clock.now.getTime() + 5 * 60_000 + 1);
    expect((await login(loginXml(nonce))).json()).toMatchObject({ code: 'AUTH_CHALLENGE_EXPIRED' });
    expect((await login(loginXml(Buffer.alloc(32, 1).toString('base64url')))).json()).toMatchObject({ code: 'AUTH_CHALLENGE_UNKNOWN' });
    expect((await login(loginXml(await challenge(), 'https://evil.example'))).json()).toMatchObject({ code: 'AUTH_WRONG_ORIGIN' });
  });

  it('refuses a bad signature without burning anything', async () => {
    const nonce = await challenge();
    const res = await login(buildLoginXml({ nonce, origin: ORIGIN, timestamp: portal.clock.now.toISOString() }));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'AUTH_BAD_SIGNATURE' });
    expect((await login(loginXml(nonce))).statusCode).toBe(200);
  });

  it.each([
    ['NO_CERTIFICATE_CHAIN_FOUND', 'AUTH_UNTRUSTED'],
    ['EXPIRED', 'AUTH_CERT_EXPIRED'],
    ['NOT_YET_VALID', 'AUTH_CERT_NOT_YET_VALID'],
    ['REVOKED', 'AUTH_CERT_REVOKED'],
    ['WRONG_PURPOSE', 'AUTH_WRONG_PURPOSE'],
    ['TRY_LATER', 'AUTH_REVOCATION_UNKNOWN'],
    ['UNSUPPORTED_ALGORITHM', 'AUTH_UNSUPPORTED_ALGORITHM'],
  ] as const)('maps %s to %s', async (subIndication, code) => {
    const xml = loginXml(await challenge());
    const indeterminate = subIndication === 'TRY_LATER' || subIndication === 'UNSUPPORTED_ALGORITHM';
    // verifyXml gives no signedXml when it cannot check the signature's algorithm (GOST).
    verify.next = {
      indication: indeterminate ? 'INDETERMINATE' : 'TOTAL_FAILED',
      subIndication,
      ...(subIndication === 'UNSUPPORTED_ALGORITHM' ? { signedXml: undefined } : {}),
    };
    const res = await login(xml);
    expect(res.json()).toMatchObject({ code });
    expect(res.statusCode).toBe(code === 'AUTH_REVOCATION_UNKNOWN' ? 503 : 401);
  });

  it('refuses an employee certificate (IIN with BIN) and a certificate without an IIN', async () => {
    verify.next = { signer: { ...APPLICANT, bin: '123456789012' } };
    expect((await login(loginXml(await challenge()))).json()).toMatchObject({ code: 'AUTH_NOT_INDIVIDUAL' });
    verify.next = { signer: { ...APPLICANT, iin: undefined } };
    expect((await login(loginXml(await challenge()))).json()).toMatchObject({ code: 'AUTH_NOT_INDIVIDUAL' });
  });

  it('refuses malformed bodies with a typed error', async () => {
    const noBody = await portal.app.inject({ method: 'POST', url: '/api/auth/login', payload: { xml: 'x' } });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json()).toMatchObject({ code: 'BAD_REQUEST' });
    const big = await login(`<login>${'a'.repeat(70 * 1024)}</login>`);
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const junk = await portal.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"signedXml":' });
    expect(junk.statusCode).toBe(400);
    expect(junk.body).not.toMatch(/at .*\.ts/);
  });
});
