/**
 * The cabinet's sections beside the journal (docs/cabinet.md): marking the event feed read,
 * "My referrals", and changing the password from settings.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, FeedReadRequest, OkResponse, PasswordChangeRequest, ReferralsResponse } from '../../protocol/portal-api.ts';
import type { PortalContext } from '../server/context.ts';
import { requireIin } from '../server/session-hook.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { changePassword } from '../auth/password-change.ts';
import { Refusal } from '../refusal.ts';
import { markFeedRead, referrals } from '../repositories/cabinet-views.ts';

export const cabinetRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    const security: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];
    const errors = { 400: ErrorBody, 401: ErrorBody };

    app.post('/api/feed/read', { schema: { tags: ['me'], security, body: FeedReadRequest, response: { 200: OkResponse, ...errors } } }, async (req) => {
      await markFeedRead(ctx.db, requireIin(req), req.body.upTo);
      return { ok: true as const };
    });

    app.get('/api/referrals', { schema: { tags: ['me'], security, response: { 200: ReferralsResponse, ...errors } } }, async (req) => ({
      items: await referrals(ctx.db, requireIin(req)),
    }));

    app.post(
      '/api/me/password',
      { config: { rateLimit: ctx.rateLimit }, schema: { tags: ['me'], security, body: PasswordChangeRequest, response: { 200: OkResponse, ...errors, 403: ErrorBody, 429: ErrorBody } } },
      async (req) => {
        const iin = requireIin(req);
        const now = ctx.now();
        if (!req.sessionToken) throw new Refusal('UNAUTHENTICATED', 'Log in first.');
        const ended = await changePassword(ctx.db, iin, req.sessionToken, req.body, now);
        await appendAudit(ctx.db, { at: now, actorIin: iin, action: 'account.password', details: { otherSessionsEnded: ended } });
        return { ok: true as const };
      },
    );
  };
