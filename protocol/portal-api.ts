/**
 * Every request and response body of the portal's HTTP API, as zod schemas. The portal's routes
 * declare them (fastify-type-provider-zod, which also produces /openapi.json) and the desktop app
 * validates the portal's answers against the same declarations.
 */
import { z } from 'zod';
import { RecordId } from './ids.ts';

const iin = z.string().regex(/^\d{12}$/, 'an IIN is 12 digits');
const isoTime = z.iso.datetime({ offset: true });
const id = RecordId;

export const Language = z.enum(['kk', 'ru']);
export type Language = z.infer<typeof Language>;

/** Every refusal: a stable code (the UI translates it) and an English message. Never a stack. */
export const ErrorBody = z.object({ code: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;

// --- Health -------------------------------------------------------------------------------------

export const HealthResponse = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z
    .object({
      database: z.enum(['ok', 'unavailable']),
      /** The working-day calendar of the current and the next year: confirmed by an administrator, or not (deadlines over it are provisional). */
      calendar: z.enum(['confirmed', 'unconfirmed']).optional(),
    })
    .optional(),
  /** What an operator must see to: e.g. a calendar year awaiting confirmation. The portal still serves. */
  warnings: z.array(z.string()).optional(),
});

// --- The portal's public information ---------------------------------------------------------

/** Whom an applicant may call or write to (the portal's header: call centre, support, education department). */
export const SupportContacts = z.object({
  callCentre: z.array(z.string().max(64)).max(5),
  email: z.string().max(254).nullable(),
  educationDepartment: z.array(z.string().max(64)).max(5),
});
export type SupportContacts = z.infer<typeof SupportContacts>;

export const PortalInfo = z.object({
  support: SupportContacts,
  /** Working days an applicant has to choose a kindergarten after a personal offer. */
  offerWorkingDays: z.number().int().min(1),
});
export type PortalInfo = z.infer<typeof PortalInfo>;

// --- Authentication ----------------------------------------------------------------------------

export const ChallengeResponse = z.object({
  /** base64url of 32 random bytes; single use. */
  nonce: z.string(),
  /** The portal's public origin, to be put into the signed login document. */
  origin: z.string(),
  /**
   * The portal's clock when it issued the challenge. A client dates its login document on the
   * portal's time, so a computer whose clock is off (or a demo portal on --clock) can still log in;
   * the portal still refuses documents dated outside the challenge's window.
   */
  issuedAt: isoTime,
  expiresAt: isoTime,
});
export type ChallengeResponse = z.infer<typeof ChallengeResponse>;

export const LoginRequest = z.strictObject({
  /** The login document (signed-documents.ts buildLoginXml), signed as XMLDSig with the AUTH key. */
  signedXml: z.string().min(1),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const NotificationSettings = z.strictObject({
  sms: z.boolean(),
  email: z.boolean(),
  language: Language,
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

/** Kazakh mobile numbers, +7 7xx xxx xx xx, written without spaces. */
export const Phone = z.string().regex(/^\+77\d{9}$/, 'a phone is +77 followed by 9 digits');

export const Me = z.object({
  iin,
  fullName: z.string(),
  email: z.string().nullable(),
  /** First login: the portal asks for an e-mail address before anything else (docs/domain.md, The referral journey). */
  needsEmail: z.boolean(),
  phones: z.array(z.string()),
  notifications: NotificationSettings,
});
export type Me = z.infer<typeof Me>;

export const LoginResponse = z.object({
  /** Bearer token for the desktop app; browsers get the same in an HttpOnly cookie. */
  token: z.string(),
  expiresAt: isoTime,
  me: Me,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

/** IIN + password login (docs/domain.md, The personal cabinet and applying): step 1 says whether to ask for the password or the SMS code. */
export const PasswordStartRequest = z.strictObject({ iin });
export const PasswordStartResponse = z.object({ step: z.enum(['password', 'sms_code']), phoneHint: z.string().nullable() });
const password = z.string().min(8, 'a password has at least 8 characters').max(128);
export const PasswordSetRequest = z.strictObject({ iin, code: z.string().regex(/^\d{6}$/, 'the code is 6 digits'), password });
export const PasswordLoginRequest = z.strictObject({ iin, password: z.string().min(1).max(128) });

export const EmailRequest = z.strictObject({ email: z.email().max(254) });
export const PhonesRequest = z.strictObject({ phones: z.array(Phone).max(5) });

// --- Applications ------------------------------------------------------------------------------

export const ApplicationStatus = z.string();

export const JournalRow = z.object({
  id,
  number: z.string(),
  guardianName: z.string().nullable(),
  childIin: z.string(),
  childName: z.string(),
  childBirthDate: z.string().nullable(),
  tsonNumber: z.string().nullable(),
  zupNumber: z.string().nullable(),
  queueNumber: z.number().int().nullable(),
  benefitQueueNumber: z.number().int().nullable(),
  applicantName: z.string(),
  createdAt: z.string(),
  status: ApplicationStatus,
  benefitType: z.string().nullable(),
});
export type JournalRow = z.infer<typeof JournalRow>;

/** The statuses the journal can be filtered by (the portal looks through all of an applicant's rows). */
export const JOURNAL_STATUSES = ['in_queue', 'notification_sent', 'referral_issued', 'enrolled', 'left', 'dequeued'] as const;
export const JournalStatus = z.enum(JOURNAL_STATUSES);
export type JournalStatus = z.infer<typeof JournalStatus>;

/**
 * The largest journal page: the app reads a whole journal (up to its MAX_JOURNAL_ROWS) as one page,
 * one statement and one consistent view; the portal's work on a page is linear in its rows.
 */
export const MAX_JOURNAL_PAGE_SIZE = 10_000;

export const JournalQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_JOURNAL_PAGE_SIZE).default(20),
  status: JournalStatus.optional(),
});

export const JournalPage = z.object({
  items: z.array(JournalRow),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type JournalPage = z.infer<typeof JournalPage>;

export const ApplicationParams = z.object({ applicationId: id });

export const Offer = z.object({
  offerId: id,
  kindergartenId: id,
  /** The kindergarten's name in Kazakh and in Russian (docs/domain.md, Names and addresses in two languages). */
  kindergartenName: z.string(),
  kindergartenNameRu: z.string(),
  expiresAt: z.string().nullable(),
  /** The deadline was counted over a working-day calendar year no administrator has confirmed yet: it may move. */
  deadlineProvisional: z.boolean(),
  /** Working days left to choose, today included while it is one (the portal's holiday calendar). */
  workingDaysLeft: z.number().int().min(0).nullable(),
});
export type Offer = z.infer<typeof Offer>;

/** A personal offer waiting for the applicant's choice, for the cabinet's first screen. */
export const LiveOffer = Offer.extend({
  applicationId: id,
  applicationNumber: z.string(),
  childName: z.string(),
});
export type LiveOffer = z.infer<typeof LiveOffer>;
export const OffersResponse = z.object({ items: z.array(LiveOffer) });

export const ApplicationCard = z.object({
  id,
  applicant: z.object({
    fullName: z.string(),
    iin: z.string(),
    birthDate: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    address: z.string().nullable(),
    actualAddress: z.string().nullable(),
  }),
  child: z.object({
    fullName: z.string(),
    iin: z.string(),
    birthDate: z.string().nullable(),
    benefitType: z.string().nullable(),
    queueNumber: z.number().int().nullable(),
    benefitQueueNumber: z.number().int().nullable(),
  }),
  application: z.object({
    queueType: z.string(),
    category: z.string().nullable(),
    number: z.string(),
    registeredAt: z.string(),
    zupNumber: z.string().nullable(),
    tsonNumber: z.string().nullable(),
    status: ApplicationStatus,
    statusChangedAt: z.string().nullable(),
    extraEmail: z.string().nullable(),
    extraPhone: z.string().nullable(),
    region: z.string().nullable(),
  }),
  /** Set when the child's turn has come and a place is offered ("Choose correctional kindergarten"). */
  offer: Offer.nullable(),
  canDequeue: z.boolean(),
});
export type ApplicationCard = z.infer<typeof ApplicationCard>;

export const HistoryEntry = z.object({
  at: z.string(),
  status: z.string(),
  note: z.string().nullable(),
});
export const HistoryResponse = z.object({ items: z.array(HistoryEntry) });

export const DocumentInfo = z.object({
  id,
  kind: z.string(),
  title: z.string(),
  contentType: z.string(),
  createdAt: z.string(),
});
export type DocumentInfo = z.infer<typeof DocumentInfo>;
export const DocumentsResponse = z.object({ items: z.array(DocumentInfo) });
export const DocumentParams = z.object({ applicationId: id, documentId: id });

export const DequeueRequest = z.strictObject({ reason: z.string().trim().min(3).max(1000) });
export const DequeueResponse = z.object({ id, status: ApplicationStatus });

export const Vacancy = z.object({
  offerId: id,
  /** personal: offered to this application (its turn came); free_choice: open to every queued child of the group year. */
  kind: z.enum(['personal', 'free_choice']),
  kindergartenId: id,
  name: z.string(),
  nameRu: z.string(),
  district: z.string(),
  phone: z.string().nullable(),
  type: z.string(),
  address: z.string(),
  /** District and address in Russian; null where the portal has only the Kazakh ones (docs/domain.md, Names and addresses in two languages). */
  districtRu: z.string().nullable(),
  addressRu: z.string().nullable(),
  language: z.string(),
  placeType: z.string().nullable(),
  website: z.string().nullable(),
  location: z.object({ lat: z.number(), lon: z.number() }).nullable(),
});
export type Vacancy = z.infer<typeof Vacancy>;
export const VacanciesResponse = z.object({
  items: z.array(Vacancy),
  /** The portal's time of this answer: the desktop app dates the referral request on it (requestedAt). */
  asOf: isoTime,
});

// --- Referral ----------------------------------------------------------------------------------

export const ReferralRequest = z.strictObject({
  /** The referral request (signed-documents.ts buildReferralRequestXml) signed with the SIGN key. */
  signedXml: z.string().min(1),
});

export const ReferralResult = z.object({
  referralId: id,
  applicationId: id,
  kindergartenId: id,
  issuedAt: isoTime,
  /** The referral PDF and the signed request, both in "General documents". */
  documents: z.array(DocumentInfo),
});
export type ReferralResult = z.infer<typeof ReferralResult>;

// --- Event feed, settings ----------------------------------------------------------------------

export const FeedEvent = z.object({
  id,
  at: isoTime,
  /** The history event (`status_changed`, `offer_made`, ...): the app words it from this and `status` (docs/cabinet.md). */
  kind: z.string(),
  applicationId: z.string().nullable(),
  applicationNumber: z.string(),
  /** The application's status after the event, when the event set one. */
  status: z.string().nullable(),
  /** Marked read by the person (POST /api/feed/read). */
  read: z.boolean(),
  message: z.string(),
});
export type FeedEvent = z.infer<typeof FeedEvent>;
export const FeedQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const FeedResponse = z.object({ items: z.array(FeedEvent) });
/** Marks every feed event up to and including `upTo` read. */
export const FeedReadRequest = z.strictObject({ upTo: id });

/** Settings: a new password, given the current one (none needed when the account has none yet). */
export const PasswordChangeRequest = z.strictObject({ currentPassword: z.string().max(128), newPassword: password });

/** "My referrals": every referral ever issued to the person's applications, newest first. */
export const ReferralListItem = z.object({
  id,
  applicationId: id,
  applicationNumber: z.string(),
  childName: z.string(),
  kindergartenName: z.string(),
  kindergartenNameRu: z.string(),
  issuedAt: isoTime,
  confirmBy: isoTime,
  state: z.enum(['issued', 'confirmed', 'cancelled', 'left']),
});
export type ReferralListItem = z.infer<typeof ReferralListItem>;
export const ReferralsResponse = z.object({ items: z.array(ReferralListItem) });

export const OkResponse = z.object({ ok: z.literal(true) });
