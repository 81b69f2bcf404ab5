/**
 * The application document's fields (docs/applications.md, step 6): the schema only, so that the
 * window (through the contract) can use it without the XML builder and parser of
 * signed-documents.ts, which main and the portal use to build, sign and read it.
 */
import { z } from 'zod';
import { RecordId } from './ids.ts';

const iin = z.string().regex(/^\d{12}$/, 'an IIN is 12 digits');
const isoTime = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);
const yesNo = z.enum(['yes', 'no']);
const phone = z.string().regex(/^\+77\d{9}$/, 'a phone is +77 followed by 9 digits');
const personName = z.string().trim().min(1).max(100);

/**
 * The application the applicant signs in step 6: exactly what the review page shows. Lists are
 * comma-separated in one element (the document is flat): `organisationIds` names one organisation
 * per queue, at most four.
 */
export const ApplicationDocument = z.strictObject({
  service: z.literal('special_organisation'),
  region: text(64),
  /** The three consents before step 1; the portal refuses a "no" with CONSENT_MISSING. */
  consentRules: yesNo,
  consentPersonalData: yesNo,
  consentContacts: yesNo,
  phone,
  phone2: phone.optional(),
  email: z.email().max(254).optional(),
  applicantIin: iin,
  childIin: iin,
  childLastName: personName,
  childFirstName: personName,
  childMiddleName: personName.optional(),
  organisationIds: z.string().regex(/^[1-9]\d{0,14}(,[1-9]\d{0,14}){0,3}$/, 'one to four organisation ids, comma-separated'),
  category: text(64),
  benefitType: z.enum(['none', 'out_of_turn', 'priority']),
  benefitKind: text(64).optional(),
  /** The uploaded proof's id and SHA-256 (hex): the signature covers the very file. */
  benefitProofId: RecordId.optional(),
  benefitProofSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  notify: yesNo,
  notifySms: yesNo,
  notifyEmail: yesNo,
  notifyLanguage: z.enum(['kk', 'ru']),
  requestedAt: isoTime,
});
export type ApplicationDocument = z.infer<typeof ApplicationDocument>;
