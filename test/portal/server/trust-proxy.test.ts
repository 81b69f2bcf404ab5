/**
 * Behind a reverse proxy the rate limits key on the client the proxy names, once the proxy is
 * trusted; a client's own X-Forwarded-For is ignored when it is not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../../portal/server/trust-proxy.ts';
import { startTestPortal, type TestPortal } from './helpers.ts';
import { stubVerifier } from './stub-verifier.ts';

describe('trustProxy', () => {
  let portal: TestPortal | undefined;
  afterEach(() => portal?.close());

  /** Statuses of three challenges from client A, then one from client B, all through 127.0.0.1. */
  async function budgets(trustProxy?: ReturnType<typeof parseTrustProxy>): Promise<number[]> {
    portal = await startTestPortal(stubVerifier(), { extra: { loginRateLimit: 2, ...(trustProxy === undefined ? {} : { trustProxy }) } });
    const from = (client: string) =>
      portal!.app.inject({ method: 'POST', url: '/api/auth/challenge', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
    const codes = [];
    for (const client of ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2']) codes.push((await from(client)).statusCode);
    return codes;
  }

  it('trusted proxy: each client has its own budget', async () => {
    expect(await budgets(parseTrustProxy('127.0.0.1'))).toEqual([200, 200, 429, 200]);
  });

  it('no proxy trusted (the default): X-Forwarded-For is ignored, the connection is the client', async () => {
    expect(await budgets()).toEqual([200, 200, 429, 429]);
  });

  it('parses addresses, networks and names; refuses trusting everyone or a hop count', () => {
    expect(parseTrustProxy('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(parseTrustProxy('10.0.0.0/8, fd00::/8,loopback')).toEqual(['10.0.0.0/8', 'fd00::/8', 'loopback']);
    expect(parseTrustProxy('false')).toBe(false);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.local', '1', '0', '1.2.3.4/8/1']) expect(() => parseTrustProxy(bad), bad).toThrow(/--trust-proxy/);
  });
});
