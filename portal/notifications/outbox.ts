/**
 * The notifications outbox: messages are written in the same transaction as the change they
 * announce, then delivered by a loop. A failed delivery is retried with exponential backoff;
 * nothing is lost on restart because the state lives in the database. A secret message (an SMS
 * login code) keeps its body only while it waits: once sent or given up, the body is replaced
 * by SECRET_REMOVED, so no code stays readable in the database.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { OutgoingMessage, Sender } from './senders.ts';

export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}

export const SECRET_REMOVED = '[removed after delivery]';

export async function enqueueMessage(db: Kysely<DB>, message: OutgoingMessage, now: Date, options: { secret?: boolean } = {}): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      ...message,
      secret: options.secret ? 1 : 0,
      created_at: now.toISOString(),
      next_attempt_at: now.toISOString(),
      last_error: null,
      sent_at: null,
    })
    .execute();
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

/** Deliver every due message once. Each message is claimed by bumping its next attempt first. */
export async function deliverDue(
  db: Kysely<DB>,
  senders: Partial<Record<OutgoingMessage['channel'], Sender>>,
  now: Date,
  batch = 50,
): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
  const due = await db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now.toISOString())
    .orderBy('id')
    .limit(batch)
    .execute();
  for (const row of due) {
    const attempts = row.attempts + 1;
    // Claim: another delivery loop (another portal process) skips the row once this lands.
    const claimed = await db
      .updateTable('outbox')
      .set({ attempts, next_attempt_at: new Date(now.getTime() + backoffMs(attempts)).toISOString() })
      .where('id', '=', row.id)
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) continue;
    const channel = row.channel === 'sms' ? 'sms' : 'email';
    const sender = senders[channel];
    try {
      if (!sender) throw new Error(`no ${channel} sender configured`);
      await sender.send({ channel, recipient: row.recipient, subject: row.subject, body: row.body });
      await db
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: now.toISOString(), last_error: null, ...(row.secret ? { body: SECRET_REMOVED } : {}) })
        .where('id', '=', row.id)
        .execute();
      result.sent++;
    } catch (e) {
      const failed = attempts >= MAX_ATTEMPTS;
      await db
        .updateTable('outbox')
        .set({
          status: failed ? 'failed' : 'pending',
          last_error: e instanceof Error ? e.message.slice(0, 500) : 'send failed',
          ...(failed && row.secret ? { body: SECRET_REMOVED } : {}),
        })
        .where('id', '=', row.id)
        .execute();
      if (failed) result.failed++;
      else result.retried++;
    }
  }
  return result;
}

/** Runs deliverDue every `intervalMs` until stopped. */
export function startDeliveryLoop(
  db: Kysely<DB>,
  senders: Partial<Record<OutgoingMessage['channel'], Sender>>,
  now: () => Date,
  onError: (e: unknown) => void,
  intervalMs = 5_000,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => deliverDue(db, senders, now())).catch(onError);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
