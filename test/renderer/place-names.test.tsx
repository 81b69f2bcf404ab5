/**
 * A vacancy's name, address and district in the UI language (docs/domain.md, Names and addresses in
 * two languages): Kazakh in kk, Russian in ru and en, Kazakh where the portal has no Russian form;
 * and the district filters' options (the vacancy list's and the application wizard's).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../contract/contract.ts';
import type { Vacancy } from '../../protocol/portal-api.ts';
import { VacancyCard } from '../../renderer/src/features/vacancies/VacancyCard.tsx';
import { districtOptions, kindergartenName } from '../../renderer/src/shared/place-names.ts';
import { I18nContext } from '../../renderer/src/i18n/context.tsx';
import { dictionaries } from '../../renderer/src/i18n/index.ts';

const vacancy: Vacancy = {
  offerId: '1',
  kind: 'personal',
  kindergartenId: '7',
  name: '№ 7 арнайы бөбекжай',
  nameRu: 'Специальный ясли-сад № 7',
  district: 'Медеу ауданы',
  districtRu: 'Медеуский район',
  phone: null,
  type: 'correctional',
  address: 'Алматы қ., Медеу ауданы, Достық даңғылы, 5',
  addressRu: 'г. Алматы, Медеуский район, пр. Достык, 5',
  language: 'kk',
  placeType: null,
  website: null,
  location: null,
};

const card = (language: Language, v: Vacancy) =>
  renderToStaticMarkup(
    createElement(
      I18nContext.Provider,
      { value: { language, t: dictionaries[language], setLanguage: null } },
      createElement(VacancyCard, { vacancy: v, chosen: false, onChoose: () => {} }),
    ),
  );

describe('a vacancy card in each UI language', () => {
  it('shows the Kazakh forms in kk and the Russian ones in ru and en', () => {
    const kk = card('kk', vacancy);
    expect(kk).toContain(vacancy.address);
    expect(kk).toContain('Медеу ауданы');
    expect(kk).not.toContain('Медеуский');
    for (const language of ['ru', 'en'] as const) {
      const html = card(language, vacancy);
      expect(html).toContain(vacancy.addressRu);
      expect(html).toContain(vacancy.nameRu);
      expect(html).not.toContain('Медеу ауданы');
      expect(html).not.toContain(vacancy.name);
    }
  });

  it('falls back to the Kazakh forms where the portal has no Russian ones', () => {
    const html = card('ru', { ...vacancy, addressRu: null, districtRu: null });
    expect(html).toContain(vacancy.address);
    expect(html).toContain('Медеу ауданы');
  });
});

describe("a district filter's options", () => {
  const places = [
    { district: 'Медеу ауданы', districtRu: 'Медеуский район' },
    { district: 'Алмалы ауданы', districtRu: 'Алмалинский район' },
    { district: 'Медеу ауданы', districtRu: 'Медеуский район' },
    { district: 'Бостандық ауданы', districtRu: null },
  ];

  it('keys each district by its Kazakh name, once, labelled and sorted in the UI language', () => {
    expect(districtOptions(places, 'kk')).toEqual([
      { key: 'Алмалы ауданы', label: 'Алмалы ауданы' },
      { key: 'Бостандық ауданы', label: 'Бостандық ауданы' },
      { key: 'Медеу ауданы', label: 'Медеу ауданы' },
    ]);
    for (const language of ['ru', 'en'] as const) {
      expect(districtOptions(places, language)).toEqual([
        { key: 'Алмалы ауданы', label: 'Алмалинский район' },
        // No Russian name: the Kazakh one.
        { key: 'Бостандық ауданы', label: 'Бостандық ауданы' },
        { key: 'Медеу ауданы', label: 'Медеуский район' },
      ]);
    }
  });
});

describe("an offer's or a referral's kindergarten", () => {
  const offer = { kindergartenName: '№ 145 арнайы бөбекжай', kindergartenNameRu: 'Специальный ясли-сад № 145' };

  it('is named in Kazakh in kk and in Russian in ru and en', () => {
    expect(kindergartenName(offer, 'kk')).toBe(offer.kindergartenName);
    expect(kindergartenName(offer, 'ru')).toBe(offer.kindergartenNameRu);
    expect(kindergartenName(offer, 'en')).toBe(offer.kindergartenNameRu);
  });
});
