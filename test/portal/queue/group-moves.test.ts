/**
 * Age groups and the August moves (docs/domain.md "Age groups and the August moves"): enrolment
 * puts a child in its age group, leaving takes it out; one job per year, due 1 August 00:00
 * Almaty and run however late, moves enrolled children up to the group of their age within its
 * capacity (oldest groups first), tells the families, audits the run, and runs once.
 */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../../portal/db/schema.ts';
import { outboxNotificationSink } from '../../../portal/notifications/outbox-sink.ts';
import { groupAge, groupsYearAt, scheduleGroupMoves } from '../../../portal/queue/age-groups.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { JOB_GROUP_MOVES } from '../../../portal/queue/job-kinds.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication, addKindergarten, engineOnManualClock } from './fixtures.ts';

async function addGroup(
  db: Kysely<DB>,
  kindergartenId: number,
  age: number,
  capacity: number,
): Promise<number> {
  const row = await db
    .insertInto('kindergarten_groups')
    .values({
      kindergarten_id: kindergartenId,
      category: 'speech',
      age,
      name_kk: `${age} жас`,
      name_ru: `${age} лет`,
      capacity,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A child born `birthDate`, enrolled in the kindergarten and sitting in `groupId`. */
async function enrolled(
  db: Kysely<DB>,
  kindergartenId: number,
  groupId: number,
  birthDate: string,
  registeredAt: string,
) {
  const app = await addApplication(db, { registeredAt, groupYear: Number(birthDate.slice(0, 4)) });
  await db
    .updateTable('children')
    .set({ birth_date: birthDate, enrolled_in: kindergartenId, group_id: groupId })
    .where('id', '=', app.childId)
    .execute();
  await db
    .updateTable('applications')
    .set({ status: 'enrolled' })
    .where('id', '=', app.applicationId)
    .execute();
  return app;
}

const groupOf = async (db: Kysely<DB>, childId: number) =>
  (await db.selectFrom('children').select('group_id').where('id', '=', childId).executeTakeFirstOrThrow())
    .group_id;

const jobsOf = (db: Kysely<DB>) =>
  db
    .selectFrom('scheduler_jobs')
    .select(['ref_id', 'run_at', 'state'])
    .where('kind', '=', JOB_GROUP_MOVES)
    .orderBy('ref_id')
    .execute();

describe('age of a group', () => {
  it('changes on 1 August in Almaty, and is the year minus the birth year', () => {
    expect(groupsYearAt(new Date('2027-07-31T18:59:59.999Z'))).toBe(2026);
    expect(groupsYearAt(new Date('2027-07-31T19:00:00.000Z'))).toBe(2027); // 1 August 00:00 Almaty
    expect(groupAge('2023-12-31', 2027)).toBe(4);
    expect(groupAge('2024-02-29', 2027)).toBe(3);
  });
});

describe('the August moves between age groups', () => {
  withTestDatabases((_kind, freshDb) => {
    it("are scheduled for 1 August 00:00 Almaty: this year's until 31 August is over, then next year's, once each", async () => {
      const { db } = await freshDb();
      expect(await scheduleGroupMoves(db, new Date('2027-03-01T00:00:00Z'))).toBe(2027);
      expect(await scheduleGroupMoves(db, new Date('2027-08-31T18:59:59Z'))).toBe(2027);
      expect(await scheduleGroupMoves(db, new Date('2027-08-31T19:00:00Z'))).toBe(2028); // 1 September in Almaty
      expect(await jobsOf(db)).toEqual([
        { ref_id: 2027, run_at: '2027-07-31T19:00:00.000Z', state: 'pending' },
        { ref_id: 2028, run_at: '2028-07-31T19:00:00.000Z', state: 'pending' },
      ]);
    });

    it('enrolment puts the child in the group of its age, leaving takes it out', async () => {
      const { db } = await freshDb();
      const { engine } = engineOnManualClock(db, '2027-03-01T05:00:00.000Z'); // Monday; groups of 2026/27
      const kg = await addKindergarten(db);
      await addGroup(db, kg.id, 4, 10);
      const three = await addGroup(db, kg.id, 3, 10);
      const app = await addApplication(db, { registeredAt: '2025-01-01T00:00:00.000Z', groupYear: 2023 });
      const offer = await engine.publishVacancy({ bin: kg.bin, groupYear: 2023, category: 'speech' });
      expect(offer.offeredTo).toBe(app.applicationId);
      const referral = await engine.createReferral({
        applicationId: app.applicationId,
        offerId: offer.offerId!,
        kindergartenId: kg.id,
      });
      await engine.confirmArrival({ bin: kg.bin, referralId: referral.referralId });
      expect(await groupOf(db, app.childId)).toBe(three);
      await engine.markChildLeft({ bin: kg.bin, childIin: app.childIin });
      expect(await groupOf(db, app.childId)).toBeNull();
    });

    it('move children up within capacity, oldest groups first, notify, audit, and run once', async () => {
      const { db } = await freshDb();
      const { clock, engine, sent } = engineOnManualClock(db, '2027-07-30T05:00:00.000Z');
      const kg = await addKindergarten(db);
      const g3 = await addGroup(db, kg.id, 3, 5);
      const g4 = await addGroup(db, kg.id, 4, 2);
      const g5 = await addGroup(db, kg.id, 5, 2);
      // School year 2026/27: born 2021 are 5, born 2022 are 4, born 2023 are 3.
      const leaving = await enrolled(db, kg.id, g5, '2021-03-01', '2023-01-01T00:00:00.000Z'); // 6 in 2027: no group
      const fourA = await enrolled(db, kg.id, g4, '2022-12-31', '2024-01-01T00:00:00.000Z');
      const fourB = await enrolled(db, kg.id, g4, '2022-02-28', '2024-01-02T00:00:00.000Z');
      const threeA = await enrolled(db, kg.id, g3, '2023-01-01', '2025-01-01T00:00:00.000Z');
      const threeB = await enrolled(db, kg.id, g3, '2023-06-01', '2025-01-02T00:00:00.000Z');
      const young = await enrolled(db, kg.id, g3, '2024-02-29', '2025-01-03T00:00:00.000Z'); // 3 in 2027: stays

      await scheduleGroupMoves(db, clock.now());
      clock.set(new Date('2027-07-31T18:59:59.999Z'));
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });
      clock.set(new Date('2027-08-05T04:00:00.000Z')); // late: the portal was down on 1 August
      expect(await engine.runDueJobs()).toEqual({ ran: 1, failed: 0 });

      // g5 (2 places): the leaver stays, fourA moves up; g4 (2): fourB cannot move, so one place for threeA.
      expect(await groupOf(db, leaving.childId)).toBe(g5);
      expect(await groupOf(db, fourA.childId)).toBe(g5);
      expect(await groupOf(db, fourB.childId)).toBe(g4);
      expect(await groupOf(db, threeA.childId)).toBe(g4);
      expect(await groupOf(db, threeB.childId)).toBe(g3);
      expect(await groupOf(db, young.childId)).toBe(g3);
      expect(sent.map((n) => [n.kind, n.applicationId, n.groupId])).toEqual([
        ['group_moved', fourA.applicationId, g5],
        ['group_full', fourB.applicationId, g5],
        ['group_moved', threeA.applicationId, g4],
        ['group_full', threeB.applicationId, g4],
      ]);
      const history = await db
        .selectFrom('application_history')
        .select(['application_id', 'event', 'status'])
        .where('event', 'in', ['group_moved', 'group_full'])
        .orderBy('id')
        .execute();
      expect(history).toEqual([
        { application_id: fourA.applicationId, event: 'group_moved', status: 'enrolled' },
        { application_id: fourB.applicationId, event: 'group_full', status: 'enrolled' },
        { application_id: threeA.applicationId, event: 'group_moved', status: 'enrolled' },
        { application_id: threeB.applicationId, event: 'group_full', status: 'enrolled' },
      ]);
      const audit = await db.selectFrom('audit_log').select(['action', 'subject', 'details']).execute();
      expect(audit.map((a) => ({ ...a, details: JSON.parse(a.details) as unknown }))).toEqual([
        {
          action: 'queue.group_moves',
          subject: '2027',
          details: {
            moved: [fourA.childId, threeA.childId],
            full: [fourB.childId, threeB.childId],
            noGroup: [leaving.childId],
            dueAt: '2027-07-31T19:00:00.000Z',
          },
        },
      ]);
      // Once: scheduling and running again change nothing.
      await scheduleGroupMoves(db, clock.now());
      expect(await engine.runDueJobs()).toEqual({ ran: 0, failed: 0 });
      expect(await jobsOf(db)).toEqual([{ ref_id: 2027, run_at: '2027-07-31T19:00:00.000Z', state: 'done' }]);
      expect(await groupOf(db, threeB.childId)).toBe(g3);
    });
  });
});

describe('the August moves, as the family reads them', () => {
  withTestDatabases((_kind, freshDb) => {
    it('name the new group in the family’s language, by SMS and e-mail', async () => {
      const { db } = await freshDb();
      const clock = manualClock('2027-08-02T04:00:00.000Z');
      const engine = createQueueEngine({ db, clock, notifications: outboxNotificationSink });
      const kg = await addKindergarten(db);
      const g3 = await addGroup(db, kg.id, 3, 5);
      const g4 = await addGroup(db, kg.id, 4, 5);
      await db
        .updateTable('kindergarten_groups')
        .set({ name_kk: '«Күншуақ» ересек тобы', name_ru: 'Старшая группа «Солнышко»' })
        .where('id', '=', g4)
        .execute();
      const child = await enrolled(db, kg.id, g3, '2023-04-01', '2025-01-01T00:00:00.000Z');
      await db
        .updateTable('applicants')
        .set({ phone: '+77011234567', email: 'aigul@example.kz' })
        .where('id', '=', child.applicantId)
        .execute();
      await scheduleGroupMoves(db, clock.now());
      expect(await engine.runDueJobs()).toEqual({ ran: 1, failed: 0 });
      const outbox = await db
        .selectFrom('outbox')
        .select(['channel', 'recipient', 'subject', 'body'])
        .orderBy('id')
        .execute();
      const number = `KDDO.2023.${child.childIin}`;
      const kg1 = (
        await db
          .selectFrom('kindergartens')
          .select('name_kk')
          .where('id', '=', kg.id)
          .executeTakeFirstOrThrow()
      ).name_kk;
      const kk = {
        subject: 'Бала келесі жас тобына ауыстырылды',
        body: `Жас топтары арасындағы тамыз айындағы ауыстыру: №${number} өтініш бойынша бала жаңа топқа ауыстырылды: «Күншуақ» ересек тобы (${kg1}).`,
      };
      expect(outbox).toEqual([
        { channel: 'email', recipient: 'aigul@example.kz', ...kk },
        { channel: 'sms', recipient: '+77011234567', ...kk },
      ]);
    });
  });
});
