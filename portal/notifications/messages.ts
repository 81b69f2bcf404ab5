/** Notification texts in Kazakh and Russian, by event kind. */
import type { NotificationKind } from '../queue/notifications.ts';

type Language = 'kk' | 'ru';

export interface MessageFacts {
  applicationNumber: string;
  kindergartenName?: string;
  /** Deadline already formatted for people: the last day of the period (local date), inclusive. */
  deadline?: string;
  /** The age group's name in the message's language (the August moves). */
  groupName?: string;
  /** The PMPK conclusion's last valid day, formatted for people. */
  validUntil?: string;
}

const TEXTS: Record<NotificationKind, Record<Language, (f: MessageFacts) => { subject: string; body: string }>> = {
  offer_made: {
    kk: (f) => ({
      subject: 'Балабақшада орын бар',
      body: `№${f.applicationNumber} өтініш бойынша кезегіңіз келді: ${f.kindergartenName ?? 'балабақшада'} орын ұсынылды. ${f.deadline ? `${f.deadline} дейін ` : ''}жеке кабинетте балабақшаны таңдаңыз.`,
    }),
    ru: (f) => ({
      subject: 'Есть место в детском саду',
      body: `Подошла очередь по заявлению №${f.applicationNumber}: предложено место${f.kindergartenName ? ` в ${f.kindergartenName}` : ''}. Выберите детский сад в личном кабинете${f.deadline ? ` до ${f.deadline}` : ''}.`,
    }),
  },
  offer_lapsed: {
    kk: (f) => ({ subject: 'Ұсыныс мерзімі өтті', body: `№${f.applicationNumber} өтініш бойынша ұсыныс мерзімі өтті; бала кезекте қалады.` }),
    ru: (f) => ({ subject: 'Срок предложения истёк', body: `Срок предложения по заявлению №${f.applicationNumber} истёк; ребёнок остаётся в очереди.` }),
  },
  offer_withdrawn: {
    kk: (f) => ({
      subject: 'Орын ұсынысы жойылды',
      body: `${f.kindergartenName ?? 'Балабақша'} №${f.applicationNumber} өтініш бойынша ұсынылған орынды қайтарып алды; бала кезектегі орнында қалады.`,
    }),
    ru: (f) => ({
      subject: 'Предложение места отменено',
      body: `${f.kindergartenName ?? 'Детский сад'} отозвал место, предложенное по заявлению №${f.applicationNumber}; ребёнок сохраняет своё место в очереди.`,
    }),
  },
  referral_issued: {
    kk: (f) => ({
      subject: 'Жолдама берілді',
      body: `№${f.applicationNumber} өтініш бойынша ${f.kindergartenName ?? ''} жолдама берілді. Жолдаманы «Жалпы құжаттар» бөлімінен жүктеп алыңыз${f.deadline ? ` және ${f.deadline} дейін балабақшаға апарыңыз` : ''}.`,
    }),
    ru: (f) => ({
      subject: 'Направление выдано',
      body: `По заявлению №${f.applicationNumber} выдано направление${f.kindergartenName ? ` в ${f.kindergartenName}` : ''}. Скачайте его в разделе «Общие документы»${f.deadline ? ` и предъявите в детский сад до ${f.deadline}` : ''}.`,
    }),
  },
  referral_confirmed: {
    kk: (f) => ({ subject: 'Бала балабақшаға қабылданды', body: `№${f.applicationNumber} өтініш бойынша бала балабақшаға қабылданды.` }),
    ru: (f) => ({ subject: 'Ребёнок зачислен', body: `По заявлению №${f.applicationNumber} ребёнок зачислен в детский сад.` }),
  },
  referral_cancelled: {
    kk: (f) => ({ subject: 'Жолдама жойылды', body: `№${f.applicationNumber} өтініш бойынша жолдама мерзімінде ұсынылмағандықтан жойылды.` }),
    ru: (f) => ({ subject: 'Направление аннулировано', body: `Направление по заявлению №${f.applicationNumber} аннулировано: оно не было предъявлено в срок.` }),
  },
  benefit_lapsed: {
    kk: (f) => ({
      subject: 'Жеңілдік расталмады',
      body: `№${f.applicationNumber} өтініш бойынша жеңілдік белгіленген мерзімде${f.deadline ? ` (${f.deadline} дейін)` : ''} расталмады: өтініш жалпы кезекке бастапқы тіркелу күнімен қайтарылды.`,
    }),
    ru: (f) => ({
      subject: 'Льгота не подтверждена',
      body: `Льгота по заявлению №${f.applicationNumber} не подтверждена в срок${f.deadline ? ` (до ${f.deadline} включительно)` : ''}: заявление возвращено в общую очередь с исходной датой регистрации.`,
    }),
  },
  dequeued: {
    kk: (f) => ({ subject: 'Өтініш кезектен алынды', body: `№${f.applicationNumber} өтініш кезектен алынды.` }),
    ru: (f) => ({ subject: 'Заявление снято с очереди', body: `Заявление №${f.applicationNumber} снято с очереди.` }),
  },
  aged_out: {
    kk: (f) => ({
      subject: 'Өтініш кезектен алынды: бала мектеп жасына толды',
      body: `Кезекті жыл сайынғы жаңарту: бала 1 қыркүйекке дейін мектеп жасына толатындықтан, №${f.applicationNumber} өтініш кезектен алынды.`,
    }),
    ru: (f) => ({
      subject: 'Заявление снято с очереди: ребёнок достиг школьного возраста',
      body: `Ежегодное обновление очереди: заявление №${f.applicationNumber} снято с очереди, так как к 1 сентября ребёнок достигает школьного возраста.`,
    }),
  },
  // #13: the August moves and PMPK conclusion reminders
  group_moved: {
    kk: (f) => ({
      subject: 'Бала келесі жас тобына ауыстырылды',
      body: `Жас топтары арасындағы тамыз айындағы ауыстыру: №${f.applicationNumber} өтініш бойынша бала жаңа топқа ауыстырылды: ${f.groupName ?? ''}${f.kindergartenName ? ` (${f.kindergartenName})` : ''}.`,
    }),
    ru: (f) => ({
      subject: 'Ребёнок переведён в следующую возрастную группу',
      body: `Августовский перевод между возрастными группами: по заявлению №${f.applicationNumber} ребёнок переведён в новую группу: ${f.groupName ?? ''}${f.kindergartenName ? ` (${f.kindergartenName})` : ''}.`,
    }),
  },
  group_full: {
    kk: (f) => ({
      subject: 'Келесі жас тобында орын жоқ',
      body: `№${f.applicationNumber} өтініш бойынша: келесі жас тобында (${f.groupName ?? ''}) бос орын жоқ, сондықтан бала өз тобында қалады. Толығырақ балабақшадан біліңіз${f.kindergartenName ? ` (${f.kindergartenName})` : ''}.`,
    }),
    ru: (f) => ({
      subject: 'В следующей возрастной группе нет мест',
      body: `По заявлению №${f.applicationNumber}: в следующей возрастной группе (${f.groupName ?? ''}) нет свободных мест, поэтому ребёнок остаётся в своей группе. Подробности узнайте в детском саду${f.kindergartenName ? ` (${f.kindergartenName})` : ''}.`,
    }),
  },
  pmpk_expiring: {
    kk: (f) => ({
      subject: 'ПМПК қорытындысының мерзімі аяқталуда',
      body: `№${f.applicationNumber} өтініш бойынша баланың ПМПК қорытындысы ${f.validUntil ?? ''} дейін жарамды. Бала орын ала алуы үшін жаңа тексеруге алдын ала жазылыңыз.`,
    }),
    ru: (f) => ({
      subject: 'Срок заключения ПМПК истекает',
      body: `По заявлению №${f.applicationNumber} заключение ПМПК ребёнка действительно по ${f.validUntil ?? ''} включительно. Запишитесь на новое обследование заранее, чтобы ребёнок мог получить место.`,
    }),
  },
  pmpk_expired: {
    kk: (f) => ({
      subject: 'ПМПК қорытындысының мерзімі өтті',
      body: `№${f.applicationNumber} өтініш бойынша баланың ПМПК қорытындысының мерзімі ${f.validUntil ?? ''} өтті. Жаңа қорытынды болғанша бала кезектегі орнын сақтайды, бірақ орын ұсынылмайды.`,
    }),
    ru: (f) => ({
      subject: 'Срок заключения ПМПК истёк',
      body: `По заявлению №${f.applicationNumber} заключение ПМПК ребёнка действовало по ${f.validUntil ?? ''}. До нового заключения ребёнок сохраняет место в очереди, но место в группе ему не предлагается.`,
    }),
  },
};

export function renderMessage(kind: NotificationKind, language: Language, facts: MessageFacts): { subject: string; body: string } {
  return TEXTS[kind][language](facts);
}
