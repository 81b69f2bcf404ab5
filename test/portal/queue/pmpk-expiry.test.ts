/**
 * A PMPK conclusion's expiry (docs/pmpk.md "When a conclusion expires"): it counts through its last
 * valid day in Almaty, and the family is told `pmpkReminderDays` (30) days before and again when it
 * has stopped counting; once each, audited, and not for a conclusion a later one supersedes or for
 * applications that no longer need it.
 */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../../portal/db/schema.ts';
import { outboxNotificationSink } from '../../../portal/notifications/outbox-sink.ts';
import { defaultQueueConfig } from '../../../portal/queue/config.ts';
import { loadCandidates } from '../../../portal/queue/eligibility.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { JOB_PMPK_EXPIRED, JOB_PMPK_EXPIRY_REMINDER } from '../../../portal/queue/job-kinds.ts';
import { schedulePmpkReminders } from '../../../portal/queue/pmpk-expiry.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import {
  addApplication,
  addKindergarten,
  addSiblingApplication,
  engineOnManualClock,
  expectQueueError,
} from './fixtures.ts';

const DAYS = defaultQueueConfig.pmpkReminderDays;

const conclusionOf = async (db: Kysely<DB>, childId: number, category = 'speech') =>
  (
    await db
      .selectFrom('pmpk_conclusions')
      .select('id')
      .where('child_id', '=', childId)
      .where('category', '=', category)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;

const jobs = (db: Kysely<DB>) =>
  db
    .selectFrom('scheduler_jobs')
    .select(['kind', 'ref_id', 'run_at', 'state'])
    .where('kind', 'in', [JOB_PMPK_EXPIRY_REMINDER, JOB_PMPK_EXPIRED])
    .orderBy('ref_id')
    .orderBy('kind', 'desc')
    .execute();

describe('a PMPK conclusion expiring', () => {
  it('reminds 30 days ahead by default (the rules name no lead time)', () => {
    expect(DAYS).toBe(30);
  });

  withTestDatabases((_kind, freshDb) => {
    it('counts for places through its last valid day in Almaty, not after', async () => {
      const { db } = await freshDb();
      const app = await addApplication(db, {
        registeredAt: '2025-01-01T00:00:00.000Z',
        pmpkUntil: '2027-03-31',
      });
      const blockedAt = async (instant: string) =>
        (
          await loadCandidates(
            db,
            { applicationId: app.applicationId, placeCategory: 'speech' },
            new Date(instant),
          )
        )[0]?.blocked;
      expect(await blockedAt('2027-03-31T18:59:59.999Z')).toBeNull(); // 23:59:59 on 31 March in Almaty
      expect(await blockedAt('2027-03-31T19:00:00.000Z')).toBe('NO_VALID_PMPK'); // 1 April
    });

    it('an offer made on the last valid day cannot be accepted the day after', async () => {
      const { db } = await freshDb();
      const { clock, engine } = engineOnManualClock(db, '2027-03-31T10:00:00.000Z'); // Wednesday
      const kg = await addKindergarten(db);
      const app = await addApplication(db, {
        registeredAt: '2025-01-01T00:00:00.000Z',
        pmpkUntil: '2027-03-31',
      });
      const offer = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      expect(offer.offeredTo).toBe(app.applicationId);
      clock.set(new Date('2027-03-31T19:00:00.000Z')); // 1 April, within the offer's three working days
      await expectQueueError(
        engine.createReferral({
          applicationId: app.applicationId,
          offerId: offer.offerId ?? 0,
          kindergartenId: kg.id,
        }),
        'NO_VALID_PMPK',
      );
    });

    it('is scheduled twice per conclusion, once; a conclusion that lapsed before yesterday is not announced late', async () => {
      const { db } = await freshDb();
      const now = new Date('2027-01-10T06:00:00.000Z');
      const { engine, sent } = engineOnManualClock(db, now.toISOString());
      const current = await addApplication(db, {
        registeredAt: '2025-01-01T00:00:00.000Z',
        pmpkUntil: '2027-03-31',
      });
      const yesterday = await addApplication(db, {
        registeredAt: '2025-01-02T00:00:00.000Z',
        pmpkUntil: '2027-01-09',
      });
      await addApplication(db, { registeredAt: '2025-01-03T00:00:00.000Z', pmpkUntil: '2027-01-08' });
      expect(await schedulePmpkReminders(db, now, DAYS)).toBe(2);
      expect(await schedulePmpkReminders(db, now, DAYS)).toBe(0);
      const c = await conclusionOf(db, current.childId);
      const y = await conclusionOf(db, yesterday.childId);
      expect(await jobs(db)).toEqual([
        { kind: JOB_PMPK_EXPIRY_REMINDER, ref_id: c, run_at: '2027-03-01T19:00:00.000Z', state: 'pending' }, // 2 March: 30 days before 1 April
        { kind: JOB_PMPK_EXPIRED, ref_id: c, run_at: '2027-03-31T19:00:00.000Z', state: 'pending' },
        { kind: JOB_PMPK_EXPIRY_REMINDER, ref_id: y, run_at: '2026-12-10T19:00:00.000Z', state: 'pending' },
        { kind: JOB_PMPK_EXPIRED, ref_id: y, run_at: '2027-01-09T19:00:00.000Z', state: 'pending' },
      ]);
      // Both of yesterday's are due at once: the family hears of the expiry, not of a day gone by.
      expect(await engine.runDueJobs()).toEqual({ ran: 2, failed: 0 });
      expect(sent.map((n) => [n.kind, n.applicationId])).toEqual([['pmpk_expired', yesterday.applicationId]]);
    });

    it('tells the families still needing it, ahead and at the expiry, once each, with history and audit', async () => {
      const { db } = await freshDb();
      const { clock, engine, sent } = engineOnManualClock(db, '2027-01-10T06:00:00.000Z');
      const waiting = await addApplication(db, {
        registeredAt: '2025-01-01T00:00:00.000Z',
        pmpkUntil: '2027-03-31',
      });
      // The same child's application in another category needs another conclusion: not concerned.
      const hearing = await addSiblingApplication(db, waiting, {
        category: 'hearing',
        registeredAt: '2025-01-05T00:00:00.000Z',
      });
      const renewed = await addApplication(db, {
        registeredAt: '2025-01-02T00:00:00.000Z',
        pmpkUntil: '2027-03-31',
      });
      await db
        .insertInto('pmpk_conclusions')
        .values({
          child_id: renewed.childId,
          category: 'speech',
          issued_on: '2027-01-05',
          valid_until: '2028-12-31',
        })
        .execute();
      const dequeued = await addApplication(db, {
        registeredAt: '2025-01-03T00:00:00.000Z',
        pmpkUntil: '2027-03-31',
      });
      await db
        .updateTable('applications')
        .set({ status: 'dequeued' })
        .where('id', '=', dequeued.applicationId)
        .execute();
      await schedulePmpkReminders(db, clock.now(), DAYS);

      clock.set(new Date('2027-03-01T18:59:59.999Z'));
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });
      clock.set(new Date('2027-03-01T19:00:00.000Z'));
      expect(await engine.runDueJobs()).toEqual({ ran: 3, failed: 0 });
      expect(sent.map((n) => [n.kind, n.applicationId, n.validUntil])).toEqual([
        ['pmpk_expiring', waiting.applicationId, '2027-03-31'],
      ]);

      clock.set(new Date('2027-04-02T04:00:00.000Z')); // late after downtime
      expect(await engine.runDueJobs()).toEqual({ ran: 3, failed: 0 });
      expect(sent.map((n) => [n.kind, n.applicationId])).toEqual([
        ['pmpk_expiring', waiting.applicationId],
        ['pmpk_expired', waiting.applicationId],
      ]);
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });
      await schedulePmpkReminders(db, clock.now(), DAYS);
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });

      const history = await db
        .selectFrom('application_history')
        .select(['application_id', 'event'])
        .where('event', 'in', ['pmpk_expiring', 'pmpk_expired'])
        .orderBy('id')
        .execute();
      expect(history).toEqual([
        { application_id: waiting.applicationId, event: 'pmpk_expiring' },
        { application_id: waiting.applicationId, event: 'pmpk_expired' },
      ]);
      expect(history.some((h) => h.application_id === hearing)).toBe(false);
      const audit = await db
        .selectFrom('audit_log')
        .select(['action', 'subject', 'details'])
        .orderBy('id')
        .execute();
      const renewedConclusion = await conclusionOf(db, renewed.childId);
      expect(
        audit
          .filter((a) => a.subject === String(renewedConclusion))
          .map((a) => [
            a.action,
            (JSON.parse(a.details) as { supersededBy: number | null }).supersededBy !== null,
          ]),
      ).toEqual([
        ['pmpk.expiry_reminder', true],
        ['pmpk.expired', true],
      ]);
      const waitingConclusion = await conclusionOf(db, waiting.childId);
      expect(
        audit
          .filter((a) => a.subject === String(waitingConclusion))
          .map((a) => [a.action, JSON.parse(a.details) as unknown]),
      ).toEqual(
        ['pmpk.expiry_reminder', 'pmpk.expired'].map((action) => [
          action,
          {
            childId: waiting.childId,
            category: 'speech',
            validUntil: '2027-03-31',
            supersededBy: null,
            stale: false,
            applications: [waiting.applicationId],
          },
        ]),
      );
    });

    it('reads in the family’s language with the last valid day', async () => {
      const { db } = await freshDb();
      const clock = manualClock('2027-03-02T04:00:00.000Z');
      const engine = createQueueEngine({ db, clock, notifications: outboxNotificationSink });
      const app = await addApplication(db, {
        registeredAt: '2025-01-01T00:00:00.000Z',
        pmpkUntil: '2027-03-31',
      });
      await db
        .insertInto('accounts')
        .values({
          iin: app.applicantIin,
          full_name: 'СЕЙТҚАЛИ АЙГҮЛ',
          email: 'seitkali@example.kz',
          phones: JSON.stringify(['+77021234567']),
          notify_sms: 1,
          notify_email: 0,
          notify_language: 'ru',
          password_hash: null,
          created_at: '2025-01-01T00:00:00.000Z',
          last_login_at: '2025-01-01T00:00:00.000Z',
        })
        .execute();
      await schedulePmpkReminders(db, clock.now(), DAYS);
      expect(await engine.runDueJobs()).toEqual({ ran: 1, failed: 0 });
      const outbox = await db
        .selectFrom('outbox')
        .select(['channel', 'recipient', 'subject', 'body'])
        .execute();
      expect(outbox).toEqual([
        {
          channel: 'sms',
          recipient: '+77021234567',
          subject: 'Срок заключения ПМПК истекает',
          body: `По заявлению №KDDO.2021.${app.childIin} заключение ПМПК ребёнка действительно по 31.03.2027 включительно. Запишитесь на новое обследование заранее, чтобы ребёнок мог получить место.`,
        },
      ]);
    });
  });
});
