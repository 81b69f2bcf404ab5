/**
 * helmet's security headers on every response. @fastify/helmet runs `helmet(options)` anew on
 * every request (parsing the CSP directives each time: 7% of the server's CPU on journal reads),
 * yet the headers depend only on the options: helmet runs once here, and each request gets the
 * headers it set. Options must not hold per-request values (CSP directive functions, nonces).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

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

export function installSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const headers = helmetHeaders(options);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
