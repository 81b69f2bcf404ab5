/**
 * The audit log: one append-only row per signed action (logins, referrals, dequeues, settings).
 * The database refuses updates and deletes (triggers in migration 0002_http).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export interface AuditEntry {
  at: Date;
  actorIin: string | null;
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

export async function appendAudit(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at.toISOString(),
      actor_iin: entry.actorIin,
      action: entry.action,
      subject: entry.subject ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
