import { describe, expect, it } from 'vitest';
import { isValidBin, isValidIin } from '../../signing/identifiers.ts';
import { DEMO_IDENTITIES, DEMO_KINDERGARTEN } from '../../demo/pki/identities.ts';
import { seedDemo } from '../../demo/portal/seed.ts';
import { getApplicationCard, listJournal } from '../../portal/repositories/applications.ts';
import { listVacanciesForApplication } from '../../portal/repositories/vacancies.ts';
import { listAgeGroups, scheduleGroupMoves } from '../../portal/queue/age-groups.ts';
import { createQueueEngine } from '../../portal/queue/engine.ts';
import { manualClock } from '../../portal/scheduler/clock.ts';
import { withTestDatabases } from '../helpers/portal-db.ts';

const NOW = new Date('2026-05-25T04:00:00.000Z');

describe('demo seed', () => {
  withTestDatabases((_kind, freshDb) => {
    it('seeds Almaty kindergartens, valid IINs, the demo people, an active offer; only once', async () => {
      const { db } = await freshDb();
      const summary = await seedDemo(db, { now: NOW, applications: 400 });
      expect(summary).toMatchObject({ seeded: true, kindergartens: 30 });

      const kgs = await db.selectFrom('kindergartens').selectAll().execute();
      expect(new Set(kgs.map((k) => k.district)).size).toBe(8);
      expect(kgs.every((k) => isValidBin(k.bin) || k.bin === DEMO_KINDERGARTEN.bin)).toBe(true);
      expect(kgs.every((k) => k.lat > 43.1 && k.lat < 43.4 && k.lon > 76.7 && k.lon < 77.1)).toBe(true);
      expect(new Set(kgs.map((k) => k.language))).toEqual(new Set(['kk', 'ru']));
      expect(kgs.filter((k) => k.bin === DEMO_KINDERGARTEN.bin)).toHaveLength(1);
      // Address and district in Russian too (migration 0070), the same place as the Kazakh ones.
      for (const k of kgs) {
        const house = k.address.split(', ').at(-1);
        expect(k.address).toMatch(/^Алматы қ\., [^,]+ ауданы, [^,]+, \d+$/);
        expect(k.address_ru).toMatch(/^г\. Алматы, [^,]+ район, (ул\.|пр\.|мкр\.) [^,]+, \d+$/);
        expect(k.address_ru?.split(', ').at(-1)).toBe(house);
        expect(k.address_ru).toContain(k.district_ru);
        expect(k.address).toContain(k.district);
      }
      expect(new Set(kgs.map((k) => `${k.district}|${k.district_ru}`)).size).toBe(8);
      // Organisations of every kind, for the wizard's one-queue-per-kind rule; № 145 a special kindergarten.
      expect(new Set(kgs.map((k) => k.kind))).toEqual(new Set(['special_kindergarten', 'rehabilitation_centre', 'correction_cabinet']));
      expect(kgs.find((k) => k.bin === DEMO_KINDERGARTEN.bin)?.kind).toBe('special_kindergarten');

      const children = await db.selectFrom('children').select('iin').execute();
      expect(children.every((c) => isValidIin(c.iin))).toBe(true);
      const apps = await db
        .selectFrom('applications')
        .select(['group_year', 'category', 'benefit_type', 'benefit_confirmed_at'])
        .execute();
      expect(apps.length).toBe(summary.applications);
      expect(new Set(apps.map((a) => a.group_year)).size).toBeGreaterThanOrEqual(5);
      expect(new Set(apps.map((a) => a.category)).size).toBeGreaterThanOrEqual(5);
      // Seeded benefits are history, already confirmed; only benefit-less rows have no confirmation.
      const withBenefit = apps.filter((a) => a.benefit_type !== 'none');
      expect(withBenefit.length).toBeGreaterThan(0);
      expect(withBenefit.every((a) => a.benefit_confirmed_at !== null)).toBe(true);
      expect(
        apps.filter((a) => a.benefit_type === 'none').every((a) => a.benefit_confirmed_at === null),
      ).toBe(true);

      const first = DEMO_IDENTITIES.find((i) => i.role === 'individual') as (typeof DEMO_IDENTITIES)[number];
      const journal = await listJournal(db, { applicantIin: first.iin }, 4);
      expect(journal.total).toBeGreaterThan(0);
      const offered = journal.items.find((r) => r.id === summary.offeredApplicationId);
      expect(offered?.status).toBe('notification_sent');
      const card = await getApplicationCard(db, first.iin, offered?.id as number);
      expect(card?.offer).not.toBeNull();
      const vacancies = await listVacanciesForApplication(db, offered?.id as number, NOW);
      expect(vacancies[0]?.kindergarten.nameKk).toContain('№ 145');
      expect(vacancies[0]?.kindergarten.addressRu).toMatch(/^г\. Алматы, /);

      // #13: every kindergarten has age groups; № 145's speech groups have children in them.
      const groups = await db.selectFrom('kindergarten_groups').select(['kindergarten_id', 'category']).execute();
      const categories = await db.selectFrom('kindergarten_categories').select('kindergarten_id').execute();
      expect(groups).toHaveLength(categories.length * 5);
      const demoKg = kgs.find((k) => k.bin === DEMO_KINDERGARTEN.bin)?.id as number;
      expect(
        (await listAgeGroups(db, demoKg)).filter((g) => g.category === 'speech').map((g) => [g.age, g.children, g.capacity]),
      ).toEqual([
        [2, 4, 12],
        [3, 7, 12],
        [4, 9, 12],
        [5, 12, 12],
        [6, 8, 12],
      ]);

      expect(await seedDemo(db, { now: NOW, applications: 400 })).toMatchObject({ seeded: false });
      expect(await db.selectFrom('kindergartens').select('id').execute()).toHaveLength(30);
    });

    it("gives the August moves something to do: in № 145 some children move up, some are kept back", async () => {
      const { db } = await freshDb();
      await seedDemo(db, { now: NOW, applications: 50 });
      const engine = createQueueEngine({ db, clock: manualClock('2026-08-01T04:00:00.000Z') });
      await scheduleGroupMoves(db, NOW);
      expect(await engine.runDueJobs()).toMatchObject({ failed: 0 });
      const run = await db.selectFrom('audit_log').select('details').where('action', '=', 'queue.group_moves').executeTakeFirstOrThrow();
      const { moved, full, noGroup } = JSON.parse(run.details) as Record<string, number[]>;
      // The 6s (8) have no group for 7 and stay; four of the 5s (12) fill the 6s' group and 8 wait;
      // four of the 4s (9) take the places they leave and 5 wait; all the 3s (7) and 2s (4) move.
      expect([moved?.length, full?.length, noGroup?.length]).toEqual([4 + 4 + 7 + 4, 8 + 5, 8]);
    });
  });
});
