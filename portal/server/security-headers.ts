/**
 * The security headers of every answer. @fastify/helmet runs `helmet(options)` anew on every
 * request (parsing the CSP directives each time: 7% of the server's CPU on journal reads), yet
 * the headers depend only on the options: helmet runs once here, and each request gets the
 * headers it set. Options must not hold per-request values (CSP directive functions, nonces).
 *
 * The portal serves an API (JSON, documents for download), never a page: its CSP is exactly
 * API_CONTENT_SECURITY_POLICY, nothing loads and nothing frames it. Strict-Transport-Security is
 * sent only when the public origin is https: on a plain-HTTP origin (a local demo) it would be
 * ignored at best, and a proxy that later adds TLS must decide on it knowingly.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** helmet's options for a portal whose public origin is `origin` (the CSP is set apart, exactly). */
export function portalHelmetOptions(origin: string): HelmetOptions {
  return {
    contentSecurityPolicy: false,
    xFrameOptions: { action: 'deny' },
    ...(new URL(origin).protocol === 'https:' ? {} : { strictTransportSecurity: false }),
  };
}

/** Every security header of the portal at `origin`, by lower-case name. */
export function portalSecurityHeaders(origin: string): Record<string, string> {
  return { ...helmetHeaders(portalHelmetOptions(origin)), 'content-security-policy': API_CONTENT_SECURITY_POLICY };
}

/** The headers helmet sets for `options`, by lower-case name. */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    // X-Powered-By: never set by Fastify.
    removeHeader() {},
  };
  let ran = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    ran = true;
  });
  if (!ran)
    throw new Error('helmet did not finish synchronously: options with per-request values are not supported');
  return headers;
}

export function installSecurityHeaders(app: FastifyInstance, origin: string): void {
  const headers = portalSecurityHeaders(origin);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
