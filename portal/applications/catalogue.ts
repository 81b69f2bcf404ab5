/**
 * The regions and the service list the applicant chooses from before the wizard
 * (docs/applications.md, Services). The portal takes applications for one service, enrolment in
 * special organisations; the others are listed with where to apply for them.
 */
import type { Region, Service } from '../../protocol/application-api.ts';

const n = (kk: string, ru: string, en: string) => ({ kk, ru, en });

export const REGIONS: readonly Region[] = [
  { id: 'almaty-city', name: n('Алматы қ.', 'г. Алматы', 'Almaty city') },
  { id: 'astana-city', name: n('Астана қ.', 'г. Астана', 'Astana city') },
  { id: 'shymkent-city', name: n('Шымкент қ.', 'г. Шымкент', 'Shymkent city') },
  { id: 'abai', name: n('Абай облысы', 'Абайская область', 'Abai region') },
  { id: 'akmola', name: n('Ақмола облысы', 'Акмолинская область', 'Akmola region') },
  { id: 'aktobe', name: n('Ақтөбе облысы', 'Актюбинская область', 'Aktobe region') },
  { id: 'almaty', name: n('Алматы облысы', 'Алматинская область', 'Almaty region') },
  { id: 'atyrau', name: n('Атырау облысы', 'Атырауская область', 'Atyrau region') },
  {
    id: 'east-kazakhstan',
    name: n('Шығыс Қазақстан облысы', 'Восточно-Казахстанская область', 'East Kazakhstan region'),
  },
  { id: 'zhambyl', name: n('Жамбыл облысы', 'Жамбылская область', 'Zhambyl region') },
  { id: 'zhetysu', name: n('Жетісу облысы', 'Область Жетісу', 'Zhetysu region') },
  {
    id: 'west-kazakhstan',
    name: n('Батыс Қазақстан облысы', 'Западно-Казахстанская область', 'West Kazakhstan region'),
  },
  { id: 'karaganda', name: n('Қарағанды облысы', 'Карагандинская область', 'Karaganda region') },
  { id: 'kostanay', name: n('Қостанай облысы', 'Костанайская область', 'Kostanay region') },
  { id: 'kyzylorda', name: n('Қызылорда облысы', 'Кызылординская область', 'Kyzylorda region') },
  { id: 'mangystau', name: n('Маңғыстау облысы', 'Мангистауская область', 'Mangystau region') },
  { id: 'pavlodar', name: n('Павлодар облысы', 'Павлодарская область', 'Pavlodar region') },
  {
    id: 'north-kazakhstan',
    name: n('Солтүстік Қазақстан облысы', 'Северо-Казахстанская область', 'North Kazakhstan region'),
  },
  { id: 'turkistan', name: n('Түркістан облысы', 'Туркестанская область', 'Turkistan region') },
  { id: 'ulytau', name: n('Ұлытау облысы', 'Область Ұлытау', 'Ulytau region') },
];

export const regionById = (id: string): Region | undefined => REGIONS.find((r) => r.id === id);

const EDUCATION_OFFICE = n(
  'Тұрғылықты жері бойынша білім басқармасына немесе «Азаматтарға арналған үкімет» мемлекеттік корпорациясына жүгініңіз.',
  'Обратитесь в управление образования по месту жительства или в Госкорпорацию «Правительство для граждан».',
  'Apply to the education department where you live or to the State Corporation "Government for Citizens".',
);

/** The seed's five services, in its order. */
export const SERVICES: readonly Service[] = [
  {
    id: 'pmpk_booking',
    title: n(
      'ПМПК-ға тексеруге жазылу (қабылдау үшін)',
      'Запись на обследование в ПМПК (для зачисления)',
      'PMPK examination booking (for enrolment)',
    ),
    description: n(
      'ПМПК қорытындысын алу және арнайы ұйымға қабылдану үшін психологиялық-медициналық-педагогикалық консультацияға онлайн жазылу',
      'Онлайн-запись на прием и обследование в психолого-медико-педагогическую консультацию для получения заключения ПМПК на зачисление в специальную организацию',
      'Online booking of an examination by the psychological-medical-pedagogical commission, for its conclusion on enrolment in a special organisation',
    ),
    availability: 'pmpk',
    whereToGo: null,
  },
  {
    id: 'special_organisation',
    title: n(
      'Арнайы білім беру ұйымдарына қабылдау',
      'Зачисление в специальные организации образования',
      'Enrolment in special education organisations',
    ),
    description: n(
      'Мүмкіндіктері шектеулі балаларды арнайы жалпы білім беретін оқу бағдарламалары бойынша оқыту үшін арнайы білім беру ұйымдарына құжаттарды қабылдау және қабылдау',
      'Прием документов и зачисление в специальные организации образования детей с ограниченными возможностями для обучения по специальным общеобразовательным учебным программам',
      'Documents and enrolment of children with special needs in special education organisations',
    ),
    availability: 'wizard',
    whereToGo: null,
  },
  {
    id: 'home_schooling',
    title: n('Үйде оқытуды ұсыну', 'Предоставление обучения на дому', 'Home schooling'),
    description: n('Үйде оқытуды ұйымдастыру', 'Организация обучения на дому', 'Arranging schooling at home'),
    availability: 'elsewhere',
    whereToGo: EDUCATION_OFFICE,
  },
  {
    id: 'pmpk_conclusion',
    title: n(
      'Тексеруден өтпей ПМПК қорытындысын алу',
      'Заключение ПМПК без прохождения обследования',
      'PMPK conclusion without examination',
    ),
    description: n(
      'Басқа әлеуметтік қызметтерді алу үшін мүмкіндіктері шектеулі адамдарға тексеруден өтпей ПМПК қорытындысын алуға онлайн жазылу',
      'Онлайн-запись для получения заключения ПМПК без прохождения обследования для лиц с ограниченными возможностями с целью получения других социальных услуг',
      'Online request for a PMPK conclusion without examination, for other social services',
    ),
    availability: 'elsewhere',
    whereToGo: n(
      'Тұрғылықты жеріңіздегі ПМПК-ға жүгініңіз.',
      'Обратитесь в ПМПК по месту жительства.',
      'Apply to the PMPK where you live.',
    ),
  },
  {
    id: 'rehabilitation',
    title: n(
      'Балалар мен жасөспірімдерді оңалту және әлеуметтік бейімдеу',
      'Реабилитация и социальная адаптация детей и подростков',
      'Rehabilitation and social adaptation of children and adolescents',
    ),
    description: n(
      'Оңалту орталықтары мен психологиялық-педагогикалық түзету кабинеттерінде ерекше білім беру қажеттіліктері бар балаларды қолдау және оңалту курсына жазылу',
      'Запись на прохождение курса психолого-медико-педагогической поддержки и реабилитации детей с особыми образовательными потребностями на базе реабилитационных центров и кабинетов психолого-педагогической коррекции',
      'Booking a course of support and rehabilitation for children with special educational needs at rehabilitation centres and correction cabinets',
    ),
    availability: 'elsewhere',
    whereToGo: n(
      'Жақын оңалту орталығына жүгініңіз.',
      'Обратитесь в ближайший реабилитационный центр.',
      'Apply to the nearest rehabilitation centre.',
    ),
  },
];
