/** Certificate login end to end: real demo keys sign real login documents, signing/ verifies them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoKeyFilter } from '../../helpers/demo-pki.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import { ORIGIN, startTestPortal, type TestPortal } from './helpers.ts';
import { demoVerifier, loginWith } from './real-signatures.ts';

describe('certificate login with demo keys', () => {
  let portal: TestPortal;
  let untrusting: TestPortal;
  beforeAll(async () => {
    const pki = await getDemoPki();
    // Validation time inside the demo certificates' validity period.
    const start = new Date(Date.parse(pki.index.generatedAt) + 60_000);
    portal = await startTestPortal(await demoVerifier(), { start });
    untrusting = await startTestPortal(await demoVerifier({ trustDemo: false }), { start });
  }, 60_000);
  afterAll(async () => {
    await portal?.close();
    await untrusting?.close();
  });

  const login = (p: TestPortal, key: DemoKeyFilter, tamper?: (xml: string) => string) =>
    loginWith(p, key, '/api/auth/login', tamper);

  it('logs an individual in with an AUTH key', async () => {
    const res = await login(portal, { slug: 'abilov-dauren', purpose: 'AUTH' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ me: { iin: '900702304562', needsEmail: true } });
  });

  it.each([
    ['a signing (SIGN) key', { slug: 'abilov-dauren', purpose: 'SIGN' }, 'AUTH_WRONG_PURPOSE'],
    ['a revoked key', { slug: 'kasymov-berik', purpose: 'AUTH' }, 'AUTH_CERT_REVOKED'],
    ['an expired key', { slug: 'tolegenova-madina', purpose: 'AUTH' }, 'AUTH_CERT_EXPIRED'],
    ['an organisation head key', { slug: 'omarova-zhanar', purpose: 'AUTH' }, 'AUTH_NOT_INDIVIDUAL'],
  ] as const)('refuses %s', async (_name, key, code) => {
    const res = await login(portal, key);
    expect(res.json()).toMatchObject({ code });
  });

  it('refuses a certificate from a CA the portal does not trust', async () => {
    expect((await login(untrusting, { slug: 'abilov-dauren', purpose: 'AUTH' })).json()).toMatchObject({ code: 'AUTH_UNTRUSTED' });
  });

  it('refuses a document altered after signing', async () => {
    const res = await login(portal, { slug: 'abilov-dauren', purpose: 'AUTH' }, (xml) => xml.replace(ORIGIN, 'http://127.0.0.1:8741'));
    expect(res.json()).toMatchObject({ code: 'AUTH_BAD_SIGNATURE' });
  });

  it('refuses hostile XML with a clear error', async () => {
    const bomb = `<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><login xmlns="urn:joldama:auth:1">&b;</login>`;
    const res = await portal.app.inject({ method: 'POST', url: '/api/auth/login', payload: { signedXml: bomb } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'XML_INVALID', message: expect.stringMatching(/DOCTYPE/) });
  });
});
