/**
 * Session resolution: a bearer token (desktop app) or the HttpOnly cookie (browser). Routes that
 * need a logged-in applicant call `requireIin(req)`; kindergarten staff routes (/api/staff/*) see
 * only staff sessions and call `requireStaff(req)`; administrator routes (/api/admin/*) only
 * administrator sessions (`requireAdmin(req)`). No kind of token opens another's routes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveAdminSession, type Administrator } from '../auth/admin-sessions.ts';
import { resolveSession } from '../auth/sessions.ts';
import { isKindergartenStaff, resolveStaffSession, type CommissionStaff, type StaffActor, type StaffMember } from '../auth/staff-sessions.ts';
import { Refusal } from '../refusal.ts';
import type { PortalContext } from './context.ts';

export const SESSION_COOKIE = 'joldama_session';
export const STAFF_SESSION_COOKIE = 'joldama_staff_session';
export const STAFF_PREFIX = '/api/staff/';
export const ADMIN_SESSION_COOKIE = 'joldama_admin_session';
export const ADMIN_PREFIX = '/api/admin/';

declare module 'fastify' {
  interface FastifyRequest {
    sessionToken: string | null;
    iin: string | null;
    staff: StaffActor | null;
    admin: Administrator | null;
  }
}

export function sessionToken(req: FastifyRequest, cookie = SESSION_COOKIE): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return req.cookies[cookie] ?? null;
}

export function installSessions(app: FastifyInstance, ctx: PortalContext): void {
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('iin', null);
  app.decorateRequest('staff', null);
  app.decorateRequest('admin', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/auth/')) return;
    if (req.url.startsWith(STAFF_PREFIX)) {
      if (req.url.startsWith(`${STAFF_PREFIX}auth/`)) return;
      const token = sessionToken(req, STAFF_SESSION_COOKIE);
      if (!token) return;
      req.sessionToken = token;
      req.staff = await resolveStaffSession(ctx.db, token, ctx.now(), ctx.sessionIdleMs);
      return;
    }
    if (req.url.startsWith(ADMIN_PREFIX)) {
      if (req.url.startsWith(`${ADMIN_PREFIX}auth/`)) return;
      const token = sessionToken(req, ADMIN_SESSION_COOKIE);
      if (!token) return;
      req.sessionToken = token;
      req.admin = await resolveAdminSession(ctx.db, token, ctx.now(), ctx.adminBins, ctx.sessionIdleMs);
      return;
    }
    const token = sessionToken(req);
    if (!token) return;
    req.sessionToken = token;
    req.iin = await resolveSession(ctx.db, token, ctx.now(), ctx.sessionIdleMs);
  });
}

export function requireIin(req: FastifyRequest): string {
  if (!req.iin) throw new Refusal('UNAUTHENTICATED', 'Log in first (the session is missing or has expired).');
  return req.iin;
}

/** Staff of either kind (the staff member's own details). */
export function requireAnyStaff(req: FastifyRequest): StaffActor {
  if (!req.staff) throw new Refusal('UNAUTHENTICATED', 'Log in with a staff key first (the staff session is missing or has expired).');
  return req.staff;
}

/** Kindergarten staff; a commission's session does not open the kindergarten routes. */
export function requireStaff(req: FastifyRequest): StaffMember {
  if (!req.staff || !isKindergartenStaff(req.staff)) throw new Refusal('UNAUTHENTICATED', 'Log in with a kindergarten staff key first (the staff session is missing or has expired).');
  return req.staff;
}

/** PMPK commission staff (docs/pmpk.md, Staff); a kindergarten's session does not open the commission routes. */
export function requireCommissionStaff(req: FastifyRequest): CommissionStaff {
  if (!req.staff || isKindergartenStaff(req.staff)) {
    throw new Refusal('UNAUTHENTICATED', "Log in with a PMPK commission's staff key first (the staff session is missing or has expired).");
  }
  return req.staff;
}

export function requireAdmin(req: FastifyRequest): Administrator {
  if (!req.admin) throw new Refusal('UNAUTHENTICATED', "Log in with a key of the portal's administrator organisation first (the session is missing or has expired).");
  return req.admin;
}
