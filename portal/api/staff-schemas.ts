/**
 * Request and response bodies of the kindergarten staff API (/api/staff/*), as zod schemas: the
 * routes declare them, so they are validated, serialized and listed in /openapi.json.
 */
import { z } from 'zod';

const iin = z.string().regex(/^\d{12}$/, 'an IIN is 12 digits');
const isoTime = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(64);

export const StaffMe = z.object({
  /** The person's IIN, from the legal-entity certificate. */
  iin,
  fullName: z.string(),
  /** The kindergarten's BIN, from the same certificate. */
  bin: z.string(),
  kindergartenId: id,
  kindergartenName: z.string(),
});
export type StaffMe = z.infer<typeof StaffMe>;

export const StaffLoginResponse = z.object({
  /** Bearer token; browsers get the same in an HttpOnly cookie scoped to /api/staff. */
  token: z.string(),
  expiresAt: isoTime,
  staff: StaffMe,
});
export type StaffLoginResponse = z.infer<typeof StaffLoginResponse>;

export const PublishVacancyRequest = z.strictObject({
  groupYear: z.number().int().min(2000).max(2100),
  category: z.string().trim().min(1).max(64),
  placeType: z.string().trim().min(1).max(64).optional(),
});
export type PublishVacancyRequest = z.infer<typeof PublishVacancyRequest>;

export const PublishVacancyResponse = z.object({
  vacancyId: id,
  /** offered: a personal offer went to `offeredTo`; free_choice/open: nobody in the queue was eligible. */
  state: z.enum(['open', 'offered', 'free_choice', 'taken', 'withdrawn']),
  offeredTo: z.object({ applicationId: id, applicationNumber: z.string() }).nullable(),
});
export type PublishVacancyResponse = z.infer<typeof PublishVacancyResponse>;

export const AwaitingReferral = z.object({
  referralId: id,
  applicationNumber: z.string(),
  childIin: z.string(),
  childName: z.string(),
  groupYear: z.number().int(),
  category: z.string(),
  issuedAt: z.string(),
  /** The child must arrive (and staff confirm it) by then, else the referral is cancelled. */
  confirmBy: z.string(),
});
export type AwaitingReferral = z.infer<typeof AwaitingReferral>;

export const AwaitingReferralsResponse = z.object({ items: z.array(AwaitingReferral) });

export const ReferralIdParams = z.object({
  referralId: z.string().regex(/^\d{1,15}$/, 'a referral id is a number'),
});

export const ArrivalResponse = z.object({ referralId: id, state: z.literal('confirmed') });

export const ChildLeftRequest = z.strictObject({ childIin: iin });
export const ChildLeftResponse = z.object({ childIin: iin, state: z.literal('left') });
