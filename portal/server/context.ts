/** What every route plugin gets from buildPortal. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PortalVerifier } from './options.ts';

export interface PortalContext {
  db: Kysely<DB>;
  origin: string;
  verify: PortalVerifier;
  now: () => Date;
  sessionIdleMs: number;
  loginRateLimit: number;
  secureCookies: boolean;
}
