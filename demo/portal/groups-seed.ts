/**
 * The demo's age groups (docs/domain.md "Age groups and the August moves"): every kindergarten
 * has a group per category it serves for ages 2 to 6, and № 145's speech groups have children
 * enrolled in them (the staff groups list has something to show), the 5-year-olds' full and the
 * 6-year-olds' part-filled, so the August moves move some children up and keep some back.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../portal/db/schema.ts';
import { groupsYearAt } from '../../portal/queue/age-groups.ts';
import { between, mobilePhone, person, pick, type Random } from './synthetic.ts';

const GROUP_NAMES: Record<number, { kk: string; ru: string }> = {
  2: { kk: 'Бөбектер тобы', ru: 'Ясельная группа' },
  3: { kk: 'Кіші топ', ru: 'Младшая группа' },
  4: { kk: 'Ортаңғы топ', ru: 'Средняя группа' },
  5: { kk: 'Ересек топ', ru: 'Старшая группа' },
  6: { kk: 'Мектепалды даярлық тобы', ru: 'Предшкольная группа' },
};
const CATEGORY_SHORT: Record<string, { kk: string; ru: string }> = {
  speech: { kk: 'логопедиялық', ru: 'логопедическая' },
  hearing: { kk: 'сурдологиялық', ru: 'сурдологическая' },
  vision: { kk: 'тифлологиялық', ru: 'тифлологическая' },
  intellect: { kk: 'олигофренопедагогикалық', ru: 'олигофренопедагогическая' },
  musculoskeletal: { kk: 'ТҚА бұзылған балаларға арналған', ru: 'для детей с нарушениями ОДА' },
  autism: { kk: 'АСБ бар балаларға арналған', ru: 'для детей с РАС' },
};
const DEMO_CAPACITY = 12;
/** № 145's speech groups: children enrolled in each, by age. */
const DEMO_ENROLLED: Record<number, number> = { 2: 4, 3: 7, 4: 9, 5: 12, 6: 8 };

export async function seedDemoGroups(
  db: Kysely<DB>,
  o: {
    r: Random;
    now: Date;
    kindergartens: ReadonlyArray<{ id: number; categories: readonly string[] }>;
    /** № 145: its speech groups get children. */
    demoKindergartenId: number;
    usedIins: Set<string>;
  },
): Promise<{ groups: number; enrolled: number }> {
  const groupIds = new Map<number, number>(); // № 145's speech groups by age
  let groups = 0;
  for (const kg of o.kindergartens) {
    for (const category of kg.categories) {
      for (const age of [2, 3, 4, 5, 6]) {
        const name = GROUP_NAMES[age] as { kk: string; ru: string };
        const kind = CATEGORY_SHORT[category] ?? { kk: category, ru: category };
        const { id } = await db
          .insertInto('kindergarten_groups')
          .values({
            kindergarten_id: kg.id,
            category,
            age,
            name_kk: `${name.kk} (${kind.kk})`,
            name_ru: `${name.ru} (${kind.ru})`,
            capacity: kg.id === o.demoKindergartenId ? DEMO_CAPACITY : between(o.r, 8, 14),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        groups++;
        if (kg.id === o.demoKindergartenId && category === 'speech') groupIds.set(age, id);
      }
    }
  }

  const year = groupsYearAt(o.now);
  const nowIso = o.now.toISOString();
  let enrolled = 0;
  for (const [age, count] of Object.entries(DEMO_ENROLLED)) {
    const groupYear = year - Number(age);
    for (let i = 0; i < count; i++) {
      const birth = new Date(Date.UTC(groupYear, between(o.r, 0, 11), between(o.r, 1, 28)));
      const parent = person(o.r, new Date(Date.UTC(between(o.r, 1982, 1998), between(o.r, 0, 11), between(o.r, 1, 28))), o.usedIins);
      const child = person(o.r, birth, o.usedIins);
      const registered = new Date(Date.UTC(groupYear + 1, between(o.r, 0, 11), between(o.r, 1, 28), 4)).toISOString();
      const { id: applicantId } = await db
        .insertInto('applicants')
        .values({ ...parent, phone: mobilePhone(o.r), email: null, address: 'Алматы қ.', actual_address: 'Алматы қ.', created_at: registered })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { id: childId } = await db
        .insertInto('children')
        .values({ ...child, enrolled_in: o.demoKindergartenId, group_id: groupIds.get(Number(age)) as number })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('pmpk_conclusions')
        .values({ child_id: childId, category: 'speech', issued_on: `${year}-06-01`, valid_until: `${year + 2}-05-31` })
        .execute();
      await db
        .insertInto('applications')
        .values({
          // 960000 on: the seed's other ranges and bench:app's 900000-909999 stay clear of these.
          number: `KDDO.${groupYear}.${String(960_000 + enrolled)}.1`,
          applicant_id: applicantId,
          child_id: childId,
          guardian_name: null,
          category: 'speech',
          benefit_type: 'none',
          benefit_kind: null,
          benefit_confirmed_at: null,
          group_year: groupYear,
          registered_at: registered,
          status: 'enrolled',
          status_changed_at: nowIso,
          region: 'Алматы қ.',
          zup_number: null,
          tson_number: pick(o.r, [null, `ЦОН-${between(o.r, 1000000, 9999999)}`]),
          extra_email: null,
          extra_phone: null,
        })
        .execute();
      enrolled++;
    }
  }
  return { groups, enrolled };
}
