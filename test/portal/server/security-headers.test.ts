/**
 * Security headers computed once from helmet: the same set helmet's middleware sets on a real
 * response, on every kind of answer (success, 404, validation error, unauthenticated); the API's
 * CSP exactly `default-src 'none'; frame-ancestors 'none'`; HSTS only on an https origin.
 */
import { createServer, type ServerResponse } from 'node:http';
import helmet from 'helmet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { helmetHeaders, portalHelmetOptions, portalSecurityHeaders } from '../../../portal/server/security-headers.ts';
import { startTestPortal, type TestPortal } from './helpers.ts';
import { stubVerifier } from './stub-verifier.ts';

async function headersFromMiddleware(options: Parameters<typeof helmet>[0]): Promise<Record<string, string>> {
  const middleware = helmet(options);
  const server = createServer((req, res: ServerResponse) => middleware(req, res, () => res.end('ok')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/`);
    const out: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name))
        out[name] = value;
    });
    return out;
  } finally {
    server.close();
  }
}

describe('security headers', () => {
  it('are the headers helmet sets for the portal’s options', async () => {
    for (const origin of ['http://127.0.0.1:8740', 'https://portal.example.kz']) {
      const options = portalHelmetOptions(origin);
      expect(helmetHeaders(options)).toEqual(await headersFromMiddleware(options));
    }
  });

  it('the CSP is exactly the API’s, without upgrade-insecure-requests', () => {
    for (const origin of ['http://127.0.0.1:8740', 'https://portal.example.kz']) {
      const headers = portalSecurityHeaders(origin);
      expect(headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(headers['x-frame-options']).toBe('DENY');
    }
  });

  it('HSTS only when the public origin is https', () => {
    expect(portalSecurityHeaders('http://127.0.0.1:8740')).not.toHaveProperty('strict-transport-security');
    expect(portalSecurityHeaders('http://portal.local')).not.toHaveProperty('strict-transport-security');
    expect(portalSecurityHeaders('https://portal.example.kz')['strict-transport-security']).toMatch(/^max-age=\d+/);
  });

  describe('on every answer', () => {
    let portal: TestPortal;
    beforeEach(async () => {
      portal = await startTestPortal(stubVerifier());
    });
    afterEach(() => portal.close());

    it('success, not found, bad request and unauthenticated', async () => {
      const expected = portalSecurityHeaders('http://127.0.0.1:8740');
      const answers = await Promise.all([
        portal.app.inject({ method: 'GET', url: '/health' }),
        portal.app.inject({ method: 'GET', url: '/nope' }),
        portal.app.inject({
          method: 'GET',
          url: '/api/applications?pageSize=10001',
          headers: { authorization: 'Bearer x' },
        }),
        portal.app.inject({ method: 'GET', url: '/api/applications' }),
      ]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 404, 400, 401]);
      for (const a of answers) {
        expect(a.headers).toMatchObject(expected);
        expect(a.headers).not.toHaveProperty('strict-transport-security');
        expect(a.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      }
    });
  });
});
