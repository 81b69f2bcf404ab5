/**
 * Administrators (protocol/admin-api.ts): the staff of an organisation the portal's configuration
 * names (adminBins, e.g. the education department) log in with its legal-entity AUTH key and keep
 * the working-day calendar: list the years, read one, import its entered days, confirm it. Every
 * login and change is written to the audit log (calendar changes by portal/calendar/years.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AdminLoginResponse,
  AdminMe,
  CalendarImportRequest,
  CalendarYearDetail,
  CalendarYearParams,
  CalendarYearsResponse,
} from '../../protocol/admin-api.ts';
import { ErrorBody, LoginRequest } from '../../protocol/portal-api.ts';
import { createAdminSession, endAdminSession, type Administrator } from '../auth/admin-sessions.ts';
import { checkAdminLogin } from '../auth/certificate-login.ts';
import {
  calendarYear,
  confirmCalendarYear,
  importCalendarYear,
  listCalendarYears,
  yearsNeeded,
  type CalendarActor,
} from '../calendar/years.ts';
import type { PortalContext } from '../server/context.ts';
import { ADMIN_SESSION_COOKIE, requireAdmin } from '../server/session-hook.ts';
import { auditOrganisationLogin, checkedLogin, LOGIN_BODY_LIMIT, LOGIN_ERRORS, sessionRoutes, setSessionCookie, type SessionKind } from './session-routes.ts';

const actor = (admin: Administrator): CalendarActor => ({
  iin: admin.iin,
  name: `admin:${admin.iin}:${admin.bin}`,
});

const ADMIN_SESSIONS: SessionKind = { path: '/api/admin', cookie: ADMIN_SESSION_COOKIE };

export const adminRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { rateLimit } = ctx;
    const tags = ['admin'];
    const security: Array<Record<string, string[]>> = [{ bearer: [] }, { adminCookie: [] }];
    const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

    // The challenge is the applicants' one (POST /api/auth/challenge): same nonces, burnt once.
    app.post(
      '/api/admin/auth/login',
      {
        bodyLimit: LOGIN_BODY_LIMIT,
        config: { rateLimit },
        schema: { tags, body: LoginRequest, response: { 200: AdminLoginResponse, ...LOGIN_ERRORS } },
      },
      async (req, reply) => {
        const now = ctx.now();
        const signer = await checkedLogin(
          req,
          ctx,
          { action: 'admin.login', refused: 'administrator login refused', now },
          (xml, c) => checkAdminLogin(xml, c, ctx.adminBins),
          req.body.signedXml,
        );
        const admin: Administrator = { iin: signer.iin, fullName: signer.commonName, bin: signer.bin };
        const session = await createAdminSession(ctx.db, admin, now, ctx.sessionIdleMs);
        await auditOrganisationLogin(ctx, 'admin.login', signer, now);
        setSessionCookie(reply, ctx, ADMIN_SESSIONS, session.token);
        return { token: session.token, expiresAt: session.expiresAt.toISOString(), admin };
      },
    );

    sessionRoutes(app, ctx.db, {
      ...ADMIN_SESSIONS,
      tags,
      security,
      end: endAdminSession,
      me: AdminMe,
      whoAmI: requireAdmin,
    });

    // Stored years, and the current and next year even when they are missing.
    app.get(
      '/api/admin/calendar',
      { schema: { tags, security, response: { 200: CalendarYearsResponse, 401: ErrorBody } } },
      async (req) => {
        requireAdmin(req);
        return { items: await listCalendarYears(ctx.db, yearsNeeded(ctx.now())) };
      },
    );

    app.get(
      '/api/admin/calendar/:year',
      {
        schema: {
          tags,
          security,
          params: CalendarYearParams,
          response: { 200: CalendarYearDetail, ...errors },
        },
      },
      async (req) => {
        requireAdmin(req);
        return detail(await calendarYear(ctx.db, req.params.year));
      },
    );

    app.put(
      '/api/admin/calendar/:year',
      {
        schema: {
          tags,
          security,
          params: CalendarYearParams,
          body: CalendarImportRequest,
          response: { 200: CalendarYearDetail, ...errors },
        },
      },
      async (req) => {
        const admin = requireAdmin(req);
        await importCalendarYear(
          ctx.db,
          { year: req.params.year, days: req.body.days },
          actor(admin),
          ctx.now(),
        );
        return detail(await calendarYear(ctx.db, req.params.year));
      },
    );

    app.post(
      '/api/admin/calendar/:year/confirm',
      {
        schema: {
          tags,
          security,
          params: CalendarYearParams,
          response: { 200: CalendarYearDetail, ...errors },
        },
      },
      async (req) => {
        const admin = requireAdmin(req);
        await confirmCalendarYear(ctx.db, req.params.year, actor(admin), ctx.now());
        return detail(await calendarYear(ctx.db, req.params.year));
      },
    );
  };

function detail(y: Awaited<ReturnType<typeof calendarYear>>): CalendarYearDetail {
  return {
    year: y.year,
    days: y.days.map((d) => ({ date: d.date, dayOff: d.day_off !== 0, kind: d.kind, name: d.name })),
  };
}
