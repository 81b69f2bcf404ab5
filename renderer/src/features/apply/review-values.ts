/**
 * The review page's readable values (docs/applications.md, step 6): each field of the document
 * main will sign, in the reader's language — the region's and organisations' names, the
 * category, yes/no — instead of the codes the document carries.
 */
import type { ApplicationDocument } from '../../../../protocol/application-document.ts';
import type { Organisation, Region, Service } from '../../../../protocol/application-api.ts';
import type { Dictionary, Language } from '../../i18n/index.ts';
import { formatDateTime } from '../../format.ts';

export interface ReviewLookups {
  regions: readonly Region[];
  services: readonly Service[];
  organisations: readonly Organisation[];
  /** The uploaded proof's id and file name, from the draft. */
  proof?: { id: string; filename: string };
}

const YES_NO = new Set<keyof ApplicationDocument>([
  'consentRules',
  'consentPersonalData',
  'consentContacts',
  'notify',
  'notifySms',
  'notifyEmail',
]);

/** `value` of `field` as a reader reads it; the value itself when nothing better is known. */
export function reviewValue(
  field: keyof ApplicationDocument,
  value: string,
  t: Dictionary,
  language: Language,
  lookups: ReviewLookups,
): string {
  const word = (words: Record<string, string>) => words[value] ?? value;
  if (YES_NO.has(field)) return value === 'yes' ? t.apply.yes : t.apply.no;
  switch (field) {
    case 'service':
      return lookups.services.find((s) => s.id === value)?.title[language] ?? value;
    case 'region':
      return lookups.regions.find((r) => r.id === value)?.name[language] ?? value;
    case 'organisationIds':
      return value
        .split(',')
        .map((id) => {
          const o = lookups.organisations.find((x) => x.id === id);
          return o ? `${language === 'kk' ? o.nameKk : o.nameRu} (${t.apply.kinds[o.kind]})` : id;
        })
        .join('; ');
    case 'category':
      return word(t.categories);
    case 'benefitType':
      return word(t.benefitTypes);
    case 'benefitKind':
      return word(t.apply.benefitKinds);
    case 'benefitProofId':
      return lookups.proof?.id === value ? lookups.proof.filename : value;
    case 'notifyLanguage':
      return word(t.languages);
    case 'requestedAt':
      return formatDateTime(value);
    default:
      return value;
  }
}
