/**
 * GET /health/live (process is up) and /health/ready (the database answers; warns while the
 * working-day calendar of the current or next year is unconfirmed, still answering 200).
 */
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthResponse } from '../../protocol/portal-api.ts';
import { calendarWarning, unconfirmedYears, yearsNeeded } from '../calendar/years.ts';
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
        const unconfirmed = await unconfirmedYears(ctx.db, yearsNeeded(ctx.now()));
        if (unconfirmed.length === 0) return { status: 'ok' as const, checks: { database: 'ok' as const, calendar: 'confirmed' as const } };
        return {
          status: 'ok' as const,
          checks: { database: 'ok' as const, calendar: 'unconfirmed' as const },
          warnings: [calendarWarning(unconfirmed)],
        };
      } catch {
        return { status: 'unavailable' as const, checks: { database: 'unavailable' as const } };
      }
    }
  };
