/** GET /health/live (process is up) and /health/ready (the database answers). */
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthResponse } from '../../protocol/portal-api.ts';
import type { PortalContext } from '../server/context.ts';

export const healthRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    const live = { schema: { tags: ['health'], response: { 200: HealthResponse } } };
    app.get('/health', live, async () => ready());
    app.get('/health/live', live, async () => ({ status: 'ok' as const }));
    app.get('/health/ready', { schema: { tags: ['health'], response: { 200: HealthResponse, 503: HealthResponse } } }, async (_req, reply) => {
      const r = await ready();
      return reply.code(r.status === 'ok' ? 200 : 503).send(r);
    });

    async function ready() {
      try {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ok' as const, checks: { database: 'ok' as const } };
      } catch {
        return { status: 'unavailable' as const, checks: { database: 'unavailable' as const } };
      }
    }
  };
