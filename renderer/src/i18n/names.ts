/**
 * The portal's codes (statuses, benefit types, categories, languages, ...) in the reader's words.
 * A code without a translation is shown as it is (a new portal value stays visible, not blank).
 */
import type { Dictionary } from './index.ts';

function lookup(table: Record<string, string>, code: string | null | undefined): string {
  if (!code) return '';
  return Object.prototype.hasOwnProperty.call(table, code) ? (table[code] as string) : code;
}

export const statusName = (t: Dictionary, code: string) => lookup(t.statuses, code);
export const benefitName = (t: Dictionary, code: string | null) => lookup(t.benefitTypes, code);
export const categoryName = (t: Dictionary, code: string | null) => lookup(t.categories, code);
export const queueTypeName = (t: Dictionary, code: string) => lookup(t.queueTypes, code);
export const languageName = (t: Dictionary, code: string) => lookup(t.languages, code);
export const placeTypeName = (t: Dictionary, code: string | null) => lookup(t.vacancies.placeTypes, code);
export const historyEventName = (t: Dictionary, code: string | null) => lookup(t.history.events, code);
export const documentKindName = (t: Dictionary, code: string) => lookup(t.documents.kinds, code);
