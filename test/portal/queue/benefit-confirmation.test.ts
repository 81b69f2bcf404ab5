import { describe, expect, it } from 'vitest';
import { Migrator, type Kysely } from 'kysely';
import { migrations } from '../../../portal/db/migrations/index.ts';
import type { DB } from '../../../portal/db/schema.ts';
import { createQueueEngine, type QueueEngine } from '../../../portal/queue/engine.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';
import { outboxNotificationSink } from '../../../portal/notifications/outbox-sink.ts';
import { feed, history as historyView } from '../../../portal/repositories/applicant-views.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication, addFamily, addKindergarten, expectQueueError, queueOrder } from './fixtures.ts';

// Friday 20 March 2026, 10:00 in Almaty. Nauryz (21–23 March) and its transfers make 21–25 March
// days off, so the 5 working days are 26, 27, 30, 31 March and 1 April: the benefit must be
// confirmed by the end of 1 April in Almaty (19:00 UTC).
const START = '2026-03-20T05:00:00.000Z';
const CONFIRM_BY = '2026-04-01T19:00:00.000Z';

async function registerPriority(engine: QueueEngine, db: Kysely<DB>) {
  return (await registerPriorityFamily(engine, db)).registered;
}

async function registerPriorityFamily(engine: QueueEngine, db: Kysely<DB>) {
  const family = await addFamily(db, { registeredAt: START });
  const registered = await engine.registerApplication({
    number: `KDDO.2021.${family.childIin}`,
    applicantId: family.applicantId,
    childId: family.childId,
    category: 'speech',
    groupYear: 2021,
    region: 'Алматы',
    benefitType: 'priority',
    benefitKind: 'large_family',
  });
  return { family, registered };
}

async function applicationRow(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('applications')
    .select(['benefit_type', 'benefit_kind', 'benefit_confirmed_at', 'registered_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function historyOf(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('application_history')
    .select(['event', 'actor', 'details'])
    .where('application_id', '=', id)
    .orderBy('id')
    .execute();
}

describe('benefit confirmation', () => {
  withTestDatabases((_kind, freshDb) => {
    it('drops an unconfirmed benefit after 5 working days (across Nauryz): general queue, original date', async () => {
      const { db } = await freshDb();
      const clock = manualClock(START);
      const engine = createQueueEngine({ db, clock });
      const kg = await addKindergarten(db);
      const g1 = await addApplication(db, { registeredAt: '2025-01-01T00:00:00.000Z' });
      const g2 = await addApplication(db, { registeredAt: '2025-02-01T00:00:00.000Z' });
      const registered = await registerPriority(engine, db);
      const p = registered.applicationId;
      clock.set('2026-03-21T05:00:00.000Z');
      const g3 = await addApplication(db, { registeredAt: '2026-03-21T05:00:00.000Z' });

      expect(registered).toEqual({ applicationId: p, registeredAt: START, benefitConfirmBy: CONFIRM_BY });
      expect(await applicationRow(db, p)).toEqual({
        benefit_type: 'priority',
        benefit_kind: 'large_family',
        benefit_confirmed_at: null,
        registered_at: START,
      });
      const job = await db.selectFrom('scheduler_jobs').selectAll().executeTakeFirstOrThrow();
      expect(job).toMatchObject({
        kind: 'benefit_confirmation',
        ref_id: p,
        run_at: CONFIRM_BY,
        state: 'pending',
      });
      // Unconfirmed, the benefit does not count yet: p waits among general applications by its date.
      expect(await queueOrder(db)).toEqual([g1.applicationId, g2.applicationId, p, g3.applicationId]);

      clock.set('2026-04-01T18:59:59.000Z'); // last second of the fifth working day
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });
      expect((await applicationRow(db, p)).benefit_type).toBe('priority');

      // The portal was down for a week: the deadline is caught up on the first run, once.
      clock.set('2026-04-08T04:00:00.000Z');
      expect(await engine.runDueJobs()).toEqual({ ran: 1, failed: 0 });
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });

      expect(await applicationRow(db, p)).toEqual({
        benefit_type: 'none',
        benefit_kind: null,
        benefit_confirmed_at: null,
        registered_at: START,
      });
      // Among general applications by its original date: after g1, g2, before the later g3.
      expect(await queueOrder(db)).toEqual([g1.applicationId, g2.applicationId, p, g3.applicationId]);
      const offered = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });
      expect(offered.offeredTo).toBe(g1.applicationId);

      const history = await historyOf(db, p);
      expect(history.map((h) => [h.event, h.actor])).toEqual([
        ['registered', 'system'],
        ['benefit_lapsed', 'system'],
      ]);
      expect(JSON.parse(history[1]?.details ?? '{}')).toMatchObject({
        reason: expect.stringContaining('not confirmed within 5 working days'),
        benefitType: 'priority',
        benefitKind: 'large_family',
        confirmBy: CONFIRM_BY,
        registeredAt: START,
      });
      // Too late to confirm now.
      await expectQueueError(
        engine.confirmBenefit({ applicationId: p, actor: 'operator:1' }),
        'BENEFIT_NOT_AWAITING_CONFIRMATION',
      );
    });

    it('gives an unconfirmed benefit no priority: a general child of 2024 gets the first place, then the unconfirmed by date', async () => {
      const { db } = await freshDb();
      const engine = createQueueEngine({ db, clock: manualClock(START) });
      const kg = await addKindergarten(db);
      const general = await addApplication(db, { registeredAt: '2024-05-01T00:00:00.000Z' });
      const p1 = await registerPriority(engine, db);
      const p2 = await registerPriority(engine, db);
      expect(await queueOrder(db)).toEqual([general.applicationId, p1.applicationId, p2.applicationId]);
      const place = { bin: kg.bin, groupYear: 2021, category: 'speech' };
      const offered = await engine.publishVacancies([place, place]);
      expect(offered.map((o) => o.offeredTo)).toEqual([general.applicationId, p1.applicationId]);
    });

    it('tells the applicant of a lapsed benefit: SMS and e-mail as they chose, in their language, and an event in the feed', async () => {
      const { db } = await freshDb();
      const clock = manualClock(START);
      const engine = createQueueEngine({ db, clock, notifications: outboxNotificationSink });
      // Never logged in: the registered contacts, both channels, in Kazakh.
      const first = await registerPriorityFamily(engine, db);
      await db
        .updateTable('applicants')
        .set({ phone: '+77011234567', email: 'aigul@example.kz' })
        .where('id', '=', first.family.applicantId)
        .execute();
      // An account that chose e-mail only, in Russian.
      const second = await registerPriorityFamily(engine, db);
      await db
        .insertInto('accounts')
        .values({
          iin: second.family.applicantIin,
          full_name: 'СЕЙТҚАЛИ АЙГҮЛ',
          email: 'seitkali@example.kz',
          phones: JSON.stringify(['+77021234567']),
          notify_sms: 0,
          notify_email: 1,
          notify_language: 'ru',
          password_hash: null,
          created_at: START,
          last_login_at: START,
        })
        .execute();
      // Confirmed in time: told nothing.
      const third = await registerPriorityFamily(engine, db);
      await engine.confirmBenefit({ applicationId: third.registered.applicationId, actor: 'operator:1' });

      clock.set('2026-04-02T04:00:00.000Z');
      expect(await engine.runDueJobs()).toEqual({ ran: 2, failed: 0 });

      const outbox = await db
        .selectFrom('outbox')
        .select(['channel', 'recipient', 'subject', 'body', 'created_at', 'status'])
        .orderBy('id')
        .execute();
      const numberOf = (f: typeof first) => `KDDO.2021.${f.family.childIin}`;
      expect(outbox).toEqual([
        {
          channel: 'email',
          recipient: 'aigul@example.kz',
          subject: 'Жеңілдік расталмады',
          body: `№${numberOf(first)} өтініш бойынша жеңілдік белгіленген мерзімде (01.04.2026 дейін) расталмады: өтініш жалпы кезекке бастапқы тіркелу күнімен қайтарылды.`,
          created_at: '2026-04-02T04:00:00.000Z',
          status: 'pending',
        },
        {
          channel: 'sms',
          recipient: '+77011234567',
          subject: 'Жеңілдік расталмады',
          body: `№${numberOf(first)} өтініш бойынша жеңілдік белгіленген мерзімде (01.04.2026 дейін) расталмады: өтініш жалпы кезекке бастапқы тіркелу күнімен қайтарылды.`,
          created_at: '2026-04-02T04:00:00.000Z',
          status: 'pending',
        },
        {
          channel: 'email',
          recipient: 'seitkali@example.kz',
          subject: 'Льгота не подтверждена',
          body: `Льгота по заявлению №${numberOf(second)} не подтверждена в срок (до 01.04.2026 включительно): заявление возвращено в общую очередь с исходной датой регистрации.`,
          created_at: '2026-04-02T04:00:00.000Z',
          status: 'pending',
        },
      ]);

      for (const { family, registered } of [first, second]) {
        const events = await feed(db, family.applicantIin, 10);
        expect(events.map((e) => [e.kind, e.applicationId, e.at])).toEqual([
          ['benefit_lapsed', String(registered.applicationId), '2026-04-02T04:00:00.000Z'],
          ['registered', String(registered.applicationId), START],
        ]);
        const card = await historyView(db, family.applicantIin, String(registered.applicationId));
        expect(card.items.map((h) => h.note)).toEqual(['registered', 'benefit_lapsed']);
      }
      expect((await feed(db, third.family.applicantIin, 10)).map((e) => e.kind)).toEqual([
        'benefit_confirmed',
        'registered',
      ]);
    });

    it('keeps a benefit confirmed in time; the deadline job is retired and changes nothing', async () => {
      const { db } = await freshDb();
      const clock = manualClock(START);
      const engine = createQueueEngine({ db, clock });
      const g1 = await addApplication(db, { registeredAt: '2025-01-01T00:00:00.000Z' });
      const p = (await registerPriority(engine, db)).applicationId;

      clock.set('2026-04-01T12:00:00.000Z');
      await engine.confirmBenefit({ applicationId: p, actor: 'operator:7' });
      await expectQueueError(
        engine.confirmBenefit({ applicationId: p, actor: 'operator:7' }),
        'BENEFIT_NOT_AWAITING_CONFIRMATION',
      );
      const job = await db.selectFrom('scheduler_jobs').selectAll().executeTakeFirstOrThrow();
      expect(job).toMatchObject({ state: 'done', done_by: 'cancelled' });

      clock.set('2026-04-08T04:00:00.000Z');
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });
      expect(await applicationRow(db, p)).toEqual({
        benefit_type: 'priority',
        benefit_kind: 'large_family',
        benefit_confirmed_at: '2026-04-01T12:00:00.000Z',
        registered_at: START,
      });
      expect(await queueOrder(db)).toEqual([p, g1.applicationId]);
      expect((await historyOf(db, p)).map((h) => [h.event, h.actor])).toEqual([
        ['registered', 'system'],
        ['benefit_confirmed', 'operator:7'],
      ]);
    });

    it('refuses a confirmation after the deadline even before the job has run (downtime)', async () => {
      const { db } = await freshDb();
      const clock = manualClock(START);
      const engine = createQueueEngine({ db, clock });
      const p = (await registerPriority(engine, db)).applicationId;
      clock.set(CONFIRM_BY);
      await expectQueueError(
        engine.confirmBenefit({ applicationId: p, actor: 'operator:1' }),
        'BENEFIT_CONFIRMATION_OVERDUE',
      );
      expect(await applicationRow(db, p)).toMatchObject({
        benefit_type: 'priority',
        benefit_confirmed_at: null,
      });
      expect(await engine.runDueJobs()).toEqual({ ran: 1, failed: 0 });
      expect((await applicationRow(db, p)).benefit_type).toBe('none');
    });

    it('registers a general application without a deadline; validates input', async () => {
      const { db } = await freshDb();
      const engine = createQueueEngine({ db, clock: manualClock(START) });
      const family = await addFamily(db, { registeredAt: START });
      const base = {
        number: 'KDDO.2021.1',
        applicantId: family.applicantId,
        childId: family.childId,
        category: 'speech',
        groupYear: 2021,
        region: 'Алматы',
      };
      const r = await engine.registerApplication({ ...base, benefitType: 'none' });
      expect(r.benefitConfirmBy).toBeNull();
      expect(await db.selectFrom('scheduler_jobs').selectAll().execute()).toEqual([]);
      await expectQueueError(
        engine.registerApplication({ ...base, benefitType: 'priority' }),
        'INVALID_INPUT', // a benefit without its kind
      );
      await expectQueueError(
        engine.registerApplication({ ...base, benefitType: 'none', benefitKind: 'large_family' }),
        'INVALID_INPUT',
      );
      await expectQueueError(
        engine.confirmBenefit({ applicationId: r.applicationId, actor: '' }),
        'INVALID_INPUT',
      );
      await expectQueueError(
        engine.confirmBenefit({ applicationId: r.applicationId, actor: 'operator:1' }),
        'BENEFIT_NOT_AWAITING_CONFIRMATION',
      );
      await expectQueueError(
        engine.confirmBenefit({ applicationId: 999_999, actor: 'operator:1' }),
        'APPLICATION_NOT_FOUND',
      );
    });

    it('uses the configured period', async () => {
      const { db } = await freshDb();
      const engine = createQueueEngine({
        db,
        clock: manualClock(START),
        config: { benefitConfirmWorkingDays: 1 },
      });
      // 1 working day after Friday 20 March: Thursday 26 March, over Nauryz.
      expect((await registerPriority(engine, db)).benefitConfirmBy).toBe('2026-03-26T19:00:00.000Z');
    });

    it('migration 0004 counts benefits already in the database as confirmed', async () => {
      const { db } = await freshDb();
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo('0003_queue_order_index')).error).toBeUndefined();
      const legacy = db as unknown as Kysely<Record<string, { id: number; benefit_type: string }>>;
      const family = await addFamily(db, { registeredAt: START });
      const insert = (benefit: string, n: number) =>
        legacy
          .insertInto('applications')
          .values({
            number: `KDDO.2021.${n}`,
            applicant_id: family.applicantId,
            child_id: family.childId,
            category: 'speech',
            benefit_type: benefit,
            benefit_kind: benefit === 'none' ? null : 'large_family',
            group_year: 2021,
            registered_at: `2025-0${n}-01T00:00:00.000Z`,
            status: 'in_queue',
            status_changed_at: START,
            region: 'Алматы',
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
      const general = await insert('none', 1);
      const priority = await insert('priority', 2);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect((await applicationRow(db, general.id)).benefit_confirmed_at).toBeNull();
      expect((await applicationRow(db, priority.id)).benefit_confirmed_at).toBe('2025-02-01T00:00:00.000Z');
    });
  });
});
