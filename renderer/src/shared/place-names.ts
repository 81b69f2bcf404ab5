/**
 * Names, addresses and districts of organisations in the UI language (docs/domain.md, Names and
 * addresses in two languages): Kazakh in the Kazakh UI, Russian in the Russian and English ones,
 * and the Kazakh form where the portal has no Russian one.
 */
import type { Language } from '../../../contract/contract.ts';
import type { Vacancy } from '../../../protocol/portal-api.ts';

export const inUiLanguage = (language: Language, kk: string, ru: string | null): string => (language === 'kk' || !ru ? kk : ru);

export const vacancyName = (v: Vacancy, language: Language) => inUiLanguage(language, v.name, v.nameRu);
export const vacancyAddress = (v: Vacancy, language: Language) => inUiLanguage(language, v.address, v.addressRu);
export const vacancyDistrict = (v: Vacancy, language: Language) => inUiLanguage(language, v.district, v.districtRu);
