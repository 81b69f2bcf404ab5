import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { PortalContext } from '../server/context.ts';

export const referralRoutes =
  (_ctx: PortalContext): FastifyPluginAsyncZod =>
  async () => {};
