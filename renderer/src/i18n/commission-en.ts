/** The PMPK commission's view (#14, docs/pmpk.md Conclusions) in English. */
import type { commissionErrorsKk, commissionKk } from './commission-kk.ts';

export const commissionEn: typeof commissionKk = {
  title: 'PMPK: examinations and conclusions',
  intro: 'The schedule of examinations children are booked for, and recording the commission’s conclusion.',
  scheduleTitle: 'Examination schedule',
  scheduleEmpty: 'No examinations are planned from today on.',
  time: 'Date and time',
  child: 'Child',
  childIin: 'Child’s IIN',
  application: 'Application',
  noApplication: 'None yet',
  conclude: 'Record a conclusion',
  concludeFor: '{child}: record a conclusion',
  formTitle: 'The commission’s conclusion',
  formText: 'The conclusion is issued today. With it, the child can be offered a place in a group of this category.',
  category: 'Category',
  chooseCategory: 'Choose a category',
  validUntil: 'Last valid day of the conclusion',
  validUntilHint: 'After today and at most three years ahead.',
  iinInvalid: 'An IIN is 12 digits.',
  categoryMissing: 'Choose a category.',
  validUntilMissing: 'Give the last valid day.',
  fixFields: 'Correct the marked fields.',
  record: 'Record the conclusion',
  recorded: 'Conclusion recorded: {category}, valid until {until}.',
};

export const commissionErrorsEn: typeof commissionErrorsKk = {
  CHILD_NOT_FOUND: { title: 'No such child on the portal', action: 'No child with this IIN is registered on the portal: check the IIN. A child is registered when booked for an examination or applied for.' },
  AUTH_NOT_COMMISSION: { title: 'This is not a PMPK key', action: 'With an organisation’s key the app lets in only the staff of a PMPK (psychological, medical and pedagogical consultation). Sign in as the applicant with your own personal key.' },
  AUTH_NOT_STAFF: { title: 'This is not an organisation staff key', action: 'Sign in with the organisation’s key (with a BIN) of its head, a person with the right to sign, or an employee.' },
  AUTH_UNKNOWN_ORGANIZATION: { title: 'The organisation is not registered on the portal', action: 'The BIN in the key matches no commission on the portal. Contact the portal’s administrator.' },
};
