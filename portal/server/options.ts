/** What buildPortal needs. Everything external (verification, queue, clock) is injected. */
import type { Kysely } from 'kysely';
import type { LoggerOptions } from 'pino';
import type { DB } from '../db/schema.ts';
import type { QueueEngine } from '../queue/engine.ts';
import type { PortalVerifier } from '../signed-requests.ts';
import type { SupportContacts } from '../../protocol/portal-api.ts';
import type { TrustProxy } from './trust-proxy.ts';

export interface PortalOptions {
  db: Kysely<DB>;
  /** The portal's public origin (scheme://host[:port]); every signed login must name it. */
  origin: string;
  verify: PortalVerifier;
  /** The queue engine (created with the outbox notification sink). */
  queue: QueueEngine;
  /** The clock (a fixed or shifted clock in the demo and in tests). Default: real time. */
  now?: () => Date;
  /** pino options, or false for silence (tests). Default: info level JSON logs. */
  logger?: LoggerOptions | boolean;
  /** Where the default logger writes its JSON lines (default stdout). */
  logStream?: { write(line: string): void };
  sessionIdleMs?: number;
  /**
   * Requests per client address per minute on each login route and each route that verifies a
   * signature (the referral request too). Default 60.
   */
  loginRateLimit?: number;
  /** The reverse proxies whose X-Forwarded-For names the client (trust-proxy.ts). Default: none. */
  trustProxy?: TrustProxy;
  /** Largest request body in bytes. Default 256 KiB. */
  bodyLimit?: number;
  /**
   * BINs of the organisations (e.g. the city's education department) whose staff, logging in with
   * the organisation's legal-entity AUTH key, administer the portal: the working-day calendar.
   * Default: none (no administrator can log in; `joldama calendar` still works on the database).
   */
  adminBins?: readonly string[];
  /** Support contacts shown to applicants (GET /api/info). Default: none. */
  support?: SupportContacts;
  /** Extra routes mounted on the app (the demo OCSP responder and CRL). */
  extraRoutes?: (app: import('fastify').FastifyInstance) => void | Promise<void>;
}
