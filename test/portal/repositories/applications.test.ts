import { describe, expect, it } from 'vitest';
import { getApplicationCard, listHistory, listJournal } from '../../../portal/repositories/applications.ts';
import { queueNumbersFor } from '../../../portal/repositories/queue-numbers.ts';
import { addDocument, getDocument, listDocuments } from '../../../portal/repositories/documents.ts';
import { listVacanciesForApplication } from '../../../portal/repositories/vacancies.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication, addKindergarten } from '../queue/fixtures.ts';

const NOW = '2026-03-20T05:00:00.000Z';

describe('applicant repositories', () => {
  withTestDatabases((_kind, freshDb) => {
    it('journal shows only the applicant’s own applications, with queue numbers, sorting, filtering and paging', async () => {
      const { db } = await freshDb();
      const a1 = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const stranger = await addApplication(db, {
        registeredAt: '2024-01-02T00:00:00.000Z',
        benefit: 'priority',
      });
      const a2 = await addApplication(db, { registeredAt: '2024-01-03T00:00:00.000Z' });
      // Give a2 to a1's applicant (a second child), and a third, dequeued application.
      await db
        .updateTable('applications')
        .set({ applicant_id: a1.applicantId })
        .where('id', '=', a2.applicationId)
        .execute();
      const a3 = await addApplication(db, { registeredAt: '2024-01-04T00:00:00.000Z' });
      await db
        .updateTable('applications')
        .set({ applicant_id: a1.applicantId, status: 'dequeued' })
        .where('id', '=', a3.applicationId)
        .execute();

      const page = await listJournal(
        db,
        {
          applicantIin: a1.applicantIin,
          sort: 'registered_at',
          direction: 'asc',
        },
        4,
      );
      expect(page.total).toBe(3);
      expect(page.items.map((r) => r.id)).toEqual([a1.applicationId, a2.applicationId, a3.applicationId]);
      expect(page.items.some((r) => r.id === stranger.applicationId)).toBe(false);
      // Queue: the priority application takes place 1 of each block of four; applications without
      // a benefit have no benefit-category number (0).
      expect(page.items.map((r) => [r.queueNumber, r.benefitQueueNumber])).toEqual([
        [2, 0],
        [3, 0],
        [null, null],
      ]);
      const queued = await listJournal(
        db,
        {
          applicantIin: a1.applicantIin,
          status: 'in_queue',
          pageSize: 1,
          page: 2,
          direction: 'asc',
        },
        4,
      );
      expect(queued).toMatchObject({ total: 2, page: 2, pageSize: 1 });
      expect(queued.items.map((r) => r.id)).toEqual([a2.applicationId]);
      // A page past the end is empty but still tells the total.
      const pastEnd = await listJournal(db, { applicantIin: a1.applicantIin, pageSize: 2, page: 3 }, 4);
      expect(pastEnd).toMatchObject({ items: [], total: 3, page: 3 });
      await expect(listJournal(db, { applicantIin: 'nope' }, 4)).rejects.toThrow();
    });

    it('journal orders by each sort column both ways, ties by id', async () => {
      const { db } = await freshDb();
      // Four applications of one applicant, each column ordering them differently (status ties).
      const rows = [
        { registeredAt: '2024-01-03T00:00:00.000Z', number: 'N-2', status: 'in_queue', birth: '2021-05-01' },
        { registeredAt: '2024-01-01T00:00:00.000Z', number: 'N-4', status: 'dequeued', birth: '2021-02-01' },
        { registeredAt: '2024-01-04T00:00:00.000Z', number: 'N-1', status: 'in_queue', birth: '2021-09-01' },
        { registeredAt: '2024-01-02T00:00:00.000Z', number: 'N-3', status: 'enrolled', birth: '2021-01-01' },
      ] as const;
      const ids: number[] = [];
      let applicantId = 0;
      let applicantIin = '';
      for (const r of rows) {
        const app = await addApplication(db, { registeredAt: r.registeredAt });
        if (ids.length === 0) ({ applicantId, applicantIin } = app);
        ids.push(app.applicationId);
        await db
          .updateTable('applications')
          .set({ applicant_id: applicantId, number: r.number, status: r.status })
          .where('id', '=', app.applicationId)
          .execute();
        await db.updateTable('children').set({ birth_date: r.birth }).where('id', '=', app.childId).execute();
      }
      const keys = {
        registered_at: (i: number) => rows[i]!.registeredAt,
        number: (i: number) => rows[i]!.number,
        status: (i: number) => rows[i]!.status,
        child_birth_date: (i: number) => rows[i]!.birth,
      };
      for (const [sort, key] of Object.entries(keys)) {
        for (const direction of ['asc', 'desc'] as const) {
          const byKey = [0, 1, 2, 3].sort((x, y) => key(x).localeCompare(key(y)) || ids[x]! - ids[y]!);
          const expected = (direction === 'asc' ? byKey : byKey.reverse()).map((i) => ids[i]);
          const page = await listJournal(db, { applicantIin, sort: sort as keyof typeof keys, direction }, 4);
          expect([sort, direction, page.items.map((r) => r.id)]).toEqual([sort, direction, expected]);
          // Queue numbers stay with their rows whatever the order: only queued rows have one.
          expect(page.items.filter((r) => r.queueNumber !== null).map((r) => r.status)).toEqual([
            'in_queue',
            'in_queue',
          ]);
        }
      }
    });

    it('card, history, vacancies and documents are scoped to the application', async () => {
      const { db } = await freshDb();
      const clock = manualClock(NOW);
      const engine = createQueueEngine({ db, clock });
      const kg = await addKindergarten(db);
      const mine = await addApplication(db, { registeredAt: '2024-01-01T00:00:00.000Z' });
      const other = await addApplication(db, { registeredAt: '2024-01-02T00:00:00.000Z' });
      expect(await listVacanciesForApplication(db, mine.applicationId, clock.now())).toEqual([]);
      const { offerId } = await engine.publishVacancy({ bin: kg.bin, groupYear: 2021, category: 'speech' });

      const card = await getApplicationCard(db, mine.applicantIin, mine.applicationId);
      expect(card?.offer).toEqual({
        offerId,
        kindergartenId: kg.id,
        madeAt: NOW,
        expiresAt: '2026-03-30T19:00:00.000Z',
      });
      expect(card?.application.status).toBe('notification_sent');
      const numbers = await queueNumbersFor(db, [{ id: mine.applicationId, status: 'notification_sent' }], 4);
      expect(numbers.get(mine.applicationId)?.queueNumber).toBe(1);
      expect(await getApplicationCard(db, other.applicantIin, mine.applicationId)).toBeNull();
      expect((await listHistory(db, mine.applicantIin, mine.applicationId))?.map((h) => h.event)).toEqual([
        'offer_made',
      ]);
      expect(await listHistory(db, other.applicantIin, mine.applicationId)).toBeNull();

      const mineVacancies = await listVacanciesForApplication(db, mine.applicationId, clock.now());
      expect(mineVacancies.map((v) => [v.offerId, v.offerKind, v.kindergarten.id])).toEqual([
        [offerId, 'personal', kg.id],
      ]);
      expect(await listVacanciesForApplication(db, other.applicationId, clock.now())).toEqual([]);
      // After the offer lapses, both see the free-choice place.
      clock.set('2026-04-01T00:00:00.000Z');
      await engine.runDueJobs();
      expect(
        (await listVacanciesForApplication(db, other.applicationId, clock.now())).map((v) => v.offerKind),
      ).toEqual(['free_choice']);

      const bytes = Buffer.from('%PDF-1.7 жолдама', 'utf8');
      const docId = await addDocument(db, {
        applicationId: mine.applicationId,
        kind: 'referral_pdf',
        filename: 'referral.pdf',
        contentType: 'application/pdf',
        content: bytes,
        createdAt: clock.now(),
      });
      expect(await listDocuments(db, mine.applicationId)).toEqual([
        {
          id: docId,
          applicationId: mine.applicationId,
          kind: 'referral_pdf',
          filename: 'referral.pdf',
          contentType: 'application/pdf',
          size: bytes.length,
          createdAt: '2026-04-01T00:00:00.000Z',
        },
      ]);
      expect((await getDocument(db, mine.applicationId, docId))?.content.equals(bytes)).toBe(true);
      expect(await getDocument(db, other.applicationId, docId)).toBeNull();
    });
  });
});
