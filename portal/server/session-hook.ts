/**
 * Session resolution: a bearer token (desktop app) or the HttpOnly cookie (browser). Routes that
 * need a logged-in applicant call `requireIin(req)`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveSession } from '../auth/sessions.ts';
import { PortalError } from './errors.ts';
import type { PortalContext } from './context.ts';

export const SESSION_COOKIE = 'joldama_session';

declare module 'fastify' {
  interface FastifyRequest {
    sessionToken: string | null;
    iin: string | null;
  }
}

export function sessionToken(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return req.cookies[SESSION_COOKIE] ?? null;
}

export function installSessions(app: FastifyInstance, ctx: PortalContext): void {
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('iin', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/auth/')) return;
    const token = sessionToken(req);
    if (!token) return;
    req.sessionToken = token;
    req.iin = await resolveSession(ctx.db, token, ctx.now(), ctx.sessionIdleMs);
  });
}

export function requireIin(req: FastifyRequest): string {
  if (!req.iin) throw new PortalError('UNAUTHENTICATED', 401, 'Log in first (the session is missing or has expired).');
  return req.iin;
}
