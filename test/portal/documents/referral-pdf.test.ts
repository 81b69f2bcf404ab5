import { describe, expect, it } from 'vitest';
import { referralRows, renderReferralPdf, type ReferralPdfData } from '../../../portal/documents/referral-pdf.ts';

const data: ReferralPdfData = {
  referralNumber: 'KDDO.2021.802010.1/7',
  issuedAt: new Date('2026-12-15T05:00:00Z'),
  confirmBy: new Date('2026-12-22T19:00:00Z'),
  applicationNumber: 'KDDO.2021.802010.1',
  child: { fullName: 'Әбілова Айсұлу', iin: '210513600014', birthDate: '2021-05-13' },
  applicant: { fullName: 'Әбілов Дәурен', iin: '900702304562' },
  kindergarten: { nameKk: '№ 145 балабақша', nameRu: 'Детский сад № 145', address: 'Алматы қ., Медеу ауданы, Достық даңғылы, 5', addressRu: 'г. Алматы, Медеуский район, пр. Достык, 5', phone: null, language: 'kk' },
  category: 'speech',
  signedBy: 'ӘБІЛОВ ДӘУРЕН',
  requestSha256: '00',
};

describe('the referral PDF', () => {
  it('writes the birth date as dd.MM.yyyy', () => {
    expect(referralRows(data)).toContainEqual(['Туған күні', 'Дата рождения', '13.05.2021']);
  });

  it('gives the address in both languages, or the Kazakh one alone where there is no Russian one', () => {
    expect(referralRows(data)).toContainEqual(['Мекенжайы', 'Адрес', 'Алматы қ., Медеу ауданы, Достық даңғылы, 5\nг. Алматы, Медеуский район, пр. Достык, 5']);
    const kazakhOnly = { ...data, kindergarten: { ...data.kindergarten, addressRu: null } };
    expect(referralRows(kazakhOnly)).toContainEqual(['Мекенжайы', 'Адрес', 'Алматы қ., Медеу ауданы, Достық даңғылы, 5']);
  });

  it('renders a PDF', async () => {
    const pdf = await renderReferralPdf(data);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
