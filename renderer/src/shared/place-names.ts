/**
 * Names, addresses and districts of organisations in the UI language (docs/domain.md, Names and
 * addresses in two languages): Kazakh in the Kazakh UI, Russian in the Russian and English ones,
 * and the Kazakh form where the portal has no Russian one.
 */
import type { Language } from '../../../contract/contract.ts';
import type { Vacancy } from '../../../protocol/portal-api.ts';

export const inUiLanguage = (language: Language, kk: string, ru: string | null): string => (language === 'kk' || !ru ? kk : ru);

/** An offer's or a referral's kindergarten: the portal sends both names. */
export const kindergartenName = (k: { kindergartenName: string; kindergartenNameRu: string }, language: Language) =>
  inUiLanguage(language, k.kindergartenName, k.kindergartenNameRu);

export const vacancyName = (v: Vacancy, language: Language) => inUiLanguage(language, v.name, v.nameRu);
export const vacancyAddress = (v: Vacancy, language: Language) => inUiLanguage(language, v.address, v.addressRu);
export const vacancyDistrict = (v: Vacancy, language: Language) => inUiLanguage(language, v.district, v.districtRu);

/**
 * A district filter's options: one per Kazakh district (the portal's key), labelled in the UI
 * language and sorted as that language sorts.
 */
export function districtOptions(places: ReadonlyArray<{ district: string; districtRu: string | null }>, language: Language): Array<{ key: string; label: string }> {
  return [...new Map(places.map((p) => [p.district, inUiLanguage(language, p.district, p.districtRu)])).entries()]
    .map(([key, label]) => ({ key, label }))
    .sort((a, b) => a.label.localeCompare(b.label, language));
}
