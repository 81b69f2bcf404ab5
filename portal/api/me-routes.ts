/** GET /api/me, PUT /api/me/email (asked at first login), phones and notification settings. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EmailRequest, ErrorBody, Me, NotificationSettings, PhonesRequest } from '../../protocol/portal-api.ts';
import type { PortalContext } from '../server/context.ts';
import { requireIin } from '../server/session-hook.ts';
import { getMe, setEmail, setNotificationSettings, setPhones } from '../auth/accounts.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { Refusal } from '../refusal.ts';

export const meRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    const security: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];
    const errors = { 400: ErrorBody, 401: ErrorBody };

    async function me(iin: string) {
      const found = await getMe(ctx.db, iin);
      if (!found) throw new Refusal('UNAUTHENTICATED', 'Log in first.');
      return found;
    }

    app.get('/api/me', { schema: { tags: ['me'], security, response: { 200: Me, ...errors } } }, async (req) => me(requireIin(req)));

    app.put('/api/me/email', { schema: { tags: ['me'], security, body: EmailRequest, response: { 200: Me, ...errors } } }, async (req) => {
      const iin = requireIin(req);
      await setEmail(ctx.db, iin, req.body.email);
      await appendAudit(ctx.db, { at: ctx.now(), actorIin: iin, action: 'account.email' });
      return me(iin);
    });

    app.put('/api/me/phones', { schema: { tags: ['me'], security, body: PhonesRequest, response: { 200: Me, ...errors } } }, async (req) => {
      const iin = requireIin(req);
      await setPhones(ctx.db, iin, req.body.phones);
      await appendAudit(ctx.db, { at: ctx.now(), actorIin: iin, action: 'account.phones' });
      return me(iin);
    });

    app.put(
      '/api/me/notifications',
      { schema: { tags: ['me'], security, body: NotificationSettings, response: { 200: Me, ...errors } } },
      async (req) => {
        const iin = requireIin(req);
        await setNotificationSettings(ctx.db, iin, req.body);
        await appendAudit(ctx.db, { at: ctx.now(), actorIin: iin, action: 'account.notifications', details: req.body });
        return me(iin);
      },
    );
  };
