/**
 * Realistic synthetic people and applications for the demo seed and the queue benchmark:
 * Kazakh names, valid IINs (signing/identifiers.ts), bulk inserts in chunks.
 * Deterministic: the same seed number gives the same data.
 */
import type { Insertable, Kysely } from 'kysely';
import { iinCheckDigit } from '../../signing/identifiers.ts';
import type { ApplicationsTable, BenefitType, DB } from '../../portal/db/schema.ts';

/** Small fast deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
export const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
export const between = (r: Random, min: number, max: number): number =>
  min + Math.floor(r() * (max - min + 1));

/** PMPK categories (docs/domain.md, Queue rules) and their share of the applications. */
export const CATEGORIES = ['speech', 'hearing', 'vision', 'intellect', 'musculoskeletal', 'autism'] as const;
const CATEGORY_WEIGHTS = [0.45, 0.08, 0.1, 0.17, 0.08, 0.12];

export function pickCategory(r: Random): string {
  let x = r();
  for (let i = 0; i < CATEGORIES.length; i++) {
    x -= CATEGORY_WEIGHTS[i] as number;
    if (x < 0) return CATEGORIES[i] as string;
  }
  return 'speech';
}

const SURNAMES_M = [
  'Әбілов',
  'Сейітов',
  'Қасымов',
  'Нұрланов',
  'Жұмабаев',
  'Серікбаев',
  'Оспанов',
  'Тоқтаров',
  'Ахметов',
  'Бекмұратов',
  'Ержанов',
  'Сатпаев',
  'Байжанов',
  'Мұхтаров',
  'Исабеков',
  'Қуанышев',
  'Смағұлов',
  'Әлиев',
  'Ибраев',
  'Досжанов',
];
const NAMES_M = [
  'Әлихан',
  'Нұрсұлтан',
  'Ерасыл',
  'Айбек',
  'Дәурен',
  'Арман',
  'Данияр',
  'Ерлан',
  'Санжар',
  'Темірлан',
  'Бауыржан',
  'Нұрлан',
  'Асхат',
  'Ілияс',
  'Мирас',
  'Алдияр',
  'Жандос',
  'Ернұр',
];
const NAMES_F = [
  'Айгүл',
  'Гүлнар',
  'Жанар',
  'Мадина',
  'Әйгерім',
  'Дана',
  'Аружан',
  'Камила',
  'Томирис',
  'Інжу',
  'Сабина',
  'Балнұр',
  'Ақерке',
  'Назерке',
  'Динара',
  'Салтанат',
  'Айым',
  'Жансая',
];

function femaleSurname(m: string): string {
  return m.endsWith('ов') || m.endsWith('ев') ? `${m}а` : m;
}

export interface Person {
  iin: string;
  last_name: string;
  first_name: string;
  middle_name: string;
  birth_date: string;
}

/** A person born on `birth` with a valid IIN not yet in `used`. */
export function person(r: Random, birth: Date, used: Set<string>, familyName?: string): Person {
  const male = r() < 0.5;
  const surnameM = familyName ?? pick(r, SURNAMES_M);
  const fatherName = pick(r, NAMES_M);
  const year = birth.getUTCFullYear();
  const yymmdd = `${String(year % 100).padStart(2, '0')}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}`;
  const centurySex = (year >= 2000 ? 5 : 3) + (male ? 0 : 1);
  let iin: string;
  for (;;) {
    const first11 = `${yymmdd}${centurySex}${String(between(r, 0, 9999)).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    iin = `${first11}${check ?? ''}`;
    if (check !== undefined && !used.has(iin)) break;
  }
  used.add(iin);
  return {
    iin,
    last_name: male ? surnameM : femaleSurname(surnameM),
    first_name: male ? pick(r, NAMES_M) : pick(r, NAMES_F),
    middle_name: male ? `${fatherName}ұлы` : `${fatherName}қызы`,
    birth_date: birth.toISOString().slice(0, 10),
  };
}

export function mobilePhone(r: Random): string {
  const op = pick(r, ['700', '701', '702', '705', '707', '708', '747', '771', '775', '777', '778']);
  return `+7 ${op} ${between(r, 100, 999)} ${String(between(r, 0, 99)).padStart(2, '0')} ${String(between(r, 0, 99)).padStart(2, '0')}`;
}

const PRIORITY_KINDS = ['disabled_parent', 'orphan', 'large_family', 'special_needs', 'teacher_child'];
const OUT_OF_TURN_KINDS = ['military_family', 'special_state_body_family'];

export async function insertChunked<T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  rows: ReadonlyArray<Insertable<DB[T]>>,
  chunk = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    // Generic over the table: the rows are typed by the caller's signature.
    await db
      .insertInto(table)
      .values(rows.slice(i, i + chunk) as never)
      .execute();
  }
}

async function insertReturningIds<T extends 'applicants' | 'children'>(
  db: Kysely<DB>,
  table: T,
  rows: ReadonlyArray<Insertable<DB[T]>>,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 500) {
    const got = await db
      .insertInto(table)
      .values(rows.slice(i, i + 500) as never)
      .returning(['id', 'iin'])
      .execute();
    for (const g of got as Array<{ id: number; iin: string }>) ids.set(g.iin, g.id);
  }
  return ids;
}

export interface SyntheticOptions {
  count: number;
  now: Date;
  seed: number;
  groupYears: readonly number[];
  /** IINs already in the database (demo identities), never reused. */
  usedIins?: Set<string>;
  /** Share of applications already dequeued. */
  dequeuedShare?: number;
  /** First serial for application numbers, to keep them unique across calls. */
  numberStart?: number;
}

/**
 * Inserts `count` applicants, each with one child (valid IINs), a PMPK conclusion (most valid,
 * some expired) and one correctional-queue application.
 */
export async function insertSyntheticApplications(db: Kysely<DB>, o: SyntheticOptions): Promise<number> {
  const r = rng(o.seed);
  const used = o.usedIins ?? new Set<string>();
  const nowMs = o.now.getTime();
  const applicants: Array<Insertable<DB['applicants']>> = [];
  const children: Array<Insertable<DB['children']>> = [];
  const pending: Array<{
    parentIin: string;
    childIin: string;
    app: Omit<Insertable<ApplicationsTable>, 'applicant_id' | 'child_id'>;
    pmpk: { category: string; issued_on: string; valid_until: string };
  }> = [];
  const day = 86_400_000;
  for (let i = 0; i < o.count; i++) {
    const groupYear = pick(r, o.groupYears);
    const childBirth = new Date(Date.UTC(groupYear, 0, 1) + between(r, 0, 364) * day);
    const parentBirth = new Date(Date.UTC(between(r, 1980, 1998), between(r, 0, 11), between(r, 1, 28)));
    const family = pick(r, SURNAMES_M);
    const parent = person(r, parentBirth, used, family);
    const child = person(r, childBirth, used, family);
    const earliest = childBirth.getTime() + 60 * day;
    const registered = new Date(earliest + Math.floor(r() * Math.max(day, nowMs - day - earliest)));
    const category = pickCategory(r);
    const b = r();
    const benefit: BenefitType = b < 0.05 ? 'out_of_turn' : b < 0.17 ? 'priority' : 'none';
    const dequeued = r() < (o.dequeuedShare ?? 0);
    const at = registered.toISOString();
    applicants.push({
      ...parent,
      phone: mobilePhone(r),
      email: null,
      address: 'Алматы қ.',
      actual_address: 'Алматы қ.',
      created_at: at,
    });
    children.push({ ...child, enrolled_in: null });
    const validUntil =
      r() < 0.92 ? new Date(nowMs + between(r, 30, 700) * day) : new Date(nowMs - between(r, 1, 200) * day);
    pending.push({
      parentIin: parent.iin,
      childIin: child.iin,
      pmpk: {
        category,
        issued_on: new Date(validUntil.getTime() - 730 * day).toISOString().slice(0, 10),
        valid_until: validUntil.toISOString().slice(0, 10),
      },
      app: {
        number: `KDDO.${groupYear}.${String((o.numberStart ?? 100_000) + i).padStart(6, '0')}.1`,
        guardian_name: null,
        category,
        benefit_type: benefit,
        benefit_kind:
          benefit === 'priority'
            ? pick(r, PRIORITY_KINDS)
            : benefit === 'out_of_turn'
              ? pick(r, OUT_OF_TURN_KINDS)
              : null,
        benefit_confirmed_at: benefit === 'none' ? null : at,
        group_year: groupYear,
        registered_at: at,
        status: dequeued ? 'dequeued' : 'in_queue',
        status_changed_at: at,
        region: 'Алматы қ.',
        zup_number: `${between(r, 100000, 999999)}${String(i).padStart(6, '0')}`,
        tson_number: r() < 0.4 ? `ЦОН-${between(r, 1000000, 9999999)}` : null,
        extra_email: null,
        extra_phone: null,
      },
    });
  }
  const applicantIds = await insertReturningIds(db, 'applicants', applicants);
  const childIds = await insertReturningIds(db, 'children', children);
  await insertChunked(
    db,
    'pmpk_conclusions',
    pending.map((p) => ({ child_id: childIds.get(p.childIin) as number, ...p.pmpk })),
  );
  await insertChunked(
    db,
    'applications',
    pending.map((p) => ({
      ...p.app,
      applicant_id: applicantIds.get(p.parentIin) as number,
      child_id: childIds.get(p.childIin) as number,
    })),
  );
  return o.count;
}
