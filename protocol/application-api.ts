/**
 * The application wizard's wire format (docs/applications.md): the region and service choice, the
 * organisations of step 3, contact codes of step 1, the benefit proof of step 4 and the signed
 * submission of step 6. The signed document itself is in signed-documents.ts.
 */
import { z } from 'zod';
import { RecordId } from './ids.ts';

const names = z.object({ kk: z.string(), ru: z.string(), en: z.string() });

export const Region = z.object({ id: z.string(), name: names });
/**
 * `asOf`: the portal's clock, on which the app dates the application it signs; `schoolAge`: the
 * queue's school age, with which the app checks the child's age at step 2 (child-age.ts).
 */
export const RegionsResponse = z.object({
  items: z.array(Region),
  asOf: z.iso.datetime({ offset: true }),
  schoolAge: z.number().int().min(5).max(8),
});
export type Region = z.infer<typeof Region>;

/**
 * `wizard`: the portal takes this service's applications; `pmpk`: the portal books its PMPK
 * examinations (docs/pmpk.md); `elsewhere`: it says where to go instead.
 */
export const Service = z.object({
  id: z.string(),
  title: names,
  description: names,
  availability: z.enum(['wizard', 'elsewhere', 'pmpk']),
  whereToGo: names.nullable(),
});
export const ServicesQuery = z.object({ region: z.string().min(1).max(64) });
export const ServicesResponse = z.object({ region: Region, items: z.array(Service) });
export type Service = z.infer<typeof Service>;

export const OrganisationKind = z.enum([
  'special_kindergarten',
  'rehabilitation_centre',
  'correction_cabinet',
]);
export type OrganisationKind = z.infer<typeof OrganisationKind>;

export const OrganisationsQuery = z.object({
  language: z.enum(['kk', 'ru']).optional(),
  district: z.string().min(1).max(200).optional(),
});
export const Organisation = z.object({
  id: RecordId,
  nameKk: z.string(),
  nameRu: z.string(),
  kind: OrganisationKind,
  district: z.string(),
  address: z.string(),
  /** District and address in Russian; null where the portal has only the Kazakh ones (docs/domain.md, Names and addresses in two languages). */
  districtRu: z.string().nullable(),
  addressRu: z.string().nullable(),
  language: z.enum(['kk', 'ru']),
  categories: z.array(z.string()),
});
export type Organisation = z.infer<typeof Organisation>;
/** A district to filter by: the Kazakh name is the key, the Russian one (null where the portal has none) labels it in ru and en. */
export const District = z.object({ district: z.string(), districtRu: z.string().nullable() });
export type District = z.infer<typeof District>;
export const OrganisationsResponse = z.object({
  items: z.array(Organisation),
  districts: z.array(District),
});

export const ContactChannel = z.enum(['phone', 'phone2', 'email']);
export type ContactChannel = z.infer<typeof ContactChannel>;
const Phone = z.string().regex(/^\+77\d{9}$/, 'a phone is +77 followed by 9 digits');
/** A phone for `phone`/`phone2`, an address for `email`; checked per channel by the portal. */
export const ContactCodeRequest = z.strictObject({
  channel: ContactChannel,
  target: z.string().trim().min(3).max(254),
});
export const ContactCodeResponse = z.object({ sentTo: z.string() });
export const ContactConfirmRequest = z.strictObject({
  channel: ContactChannel,
  target: z.string().trim().min(3).max(254),
  code: z.string().regex(/^\d{6}$/, 'the code is 6 digits'),
});
export const ContactConfirmResponse = z.object({ confirmed: z.literal(true) });
export const contactTarget = { phone: Phone, phone2: Phone, email: z.email().max(254) } as const;

/** A proof document: at most 5 MiB, JPEG, PNG or PDF by content. */
export const PROOF_MAX_BYTES = 5 * 1024 * 1024;
export const ProofUploadRequest = z.strictObject({
  filename: z.string().trim().min(1).max(200),
  /** base64 of the file: the route's body limit bounds it, the portal refuses more than PROOF_MAX_BYTES decoded as UPLOAD_TOO_LARGE. */
  contentBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
});
export const ProofUploadResponse = z.object({
  id: RecordId,
  sha256: z.string(),
  contentType: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
  size: z.number().int(),
});
export type ProofUploadResponse = z.infer<typeof ProofUploadResponse>;

export const ApplicationSubmitRequest = z.strictObject({
  signedXml: z
    .string()
    .min(1)
    .max(64 * 1024),
});
export const RegisteredApplication = z.object({
  id: RecordId,
  number: z.string(),
  organisationId: RecordId,
  registeredAt: z.string(),
});
export const ApplicationSubmitResponse = z.object({ items: z.array(RegisteredApplication) });
export type ApplicationSubmitResponse = z.infer<typeof ApplicationSubmitResponse>;
