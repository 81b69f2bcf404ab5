/** The current language, its dictionary, and how to change it, for components. */
import { createContext, useContext } from 'react';
import { DEFAULT_LANGUAGE, dictionaries, type Dictionary, type Language } from './index.ts';

export interface I18n {
  language: Language;
  t: Dictionary;
  /** null when an administrator has locked the language. */
  setLanguage: ((language: Language) => void) | null;
  /** The languages offered (an administrator's policy may allow fewer); default all three. */
  languages?: readonly Language[];
}

export const I18nContext = createContext<I18n>({
  language: DEFAULT_LANGUAGE,
  t: dictionaries[DEFAULT_LANGUAGE],
  setLanguage: null,
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}
