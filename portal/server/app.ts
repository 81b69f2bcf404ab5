/**
 * buildPortal: the Fastify app. Security headers (helmet, HSTS on an https origin only), body size
 * limit, rate limits per client (behind a proxy: `trustProxy`, server/trust-proxy.ts) on the login
 * routes and every route that verifies a signature, zod validation of every body/parameter and
 * serialization of every response, OpenAPI at /openapi.json (the main bodies as shared
 * components), structured logs (pino), typed errors `{ code, message }`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { installErrorHandler } from './errors.ts';
import type { PortalOptions } from './options.ts';
import { installSessions } from './session-hook.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { healthRoutes } from '../api/health-routes.ts';
import { infoRoutes } from '../api/info-routes.ts';
import { authRoutes } from '../api/auth-routes.ts';
import { meRoutes } from '../api/me-routes.ts';
import { applicationRoutes } from '../api/application-routes.ts';
import { referralRoutes } from '../api/referral-routes.ts';
import { staffRoutes } from '../api/staff-routes.ts';
import { adminRoutes } from '../api/admin-routes.ts';
import { pmpkRoutes } from '../api/pmpk-routes.ts';
import { cabinetRoutes } from '../api/cabinet-routes.ts';
import { applyRoutes } from '../api/apply-routes.ts';
import { openApiTransforms } from '../api/openapi-components.ts';

const NO_SUPPORT_CONTACTS = { callCentre: [], email: null, educationDepartment: [] };

export async function buildPortal(options: PortalOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? {
      level: 'info',
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    trustProxy: options.trustProxy ?? false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  installSecurityHeaders(app, options.origin);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Joldama portal API', version: '1.0.0', description: 'Referrals to special (correctional) kindergartens' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'joldama_session' },
          staffCookie: { type: 'apiKey', in: 'cookie', name: 'joldama_staff_session' },
          adminCookie: { type: 'apiKey', in: 'cookie', name: 'joldama_admin_session' },
        },
      },
    },
    // The main bodies as shared components.schemas, referenced by $ref (openapi-components.ts).
    ...openApiTransforms(),
  });

  const ctx = {
    db: options.db,
    origin: options.origin,
    verify: options.verify,
    queue: options.queue,
    now: options.now ?? (() => new Date()),
    sessionIdleMs: options.sessionIdleMs ?? 30 * 60_000,
    rateLimit: { max: options.loginRateLimit ?? 60, timeWindow: '1 minute' },
    secureCookies: options.origin.startsWith('https:'),
    adminBins: new Set(options.adminBins ?? []),
    support: options.support ?? NO_SUPPORT_CONTACTS,
  };
  installSessions(app, ctx);

  await app.register(healthRoutes(ctx));
  await app.register(infoRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(meRoutes(ctx));
  await app.register(applicationRoutes(ctx));
  await app.register(referralRoutes(ctx));
  await app.register(staffRoutes(ctx));
  await app.register(adminRoutes(ctx));
  await app.register(pmpkRoutes(ctx));
  await app.register(cabinetRoutes(ctx));
  await app.register(applyRoutes(ctx));
  if (options.extraRoutes) await app.register(async (scope) => options.extraRoutes?.(scope));

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
