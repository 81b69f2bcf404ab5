/**
 * `--demo` data, seeded once on first start (a database that already has kindergartens is left
 * alone): Almaty's 8 districts, ~30 correctional kindergartens, a few thousand applications
 * over several group years and categories, and the demo PKI's people as applicants, one of them
 * with an active offer (the card shows "Choose correctional kindergarten"), the kindergarten
 * head's BIN on kindergarten № 145, and age groups (groups-seed.ts).
 */
import { OrganisationKind } from '../../protocol/application-api.ts';
import type { Kysely } from 'kysely';
import { iinCheckDigit } from '../../signing/identifiers.ts';
import {
  DEMO_IDENTITIES,
  DEMO_KINDERGARTEN,
  type DemoIdentity,
  type DemoOrganization,
} from '../pki/identities.ts';
import type { DB } from '../../portal/db/schema.ts';
import { createQueueEngine } from '../../portal/queue/engine.ts';
import { recordHistory } from '../../portal/queue/history.ts';
import type { NotificationSink } from '../../portal/queue/notifications.ts';
import { seedDemoGroups } from './groups-seed.ts';
import {
  between,
  CATEGORIES,
  insertChunked,
  insertSyntheticApplications,
  mobilePhone,
  pick,
  rng,
} from './synthetic.ts';

export interface SeedOptions {
  now: Date;
  identities?: readonly DemoIdentity[];
  kindergarten?: DemoOrganization;
  /** Synthetic applications besides the demo people's (default 3000). */
  applications?: number;
  seed?: number;
  /** Where the demo's offers are announced (the HTTP side's outbox); silent by default. */
  notifications?: NotificationSink;
}

export interface SeedSummary {
  seeded: boolean;
  kindergartens: number;
  applications: number;
  /** The demo applicant application that holds an active offer, if seeded now. */
  offeredApplicationId: number | null;
}

interface District {
  kk: string;
  ru: string;
  lat: number;
  lon: number;
  /** Streets in both languages: the Russian form as Almaty's Russian addresses write it. */
  streets: Array<{ kk: string; ru: string }>;
}

export const ALMATY_DISTRICTS: readonly District[] = [
  {
    kk: 'Алатау ауданы',
    ru: 'Алатауский район',
    lat: 43.286,
    lon: 76.83,
    streets: [{ kk: 'Шаляпин көшесі', ru: 'ул. Шаляпина' }, { kk: 'Момышұлы көшесі', ru: 'ул. Момышулы' }, { kk: 'Рысқұлов даңғылы', ru: 'пр. Рыскулова' }],
  },
  {
    kk: 'Алмалы ауданы',
    ru: 'Алмалинский район',
    lat: 43.254,
    lon: 76.912,
    streets: [{ kk: 'Абай даңғылы', ru: 'пр. Абая' }, { kk: 'Төле би көшесі', ru: 'ул. Толе би' }, { kk: 'Жамбыл көшесі', ru: 'ул. Жамбыла' }, { kk: 'Байтұрсынұлы көшесі', ru: 'ул. Байтурсынулы' }],
  },
  {
    kk: 'Әуезов ауданы',
    ru: 'Ауэзовский район',
    lat: 43.226,
    lon: 76.855,
    streets: [{ kk: 'Жандосов көшесі', ru: 'ул. Жандосова' }, { kk: 'Саина көшесі', ru: 'ул. Саина' }, { kk: 'Абай даңғылы', ru: 'пр. Абая' }, { kk: 'Төле би көшесі', ru: 'ул. Толе би' }],
  },
  {
    kk: 'Бостандық ауданы',
    ru: 'Бостандыкский район',
    lat: 43.214,
    lon: 76.918,
    streets: [{ kk: 'Әл-Фараби даңғылы', ru: 'пр. Аль-Фараби' }, { kk: 'Тимирязев көшесі', ru: 'ул. Тимирязева' }, { kk: 'Розыбакиев көшесі', ru: 'ул. Розыбакиева' }, { kk: 'Сәтбаев көшесі', ru: 'ул. Сатпаева' }],
  },
  {
    kk: 'Жетісу ауданы',
    ru: 'Жетысуский район',
    lat: 43.29,
    lon: 76.945,
    streets: [{ kk: 'Райымбек даңғылы', ru: 'пр. Райымбека' }, { kk: 'Сейфуллин даңғылы', ru: 'пр. Сейфуллина' }, { kk: 'Бекмаханов көшесі', ru: 'ул. Бекмаханова' }],
  },
  {
    kk: 'Медеу ауданы',
    ru: 'Медеуский район',
    lat: 43.248,
    lon: 76.975,
    streets: [{ kk: 'Достық даңғылы', ru: 'пр. Достык' }, { kk: 'Жібек жолы даңғылы', ru: 'пр. Жибек Жолы' }, { kk: 'Қабанбай батыр көшесі', ru: 'ул. Кабанбай батыра' }],
  },
  {
    kk: 'Наурызбай ауданы',
    ru: 'Наурызбайский район',
    lat: 43.195,
    lon: 76.79,
    streets: [{ kk: 'Жұнісов көшесі', ru: 'ул. Жунусова' }, { kk: 'Қарасай батыр көшесі', ru: 'ул. Карасай батыра' }, { kk: 'Шұғыла ықшамауданы', ru: 'мкр. Шугыла' }],
  },
  {
    kk: 'Түрксіб ауданы',
    ru: 'Турксибский район',
    lat: 43.33,
    lon: 76.955,
    streets: [{ kk: 'Сүйінбай даңғылы', ru: 'пр. Суюнбая' }, { kk: 'Майлин көшесі', ru: 'ул. Майлина' }, { kk: 'Бөкейхан көшесі', ru: 'ул. Бокейхана' }],
  },
];

/** A kindergarten's address and district in Kazakh and in Russian (migration 0070). */
function addresses(district: District, street: { kk: string; ru: string }, house: number) {
  return {
    district: district.kk,
    district_ru: district.ru,
    address: `Алматы қ., ${district.kk}, ${street.kk}, ${house}`,
    address_ru: `г. Алматы, ${district.ru}, ${street.ru}, ${house}`,
  };
}

const CATEGORY_NAMES: Record<string, { kk: string; ru: string }> = {
  speech: { kk: 'сөйлеу тілінде күрделі бұзылыстар бар', ru: 'с тяжёлыми нарушениями речи' },
  hearing: { kk: 'есту қабілеті бұзылған', ru: 'с нарушениями слуха' },
  vision: { kk: 'көру қабілеті бұзылған', ru: 'с нарушениями зрения' },
  intellect: { kk: 'зияты бұзылған', ru: 'с нарушениями интеллекта' },
  musculoskeletal: { kk: 'тірек-қимыл аппараты бұзылған', ru: 'с нарушениями опорно-двигательного аппарата' },
  autism: { kk: 'аутизм спектрі бұзылыстары бар', ru: 'с расстройствами аутистического спектра' },
};

const KINDERGARTEN_COUNT = 30;
const DEMO_NUMBER = 145;

/** A valid-looking BIN of an Almaty state institution registered in 20YY-MM. */
function binFor(r: () => number, used: Set<string>): string {
  for (;;) {
    const first11 = `${String(between(r, 1, 20)).padStart(2, '0')}${String(between(r, 1, 12)).padStart(2, '0')}40${String(between(r, 0, 99999)).padStart(5, '0')}`;
    const check = iinCheckDigit(first11);
    const bin = `${first11}${check ?? ''}`;
    if (check !== undefined && !used.has(bin)) {
      used.add(bin);
      return bin;
    }
  }
}

export async function seedDemo(db: Kysely<DB>, options: SeedOptions): Promise<SeedSummary> {
  const existing = await db.selectFrom('kindergartens').select('id').limit(1).execute();
  if (existing.length > 0)
    return { seeded: false, kindergartens: 0, applications: 0, offeredApplicationId: null };

  const r = rng(options.seed ?? 20260525);
  const now = options.now;
  const nowIso = now.toISOString();
  const demoKg = options.kindergarten ?? DEMO_KINDERGARTEN;
  const identities = options.identities ?? DEMO_IDENTITIES;
  const thisYear = now.getUTCFullYear();
  // Preschool group years: children of 1 to 6 years.
  const demoGroupYear = thisYear - 5;
  const groupYears = [thisYear - 6, thisYear - 5, thisYear - 4, thisYear - 3, thisYear - 2, thisYear - 1];

  // Kindergartens: № 145 (the demo head's BIN, speech) and 29 more across the districts.
  const usedBins = new Set([demoKg.bin]);
  const numbers = new Set<number>([DEMO_NUMBER]);
  while (numbers.size < KINDERGARTEN_COUNT) numbers.add(between(r, 2, 240));
  const kgRows = [...numbers].map((n, i) => {
    const district = ALMATY_DISTRICTS[i % ALMATY_DISTRICTS.length] as District;
    const main = n === DEMO_NUMBER ? 'speech' : (CATEGORIES[i % CATEGORIES.length] as string);
    const names = CATEGORY_NAMES[main] as { kk: string; ru: string };
    const language = n === DEMO_NUMBER || r() < 0.6 ? ('kk' as const) : ('ru' as const);
    // Every kind of special organisation, so the wizard's one-queue-per-kind rule can be tried;
    // № 145 stays a special kindergarten.
    const kind = n === DEMO_NUMBER ? 'special_kindergarten' : (ORGANISATION_KINDS[i % ORGANISATION_KINDS.length] as OrganisationKind);
    return {
      main,
      extra: r() < 0.35 ? pick(r, CATEGORIES) : null,
      row: {
        ...organisationNames(kind, n, names),
        kind,
        bin: n === DEMO_NUMBER ? demoKg.bin : binFor(r, usedBins),
        ...addresses(district, pick(r, district.streets), between(r, 1, 240)),
        phone: `+7 727 ${between(r, 220, 399)} ${String(between(r, 0, 99)).padStart(2, '0')} ${String(between(r, 0, 99)).padStart(2, '0')}`,
        website: `https://almaty-arnayy-bobekzhai-${n}.edu.kz`,
        language,
        lat: Math.round((district.lat + (r() - 0.5) * 0.03) * 1e6) / 1e6,
        lon: Math.round((district.lon + (r() - 0.5) * 0.04) * 1e6) / 1e6,
      },
    };
  });

  return db
    .transaction()
    .execute(async (trx) => {
      const kgIds: Array<{ id: number; bin: string; main: string; categories: string[] }> = [];
      for (const k of kgRows) {
        const { id } = await trx
          .insertInto('kindergartens')
          .values(k.row)
          .returning('id')
          .executeTakeFirstOrThrow();
        const cats = new Set([k.main, ...(k.extra ? [k.extra] : [])]);
        await insertChunked(
          trx,
          'kindergarten_categories',
          [...cats].map((category) => ({ kindergarten_id: id, category })),
        );
        kgIds.push({ id, bin: k.row.bin, main: k.main, categories: [...cats] });
      }

      // The demo people: applicants with applications in the demo kindergarten's queue.
      const usedIins = new Set(identities.map((i) => i.iin));
      const applicants = identities.filter((i) => i.role === 'individual');
      let demoApps = 0;
      for (const [index, who] of applicants.entries()) {
        const { id: applicantId } = await trx
          .insertInto('applicants')
          .values({
            iin: who.iin,
            last_name: cap(who.surname),
            first_name: cap(who.name),
            middle_name: cap(who.patronymic),
            birth_date: who.birthDate,
            phone: mobilePhone(r),
            email: null,
            address: 'Алматы қ., Бостандық ауданы, Әл-Фараби даңғылы, 17',
            actual_address: 'Алматы қ., Бостандық ауданы, Әл-Фараби даңғылы, 17',
            created_at: nowIso,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        // The first applicant's child is registered before anyone else in the queue and holds an
        // out-of-turn benefit, so the demo vacancy is offered to them.
        const kids = index === 0 ? 1 : 2;
        for (let k = 0; k < kids; k++) {
          const year = k === 0 ? demoGroupYear : demoGroupYear + 1;
          const birth = `${year}-01-${String(10 + index * 2 + k).padStart(2, '0')}`;
          const childIin = demoChildIin(birth, index * 10 + k, usedIins);
          const { id: childId } = await trx
            .insertInto('children')
            .values({
              iin: childIin,
              last_name: cap(who.surname),
              first_name: pick(r, ['Әлихан', 'Аружан', 'Ерасыл', 'Томирис']),
              middle_name: null,
              birth_date: birth,
              enrolled_in: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('pmpk_conclusions')
            .values({
              child_id: childId,
              category: 'speech',
              issued_on: `${thisYear - 1}-09-01`,
              valid_until: `${thisYear + 1}-08-31`,
            })
            .execute();
          const registered = `${year}-02-01T04:30:00.000Z`;
          const dequeued = index === 1 && k === 1;
          const { id: appId } = await trx
            .insertInto('applications')
            .values({
              number: `KDDO.${year}.${String(802010 + index * 10 + k)}.1`,
              applicant_id: applicantId,
              child_id: childId,
              guardian_name: `${cap(who.surname)} ${cap(who.name)} ${cap(who.patronymic)}`,
              category: 'speech',
              benefit_type: index === 0 ? 'out_of_turn' : 'none',
              benefit_kind: index === 0 ? 'military_family' : null,
              // Seeded benefits are history: confirmed when registered.
              benefit_confirmed_at: index === 0 ? registered : null,
              group_year: year,
              registered_at: registered,
              status: dequeued ? 'dequeued' : 'in_queue',
              status_changed_at: dequeued ? nowIso : registered,
              region: 'Алматы қ.',
              zup_number: `0212${String(400000 + index * 10 + k).padStart(8, '0')}`,
              tson_number: k === 0 ? `ЦОН-${1200300 + index}` : null,
              extra_email: null,
              extra_phone: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          if (dequeued) {
            await recordHistory(trx, {
              applicationId: appId,
              at: nowIso,
              event: 'dequeued',
              status: 'dequeued',
              actor: `applicant:${who.iin}`,
              details: { reason: 'Отбасы басқа қалаға көшті / Семья переехала' },
            });
          }
          demoApps++;
        }
      }

      const synthetic = await insertSyntheticApplications(trx, {
        count: options.applications ?? 3000,
        now,
        seed: (options.seed ?? 20260525) + 1,
        groupYears,
        usedIins,
        dequeuedShare: 0.04,
      });
      // #13: age groups everywhere, and children in № 145's (the staff groups list, the August moves).
      const groups = await seedDemoGroups(trx, {
        r,
        now,
        kindergartens: kgIds,
        demoKindergartenId: kgIds.find((k) => k.bin === demoKg.bin)?.id as number,
        usedIins,
      });
      return { kgIds, synthetic, demoApps: demoApps + groups.enrolled };
    })
    .then(async ({ kgIds, synthetic, demoApps }) => {
      // Vacancies go through the queue engine like any kindergarten's would.
      const engine = createQueueEngine({
        db,
        clock: { now: () => now },
        notifications: options.notifications,
      });
      const demo = await engine.publishVacancy({
        bin: demoKg.bin,
        groupYear: demoGroupYear,
        category: 'speech',
      });
      const others = kgIds.filter((k) => k.bin !== demoKg.bin).slice(0, 8);
      await engine.publishVacancies(
        others.map((k, i) => ({
          bin: k.bin,
          groupYear: groupYears[i % groupYears.length] as number,
          category: k.main,
        })),
      );
      return {
        seeded: true,
        kindergartens: kgIds.length,
        applications: synthetic + demoApps,
        offeredApplicationId: demo.offeredTo,
      };
    });
}

function cap(upper: string): string {
  return upper.charAt(0) + upper.slice(1).toLocaleLowerCase('kk');
}

function demoChildIin(birth: string, serial: number, used: Set<string>): string {
  const [y, m, d] = birth.split('-') as [string, string, string];
  for (let s = serial; ; s++) {
    const first11 = `${y.slice(2)}${m}${d}${5 + (s % 2)}${String(7000 + s).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    const iin = `${first11}${check ?? ''}`;
    if (check !== undefined && !used.has(iin)) {
      used.add(iin);
      return iin;
    }
  }
}

const ORGANISATION_KINDS = OrganisationKind.options;

/** The organisation's Kazakh and Russian names by its kind. */
function organisationNames(kind: OrganisationKind, n: number, names: { kk: string; ru: string }): { name_kk: string; name_ru: string } {
  const kk = {
    special_kindergarten: `«№ ${n} ${names.kk} балаларға арналған арнайы бөбекжай»`,
    rehabilitation_centre: `«№ ${n} ${names.kk} балаларға арналған оңалту орталығы»`,
    correction_cabinet: `«№ ${n} ${names.kk} балаларға арналған психологиялық-педагогикалық түзету кабинеті»`,
  }[kind];
  const ru = {
    special_kindergarten: `Специальный ясли-сад № ${n} для детей ${names.ru}`,
    rehabilitation_centre: `Реабилитационный центр № ${n} для детей ${names.ru}`,
    correction_cabinet: `Кабинет психолого-педагогической коррекции № ${n} для детей ${names.ru}`,
  }[kind];
  return {
    name_kk: `Алматы қаласы білім басқармасының ${kk} КММ`,
    name_ru: `КГУ «${ru}» Управления образования города Алматы`,
  };
}
