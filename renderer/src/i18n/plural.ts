/**
 * Texts with a number follow each language's plural rules (CLDR, through Intl.PluralRules): Kazakh
 * and English have "one" and "other", Russian "one", "few", "many" and "other" («1 рабочий день»,
 * «2 рабочих дня», «5 рабочих дней»). A dictionary's plural entry holds one text per category of
 * its language; `{count}` is filled with the number.
 */
import type { Language } from '../../../contract/contract.ts';

export type PluralCategory = Intl.LDMLPluralRule;
export type Plural = Partial<Record<PluralCategory, string>> & { other: string };

const TAGS: Record<Language, string> = { kk: 'kk', ru: 'ru', en: 'en' };
const rules = new Map<Language, Intl.PluralRules>();

function rulesFor(language: Language): Intl.PluralRules {
  let r = rules.get(language);
  if (!r) rules.set(language, (r = new Intl.PluralRules(TAGS[language])));
  return r;
}

/** The categories a language distinguishes (what its plural entries must hold). */
export function pluralCategories(language: Language): PluralCategory[] {
  return rulesFor(language).resolvedOptions().pluralCategories as PluralCategory[];
}

/** The text for `count` in `language`, `{count}` filled with the number. */
export function plural(language: Language, entry: Plural, count: number): string {
  const text = entry[rulesFor(language).select(count)] ?? entry.other;
  return text.replace(/\{count\}/g, String(count));
}
