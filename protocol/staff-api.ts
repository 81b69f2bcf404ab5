/**
 * Request and response bodies of the kindergarten staff API (/api/staff/*), as zod schemas: the
 * routes declare them, so they are validated, serialized and listed in /openapi.json.
 */
import { z } from 'zod';
import { RecordId } from './ids.ts';

/**
 * States in which the kindergarten may still withdraw a place it published: nobody holds a
 * referral to it. Withdrawing an offered place cancels the personal offer; the application goes
 * back to its place in the queue (its registration date never changed). A taken place (referral
 * issued or child enrolled) is refused with VACANCY_TAKEN: the referral is the applicant's right
 * until it is confirmed or lapses; once a lapsed referral reopens the place, it may be withdrawn.
 * The queue engine enforces this list; the staff API reports it.
 */
export const WITHDRAWABLE_VACANCY_STATES = ['open', 'offered', 'free_choice'] as const;
export type WithdrawableVacancyState = (typeof WITHDRAWABLE_VACANCY_STATES)[number];

const iin = z.string().regex(/^\d{12}$/, 'an IIN is 12 digits');
const isoTime = z.iso.datetime({ offset: true });
const id = RecordId;

export const StaffMe = z.object({
  /** The person's IIN, from the legal-entity certificate. */
  iin,
  fullName: z.string(),
  /** The organisation's BIN, from the same certificate. */
  bin: z.string(),
  /** Kindergarten staff: the kindergarten. */
  kindergartenId: id.optional(),
  kindergartenName: z.string().optional(),
  /** PMPK commission staff: the commission (docs/pmpk.md, Staff). */
  commissionId: id.optional(),
  /** The commission's name in Kazakh, and in Russian (docs/domain.md, Names and addresses in two languages). */
  commissionName: z.string().optional(),
  commissionNameRu: z.string().optional(),
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

/**
 * open: nobody in the queue is eligible yet (offered again as soon as someone is); offered: a
 * personal offer awaits its applicant's choice; free_choice: the offer lapsed, any eligible child
 * of the group year may take it; taken: a referral holds it; withdrawn: the kindergarten withdrew it.
 */
export const VacancyState = z.enum(['open', 'offered', 'free_choice', 'taken', 'withdrawn']);
export type VacancyState = z.infer<typeof VacancyState>;

export const PublishVacancyResponse = z.object({
  vacancyId: id,
  /** offered: a personal offer went to `offeredTo`; free_choice/open: nobody in the queue was eligible. */
  state: VacancyState,
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
  /** confirmBy was counted over a working-day calendar year not yet confirmed: it may move. */
  confirmByProvisional: z.boolean(),
});
export type AwaitingReferral = z.infer<typeof AwaitingReferral>;

export const AwaitingReferralsResponse = z.object({ items: z.array(AwaitingReferral) });

export const ReferralIdParams = z.object({
  referralId: id,
});

export const ArrivalResponse = z.object({ referralId: id, state: z.literal('confirmed') });

export const ChildLeftRequest = z.strictObject({ childIin: iin });
export const ChildLeftResponse = z.object({ childIin: iin, state: z.literal('left') });

export const PublishedVacanciesQuery = z.object({
  state: VacancyState.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const applicationRef = { applicationId: id, applicationNumber: z.string() };

export const PublishedVacancy = z.object({
  vacancyId: id,
  groupYear: z.number().int(),
  category: z.string(),
  placeType: z.string(),
  publishedAt: z.string(),
  state: VacancyState,
  /** The application holding the active personal offer (state offered), and until when. */
  offeredTo: z
    .object({
      ...applicationRef,
      expiresAt: z.string().nullable(),
      /** expiresAt was counted over a calendar year not yet confirmed: it may move. */
      deadlineProvisional: z.boolean(),
    })
    .nullable(),
  /** The application whose referral holds the place (state taken). */
  takenBy: z.object(applicationRef).nullable(),
  /** Whether POST /api/staff/vacancies/{vacancyId}/withdraw may withdraw it now. */
  withdrawable: z.boolean(),
});
export type PublishedVacancy = z.infer<typeof PublishedVacancy>;

export const PublishedVacanciesResponse = z.object({ items: z.array(PublishedVacancy) });

export const VacancyIdParams = z.object({
  vacancyId: id,
});

export const WithdrawVacancyRequest = z.strictObject({
  /** Why the place is withdrawn (audited; kept in the history of an application whose offer it cancels). */
  reason: z.string().trim().min(3).max(500),
});

export const WithdrawVacancyResponse = z.object({
  vacancyId: id,
  state: z.literal('withdrawn'),
  previousState: z.enum(WITHDRAWABLE_VACANCY_STATES),
  /** The application whose personal offer was cancelled; it keeps its place in the queue. */
  returnedToQueue: z.object(applicationRef).nullable(),
});
export type WithdrawVacancyResponse = z.infer<typeof WithdrawVacancyResponse>;

// #13: a kindergarten's age groups (docs/domain.md "Age groups and the August moves")
const groupName = z.string().trim().min(1).max(100);
export const AgeGroupRequest = z.strictObject({
  category: z.string().trim().min(1).max(64),
  /** The age its children reach in the calendar year the school year starts. */
  age: z.number().int().min(0).max(8),
  nameKk: groupName,
  nameRu: groupName,
  capacity: z.number().int().min(0).max(1000),
});
export type AgeGroupRequest = z.infer<typeof AgeGroupRequest>;

export const AgeGroup = AgeGroupRequest.extend({
  groupId: id,
  /** Enrolled children in it now. */
  children: z.number().int().min(0),
});
export type AgeGroup = z.infer<typeof AgeGroup>;

export const AgeGroupsResponse = z.object({ items: z.array(AgeGroup) });
export type AgeGroupsResponse = z.infer<typeof AgeGroupsResponse>;

/** Staff move an enrolled child into one of the kindergarten's groups with a free place. */
export const MoveToGroupRequest = z.strictObject({ childIin: iin, groupId: id });
export type MoveToGroupRequest = z.infer<typeof MoveToGroupRequest>;
