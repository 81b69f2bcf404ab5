/** What every route plugin gets from buildPortal. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PortalVerifier } from '../signed-requests.ts';
import type { QueueEngine } from '../queue/engine.ts';
import type { SupportContacts } from '../../protocol/portal-api.ts';

export interface PortalContext {
  db: Kysely<DB>;
  origin: string;
  verify: PortalVerifier;
  queue: QueueEngine;
  now: () => Date;
  sessionIdleMs: number;
  /** The per-client rate limit of the login routes and of every route that verifies a signature. */
  rateLimit: { max: number; timeWindow: string };
  secureCookies: boolean;
  /** BINs of the organisations whose staff administer the portal (the working-day calendar). */
  adminBins: ReadonlySet<string>;
  support: SupportContacts;
}
