/**
 * The referral PDF ("Жолдама / Направление"), bilingual Kazakh and Russian. The font ships in
 * resources/fonts (DejaVu Sans covers Kazakh Cyrillic: Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І) so the product
 * does not depend on the OS. Rendering is deterministic for the same input (fixed metadata dates).
 */
import { fileURLToPath } from 'node:url';
import type { CorrectionalCategory } from '../../protocol/categories.ts';

const FONT_DIR = fileURLToPath(new URL('../../resources/fonts/', import.meta.url));

export interface ReferralPdfData {
  referralNumber: string;
  issuedAt: Date;
  confirmBy: Date | null;
  applicationNumber: string;
  child: { fullName: string; iin: string; birthDate: string | null };
  applicant: { fullName: string; iin: string };
  kindergarten: { nameKk: string; nameRu: string; address: string; addressRu: string | null; phone: string | null; language: string };
  category: string | null;
  /** Who signed the request: "COMMON NAME, IIN …, certificate serial …". */
  signedBy: string;
  /** SHA-256 (hex) of the signed request, so the paper copy can be tied to the XML. */
  requestSha256: string;
}

/** Numeric date-time in Almaty (dd.mm.yyyy hh:mm): the same in a Kazakh and a Russian sentence. */
const DATE = (d: Date): string =>
  new Intl.DateTimeFormat('ru-RU', { timeZone: 'Asia/Almaty', dateStyle: 'short', timeStyle: 'short' }).format(d).replace(',', '');
/** PMPK categories as people read them (Order No. 223). */
const CATEGORY: Record<CorrectionalCategory, string> & Record<string, string | undefined> = {
  speech: 'Сөйлеу тілінде кемістігі бар балалар / Дети с нарушениями речи',
  hearing: 'Есту қабілеті бұзылған балалар / Дети с нарушениями слуха',
  vision: 'Көру қабілеті бұзылған балалар / Дети с нарушениями зрения',
  intellect: 'Зияты бұзылған балалар / Дети с нарушениями интеллекта',
  musculoskeletal: 'Тірек-қимыл аппараты бұзылған балалар / Дети с нарушениями опорно-двигательного аппарата',
  autism: 'Аутистік спектрі бұзылған балалар / Дети с расстройствами аутистического спектра',
};
const LANGUAGE: Record<string, string> = { kk: 'қазақ тілі / казахский язык', ru: 'орыс тілі / русский язык' };

/** A calendar date (YYYY-MM-DD) as dd.MM.yyyy, like every date on the referral. */
const CALENDAR_DATE = (date: string): string => date.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3.$2.$1');

/** The referral's labelled lines (Kazakh label, Russian label, value), in print order. */
export function referralRows(data: ReferralPdfData): Array<[kk: string, ru: string, value: string]> {
  const rows: Array<[string, string, string]> = [
    ['Баланың аты-жөні', 'ФИО ребёнка', data.child.fullName],
    ['Баланың ЖСН', 'ИИН ребёнка', data.child.iin],
  ];
  if (data.child.birthDate) rows.push(['Туған күні', 'Дата рождения', CALENDAR_DATE(data.child.birthDate)]);
  rows.push(['Өтініш нөмірі', 'Номер заявления', data.applicationNumber]);
  if (data.category) rows.push(['Санаты', 'Категория', CATEGORY[data.category] ?? data.category]);
  rows.push(
    ['Мектепке дейінгі ұйым', 'Дошкольная организация', `${data.kindergarten.nameKk}\n${data.kindergarten.nameRu}`],
    // Both forms like the name, the Russian one where the portal has it (docs/domain.md, Names and addresses in two languages).
    ['Мекенжайы', 'Адрес', [data.kindergarten.address, data.kindergarten.addressRu].filter(Boolean).join('\n')],
  );
  if (data.kindergarten.phone) rows.push(['Телефоны', 'Телефон', data.kindergarten.phone]);
  rows.push(
    ['Оқыту тілі', 'Язык обучения', LANGUAGE[data.kindergarten.language] ?? data.kindergarten.language],
    ['Өтініш беруші', 'Заявитель', `${data.applicant.fullName}, ЖСН/ИИН ${data.applicant.iin}`],
  );
  return rows;
}

export async function renderReferralPdf(data: ReferralPdfData): Promise<Buffer> {
  // Loaded on the first referral, not when the portal starts: pdfkit alone was a fifth of `npm start`.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `Жолдама / Направление ${data.referralNumber}`,
      Author: 'Joldama',
      CreationDate: data.issuedAt,
      ModDate: data.issuedAt,
    },
  });
  doc.registerFont('regular', `${FONT_DIR}DejaVuSans.ttf`);
  doc.registerFont('bold', `${FONT_DIR}DejaVuSans-Bold.ttf`);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('bold').fontSize(15).text('ЖОЛДАМА', { align: 'center' });
  doc.font('regular').fontSize(11).text('балаларға арналған арнайы (коррекциялық) мектепке дейінгі ұйымға', { align: 'center' });
  doc.moveDown(0.3);
  doc.font('bold').fontSize(15).text('НАПРАВЛЕНИЕ', { align: 'center' });
  doc.font('regular').fontSize(11).text('в специальную (коррекционную) дошкольную организацию для детей', { align: 'center' });
  doc.moveDown(0.5).fontSize(10).text(`№ ${data.referralNumber}    ${DATE(data.issuedAt)}`, { align: 'center' });
  doc.moveDown(1.2);

  const row = (kk: string, ru: string, value: string): void => {
    doc.font('bold').fontSize(9).fillColor('#444').text(`${kk} / ${ru}`);
    doc.font('regular').fontSize(11).fillColor('#000').text(value || '—');
    doc.moveDown(0.5);
  };
  for (const [kk, ru, value] of referralRows(data)) row(kk, ru, value);
  if (data.confirmBy) {
    doc.moveDown(0.5).font('bold').fontSize(10);
    doc.text(`Жолдаманы ұйымға ${DATE(data.confirmBy)} дейін ұсыну қажет (5 жұмыс күні).`);
    doc.text(`Направление необходимо предъявить в организацию до ${DATE(data.confirmBy)} (5 рабочих дней).`);
  }
  doc.moveDown(1.5).font('regular').fontSize(8).fillColor('#444');
  doc.text(`Сұрау ЭЦҚ-мен қол қойылған / Запрос подписан ЭЦП: ${data.signedBy}`);
  doc.text(`SHA-256: ${data.requestSha256}`);
  doc.end();
  return done;
}
