/** GET /api/info: what the portal tells anyone, logged in or not (support contacts, the offer period). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PortalInfo } from '../../protocol/portal-api.ts';
import type { PortalContext } from '../server/context.ts';

export const infoRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/api/info', { schema: { tags: ['info'], response: { 200: PortalInfo } } }, async () => ({
      support: ctx.support,
      offerWorkingDays: ctx.queue.config.offerWorkingDays,
    }));
  };
