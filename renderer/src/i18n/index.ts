/** The three UI languages, their dictionaries, and placeholder filling. Pure: no React here. */
import type { Language } from '../../../contract/contract.ts';
import { en } from './en.ts';
import { kk, type Dictionary } from './kk.ts';
import { ru } from './ru.ts';

export type { Dictionary, Language };

export const dictionaries: Record<Language, Dictionary> = { kk, ru, en };

export const DEFAULT_LANGUAGE: Language = 'kk';

/** Each language named in itself, for the switcher. */
export const languageNames: Record<Language, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };

/** BCP 47 tags for the `lang` attribute (screen readers pick their voice from it). */
export const languageTags: Record<Language, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en' };

/** Fill `{name}` placeholders; an unknown placeholder is left as written, so a gap is visible. */
export function interpolate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole,
  );
}
