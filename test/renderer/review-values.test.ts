/** The wizard's review (docs/applications.md, step 6): the signed document's codes in readable words. */
import { describe, expect, it } from 'vitest';
import { reviewValue, type ReviewLookups } from '../../renderer/src/features/apply/review-values.ts';
import { dictionaries } from '../../renderer/src/i18n/index.ts';

const lookups: ReviewLookups = {
  regions: [{ id: 'almaty-city', name: { kk: 'Алматы қаласы', ru: 'город Алматы', en: 'Almaty city' } }],
  services: [
    {
      id: 'special_organisation',
      title: { kk: 'Арнайы ұйымдарға қабылдау', ru: 'Прием в специальные организации', en: 'Enrolment in special organisations' },
      description: { kk: '', ru: '', en: '' },
      availability: 'wizard',
      whereToGo: null,
    },
  ],
  organisations: [
    { id: '3', nameKk: '№ 145 арнайы балабақша', nameRu: 'Специальный детский сад № 145', kind: 'special_kindergarten', district: 'Алмалы', address: '', districtRu: null, addressRu: null, language: 'kk', categories: ['speech'] },
  ],
  proof: { id: '7', filename: 'certificate.png' },
};

describe('reviewValue', () => {
  it('shows names, words and dates in the reader’s language instead of the codes', () => {
    const en = dictionaries.en;
    const show = (field: Parameters<typeof reviewValue>[0], value: string, lang: 'kk' | 'ru' | 'en' = 'en') =>
      reviewValue(field, value, dictionaries[lang], lang, lookups);
    expect(show('service', 'special_organisation')).toBe('Enrolment in special organisations');
    expect(show('region', 'almaty-city', 'ru')).toBe('город Алматы');
    expect(show('consentRules', 'yes')).toBe(en.apply.yes);
    expect(show('notifyEmail', 'no')).toBe(en.apply.no);
    expect(show('organisationIds', '3', 'kk')).toBe(`№ 145 арнайы балабақша (${dictionaries.kk.apply.kinds.special_kindergarten})`);
    expect(show('category', 'speech')).toBe(en.categories.speech);
    expect(show('benefitType', 'priority')).toBe(en.benefitTypes.priority);
    expect(show('benefitKind', 'large_family')).toBe(en.apply.benefitKinds.large_family);
    expect(show('benefitProofId', '7')).toBe('certificate.png');
    expect(show('notifyLanguage', 'ru')).toBe(en.languages.ru);
    expect(show('requestedAt', '2026-12-02T05:00:00.000Z')).toMatch(/^02\.12\.2026/);
  });

  it('keeps what it cannot name, and the values that are already readable', () => {
    const show = (field: Parameters<typeof reviewValue>[0], value: string) =>
      reviewValue(field, value, dictionaries.en, 'en', lookups);
    expect(show('organisationIds', '3,99')).toBe(`Специальный детский сад № 145 (Special kindergarten); 99`);
    expect(show('childIin', '220315500013')).toBe('220315500013');
    expect(show('phone', '+77011112233')).toBe('+77011112233');
  });
});
