/** Small builders for queue tests: kindergartens, applicants, children with PMPK, applications. */
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { BenefitType, DB } from '../../../portal/db/schema.ts';
import { createQueueEngine } from '../../../portal/queue/engine.ts';
import { isQueueError } from '../../../portal/queue/errors.ts';
import type { NotificationRequest } from '../../../portal/queue/notifications.ts';
import { orderQueue, type QueueEntry } from '../../../portal/queue/ordering.ts';
import { manualClock } from '../../../portal/scheduler/clock.ts';

/** A queue engine on a manual clock starting at `start`, recording the notifications it asks for. */
export function engineOnManualClock(db: Kysely<DB>, start: string) {
  const clock = manualClock(start);
  const sent: NotificationRequest[] = [];
  const engine = createQueueEngine({
    db,
    clock,
    notifications: { notify: async (_trx, r) => void sent.push(r) },
  });
  return { clock, sent, engine };
}

/** `promise` must fail with the QueueError `code`. */
export async function expectQueueError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isQueueError(error) ? error.code : error).toBe(code);
}

let serial = 0;
const twelve = (prefix: string) => `${prefix}${String(++serial).padStart(12 - prefix.length, '0')}`;

export async function addKindergarten(
  db: Kysely<DB>,
  opts: { bin?: string; categories?: string[] } = {},
): Promise<{ id: number; bin: string }> {
  const bin = opts.bin ?? twelve('1504');
  const row = await db
    .insertInto('kindergartens')
    .values({
      name_kk: `№ ${serial} арнайы бөбекжай`,
      name_ru: `Специальный ясли-сад № ${serial}`,
      bin,
      district: 'Бостандық',
      address: 'Алматы, Абай даңғылы, 1',
      phone: '+7 727 000 00 00',
      website: null,
      language: 'kk',
      lat: 43.2,
      lon: 76.9,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const category of opts.categories ?? ['speech']) {
    await db.insertInto('kindergarten_categories').values({ kindergarten_id: row.id, category }).execute();
  }
  return { id: row.id, bin };
}

export interface AppFixture {
  applicationId: number;
  childId: number;
  childIin: string;
  applicantId: number;
  applicantIin: string;
}

export interface FamilyOptions {
  /** Also the applicant's created_at. */
  registeredAt: string;
  groupYear?: number;
  category?: string;
  /** PMPK validity end (YYYY-MM-DD); null = no conclusion. */
  pmpkUntil?: string | null;
  pmpkCategory?: string;
  enrolledIn?: number | null;
}

/** An applicant and a child (with a PMPK conclusion unless `pmpkUntil` is null), no application. */
export async function addFamily(
  db: Kysely<DB>,
  opts: FamilyOptions,
): Promise<Omit<AppFixture, 'applicationId'>> {
  const applicantIin = twelve('85');
  const childIin = twelve('21');
  const applicant = await db
    .insertInto('applicants')
    .values({
      iin: applicantIin,
      last_name: 'Сейтқали',
      first_name: 'Айгүл',
      middle_name: null,
      birth_date: null,
      phone: null,
      email: null,
      address: null,
      actual_address: null,
      created_at: opts.registeredAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const child = await db
    .insertInto('children')
    .values({
      iin: childIin,
      last_name: 'Сейтқали',
      first_name: 'Әлихан',
      middle_name: null,
      birth_date: `${opts.groupYear ?? 2021}-05-01`,
      enrolled_in: opts.enrolledIn ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const category = opts.category ?? 'speech';
  if (opts.pmpkUntil !== null) {
    await db
      .insertInto('pmpk_conclusions')
      .values({
        child_id: child.id,
        category: opts.pmpkCategory ?? category,
        issued_on: '2025-01-10',
        valid_until: opts.pmpkUntil ?? '2027-12-31',
      })
      .execute();
  }
  return { childId: child.id, childIin, applicantId: applicant.id, applicantIin };
}

export async function addApplication(
  db: Kysely<DB>,
  opts: FamilyOptions & { benefit?: BenefitType },
): Promise<AppFixture> {
  const family = await addFamily(db, opts);
  const applicationId = await insertApplication(db, family, {
    ...opts,
    category: opts.category ?? 'speech',
    number: `KDDO.${opts.groupYear ?? 2021}.${family.childIin}`,
  });
  return { applicationId, ...family };
}

/** An in_queue application of the family's child. */
async function insertApplication(
  db: Kysely<DB>,
  family: Omit<AppFixture, 'applicationId'>,
  opts: { number: string; category: string; registeredAt: string; groupYear?: number; benefit?: BenefitType },
): Promise<number> {
  const benefit = opts.benefit ?? 'none';
  const app = await db
    .insertInto('applications')
    .values({
      number: opts.number,
      applicant_id: family.applicantId,
      child_id: family.childId,
      guardian_name: null,
      category: opts.category,
      benefit_type: benefit,
      benefit_kind: null,
      // Rows put in directly stand for applications whose benefit was already confirmed.
      benefit_confirmed_at: benefit === 'none' ? null : opts.registeredAt,
      group_year: opts.groupYear ?? 2021,
      registered_at: opts.registeredAt,
      status: 'in_queue',
      status_changed_at: opts.registeredAt,
      region: 'Алматы',
      zup_number: null,
      tson_number: null,
      extra_email: null,
      extra_phone: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return app.id;
}

/** A second application of the same child in another queue (category), with a PMPK conclusion for it. */
export async function addSiblingApplication(
  db: Kysely<DB>,
  of: AppFixture,
  opts: { category: string; registeredAt: string; groupYear?: number },
): Promise<number> {
  await db
    .insertInto('pmpk_conclusions')
    .values({
      child_id: of.childId,
      category: opts.category,
      issued_on: '2025-01-10',
      valid_until: '2027-12-31',
    })
    .execute();
  return insertApplication(db, of, {
    ...opts,
    number: `KDDO.${opts.groupYear ?? 2021}.${of.childIin}.${opts.category}`,
  });
}

export async function statusOf(db: Kysely<DB>, applicationId: number): Promise<string> {
  const row = await db
    .selectFrom('applications')
    .select('status')
    .where('id', '=', applicationId)
    .executeTakeFirstOrThrow();
  return row.status;
}

/** One queue's queued applications as orderQueue takes them (counted benefit, status). */
export async function queueEntries(
  db: Kysely<DB>,
  groupYear = 2021,
  category = 'speech',
): Promise<QueueEntry[]> {
  const rows = await db
    .selectFrom('applications')
    .select(['id', 'queue_benefit', 'registered_at', 'status'])
    .where('group_year', '=', groupYear)
    .where('category', '=', category)
    .where('status', 'in', ['in_queue', 'notification_sent'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    benefit_type: r.queue_benefit,
    registered_at: r.registered_at,
    status: r.status as 'in_queue' | 'notification_sent',
  }));
}

/** How many places the queue's interleave has given out (queue_turns; 0 before the first). */
export async function placesGiven(db: Kysely<DB>, groupYear = 2021, category = 'speech'): Promise<number> {
  const row = await db
    .selectFrom('queue_turns')
    .select('places_given')
    .where('group_year', '=', groupYear)
    .where('category', '=', category)
    .executeTakeFirst();
  return row?.places_given ?? 0;
}

/** The queue's application ids in queue order (ordering.ts), from its turn counter. */
export async function queueOrder(
  db: Kysely<DB>,
  priorityEvery = 4,
  groupYear = 2021,
  category = 'speech',
): Promise<number[]> {
  const entries = await queueEntries(db, groupYear, category);
  return orderQueue(entries, priorityEvery, await placesGiven(db, groupYear, category)).map(
    (p) => p.entry.id,
  );
}

// #13: age groups
/** A speech group of `age` with `capacity` places in the kindergarten. */
export async function addGroup(
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
export async function enrolled(
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

