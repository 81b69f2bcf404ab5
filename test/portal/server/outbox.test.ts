/** The outbox: delivery by channel, retry with backoff, give-up after MAX_ATTEMPTS, and no loss across a restart. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffMs, deliverDue, enqueueMessage, MAX_ATTEMPTS, SECRET_REMOVED } from '../../../portal/notifications/outbox.ts';
import { startPasswordLogin } from '../../../portal/auth/password-login.ts';
import { seedApplication } from '../api/fixtures.ts';
import type { OutgoingMessage, Sender } from '../../../portal/notifications/senders.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/portal-db.ts';
import { openDatabase } from '../../../portal/db/database.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest } from '../../../portal/db/database.ts';

function recordingSender(failures = 0): Sender & { sent: OutgoingMessage[] } {
  let left = failures;
  const sent: OutgoingMessage[] = [];
  return {
    sent,
    async send(m) {
      if (left-- > 0) throw new Error('gateway unavailable');
      sent.push(m);
    },
  };
}

const T0 = new Date('2026-11-24T06:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const mail: OutgoingMessage = { channel: 'email', recipient: 'a@example.kz', subject: 'Жолдама берілді', body: '...' };

describe('notifications outbox', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterEach(() => database.close());

  it('delivers each message by its channel once', async () => {
    const email = recordingSender();
    const sms = recordingSender();
    await enqueueMessage(database.db, mail, T0);
    await enqueueMessage(database.db, { ...mail, channel: 'sms', recipient: '+77011234567' }, T0);
    expect(await deliverDue(database.db, { email, sms }, T0)).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(await deliverDue(database.db, { email, sms }, later(3_600_000))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(email.sent.map((m) => m.recipient)).toEqual(['a@example.kz']);
    expect(sms.sent.map((m) => m.recipient)).toEqual(['+77011234567']);
  });

  it('retries a failed delivery after a growing delay', async () => {
    const email = recordingSender(2);
    await enqueueMessage(database.db, mail, T0);
    expect((await deliverDue(database.db, { email }, T0)).retried).toBe(1);
    // Not due again before the backoff has passed.
    expect(await deliverDue(database.db, { email }, later(backoffMs(1) - 1))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect((await deliverDue(database.db, { email }, later(backoffMs(1)))).retried).toBe(1);
    expect(backoffMs(2)).toBeGreaterThan(backoffMs(1));
    expect((await deliverDue(database.db, { email }, later(backoffMs(1) + backoffMs(2)))).sent).toBe(1);
    const row = await database.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts and keeps the last error`, async () => {
    const email = recordingSender(Number.POSITIVE_INFINITY);
    await enqueueMessage(database.db, mail, T0);
    let t = T0.getTime();
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      await deliverDue(database.db, { email }, new Date(t));
      t += backoffMs(i);
    }
    const row = await database.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'gateway unavailable' });
  });

  it('loses nothing across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'joldama-outbox-'));
    try {
      const file = join(dir, 'portal.sqlite');
      const first = openDatabase(file);
      await migrateToLatest(first.db);
      await enqueueMessage(first.db, mail, T0);
      await first.close();
      const second = openDatabase(file);
      const email = recordingSender();
      expect((await deliverDue(second.db, { email }, T0)).sent).toBe(1);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps an SMS code readable only until it is sent or given up', async () => {
    await seedApplication(database.db, '900702304562', T0.toISOString());
    await startPasswordLogin(database.db, '900702304562', T0);
    await enqueueMessage(database.db, { ...mail, channel: 'sms', recipient: '+77011234567' }, T0);
    const sms = recordingSender();
    expect((await deliverDue(database.db, { sms }, T0)).sent).toBe(2);
    const code = /(\d{6})/.exec(sms.sent[0]!.body)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const rows = await database.db.selectFrom('outbox').select(['status', 'body']).orderBy('id').execute();
    expect(rows).toEqual([
      { status: 'sent', body: SECRET_REMOVED },
      { status: 'sent', body: '...' }, // an ordinary message stays as sent
    ]);

    await startPasswordLogin(database.db, '900702304562', later(60_000));
    const down = recordingSender(Number.POSITIVE_INFINITY);
    let t = later(60_000).getTime();
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      await deliverDue(database.db, { sms: down }, new Date(t));
      t += backoffMs(i);
    }
    const given = await database.db.selectFrom('outbox').select(['status', 'body']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(given).toEqual({ status: 'failed', body: SECRET_REMOVED });
  });
});
