/**
 * The portal API's refusal catalogue: every code the portal answers a refused request with (as
 * `{ code, message }`), its HTTP status, and whether the same request may succeed if tried again
 * later. The portal's domain throws codes only; its web layer takes the status from here. Clients
 * translate by code (the desktop app: `errors.<code>` in its dictionaries, checked against
 * ROUTE_REFUSALS for every route it calls).
 */

interface RefusalEntry {
  status: number;
  retryable: boolean;
}

const refusal = (status: number, retryable = false): RefusalEntry => ({ status, retryable });

export const REFUSALS = {
  // Any route: the web layer's own answers.
  NOT_FOUND: refusal(404),
  BAD_REQUEST: refusal(400),
  PAYLOAD_TOO_LARGE: refusal(413),
  UNSUPPORTED_MEDIA_TYPE: refusal(415),
  RATE_LIMITED: refusal(429, true),
  INTERNAL: refusal(500, true),
  // Routes behind a session (applicant or staff).
  UNAUTHENTICATED: refusal(401),

  // A signed document (login, referral request) refused before any signature check.
  XML_INVALID: refusal(400),
  DOCUMENT_INVALID: refusal(400),
  // Every signature verifier is busy and the queue for them is full.
  VERIFICATION_BUSY: refusal(503, true),

  // Certificate login (applicant and staff).
  AUTH_BAD_SIGNATURE: refusal(401),
  AUTH_UNSUPPORTED_ALGORITHM: refusal(401),
  AUTH_CHALLENGE_REPLAYED: refusal(401),
  AUTH_CHALLENGE_EXPIRED: refusal(401),
  AUTH_CHALLENGE_UNKNOWN: refusal(401),
  AUTH_WRONG_ORIGIN: refusal(401),
  AUTH_TIMESTAMP_OUT_OF_RANGE: refusal(401),
  AUTH_UNTRUSTED: refusal(401),
  AUTH_CERT_EXPIRED: refusal(401),
  AUTH_CERT_NOT_YET_VALID: refusal(401),
  AUTH_CERT_REVOKED: refusal(401),
  AUTH_WRONG_PURPOSE: refusal(401),
  AUTH_REVOCATION_UNKNOWN: refusal(503, true),
  AUTH_NOT_INDIVIDUAL: refusal(401),
  AUTH_NOT_STAFF: refusal(401),
  AUTH_UNKNOWN_ORGANIZATION: refusal(401),
  AUTH_NOT_ADMIN: refusal(401),

  // Login by IIN and password, with an SMS code the first time; limits per person (IIN).
  AUTH_BAD_PASSWORD: refusal(401),
  AUTH_PASSWORD_BACKOFF: refusal(429, true),
  AUTH_CODE_INVALID: refusal(401),
  AUTH_CODE_EXPIRED: refusal(401),
  AUTH_CODE_ATTEMPTS: refusal(429, true),
  AUTH_CODE_TOO_SOON: refusal(429, true),
  AUTH_CODE_DAILY_LIMIT: refusal(429, true),
  /** Settings' password change: the current password is wrong. Not a 401: the session itself is fine. */
  CURRENT_PASSWORD_WRONG: refusal(403),

  // The applicant's own records.
  APPLICATION_NOT_FOUND: refusal(404),
  DOCUMENT_NOT_FOUND: refusal(404),

  // The signed referral request.
  SIGN_UNTRUSTED: refusal(422),
  SIGN_CERT_EXPIRED: refusal(422),
  SIGN_CERT_NOT_YET_VALID: refusal(422),
  SIGN_CERT_REVOKED: refusal(422),
  SIGN_WRONG_PURPOSE: refusal(422),
  SIGN_REVOCATION_UNKNOWN: refusal(503, true),
  SIGN_BAD_SIGNATURE: refusal(422),
  SIGN_UNSUPPORTED_ALGORITHM: refusal(422),
  SIGNER_NOT_APPLICANT: refusal(403),
  SIGNED_CONTENT_MISMATCH: refusal(422),
  SIGN_TIMESTAMP_OUT_OF_RANGE: refusal(422),
  SUBMISSION_IN_PROGRESS: refusal(409, true),

  // The queue's rules (offers, referrals, places, children).
  INVALID_INPUT: refusal(400),
  OFFER_NOT_FOUND: refusal(404),
  WRONG_KINDERGARTEN: refusal(409),
  OFFER_NOT_FOR_APPLICATION: refusal(409),
  OFFER_NOT_ACTIVE: refusal(409),
  PLACE_TAKEN: refusal(409),
  WRONG_GROUP_YEAR: refusal(409),
  APPLICATION_NOT_IN_QUEUE: refusal(409),
  CHILD_ENROLLED: refusal(409),
  STOP_LISTED: refusal(409),
  CHILD_ALREADY_PLACED: refusal(409),
  NO_VALID_PMPK: refusal(409),
  NOT_YOUR_APPLICATION: refusal(404),
  KINDERGARTEN_NOT_FOUND: refusal(404),
  CATEGORY_NOT_SERVED: refusal(409),
  VACANCY_NOT_FOUND: refusal(404),
  VACANCY_TAKEN: refusal(409),
  VACANCY_ALREADY_WITHDRAWN: refusal(409),
  REFERRAL_NOT_FOUND: refusal(404),
  REFERRAL_NOT_ISSUED: refusal(409),
  REFERRAL_CONFIRMATION_OVERDUE: refusal(409),
  CHILD_NOT_FOUND: refusal(404),
  CHILD_NOT_ENROLLED_HERE: refusal(409),
  BENEFIT_NOT_AWAITING_CONFIRMATION: refusal(409),
  BENEFIT_CONFIRMATION_OVERDUE: refusal(409),

  // PMPK examinations and conclusions (docs/pmpk.md).
  PMPK_COMMISSION_NOT_FOUND: refusal(404),
  PMPK_SLOT_NOT_FOUND: refusal(404),
  PMPK_SLOT_TAKEN: refusal(409),
  PMPK_SLOT_PAST: refusal(409),
  PMPK_ALREADY_BOOKED: refusal(409),
  PMPK_BOOKING_NOT_FOUND: refusal(404),
  PMPK_BOOKING_CANCELLED: refusal(409),
  PMPK_VALIDITY_INVALID: refusal(400),
  // The application wizard (docs/applications.md).
  UNKNOWN_REGION: refusal(404),
  CONSENT_MISSING: refusal(422),
  CONTACT_INVALID: refusal(422),
  CONTACT_CODE_INVALID: refusal(422),
  CONTACT_CODE_EXPIRED: refusal(422),
  CONTACT_CODE_ATTEMPTS: refusal(429, true),
  CONTACT_CODE_TOO_SOON: refusal(429, true),
  CONTACT_CODE_DAILY_LIMIT: refusal(429, true),
  CONTACT_NOT_CONFIRMED: refusal(422),
  PARENT_NOT_APPLICANT: refusal(403),
  CHILD_IIN_INVALID: refusal(422),
  CHILD_AGE_OUT_OF_RANGE: refusal(422),
  ORGANISATION_NOT_FOUND: refusal(404),
  QUEUE_KIND_TWICE: refusal(409),
  BENEFIT_PROOF_MISSING: refusal(422),
  UPLOAD_TOO_LARGE: refusal(413),
  UPLOAD_TYPE_REFUSED: refusal(422),

  // The working-day calendar (administrators).
  CALENDAR_INVALID: refusal(400),
  CALENDAR_YEAR_NOT_FOUND: refusal(404),
  CALENDAR_INCOMPLETE: refusal(409),

  // #13: staff moving a child between age groups (docs/domain.md "Age groups and the August moves").
  GROUP_NOT_FOUND: refusal(404),
  GROUP_OTHER_CATEGORY: refusal(409),
  GROUP_FULL: refusal(409),
} as const satisfies Record<string, RefusalEntry>;

export type RefusalCode = keyof typeof REFUSALS;

export const isRefusalCode = (code: string): code is RefusalCode => Object.prototype.hasOwnProperty.call(REFUSALS, code);

/** Codes any route may answer with. */
export const ANY_ROUTE_REFUSALS = [
  'NOT_FOUND',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'INTERNAL',
] as const satisfies readonly RefusalCode[];

const SIGNED_DOCUMENT = ['XML_INVALID', 'DOCUMENT_INVALID', 'VERIFICATION_BUSY'] as const satisfies readonly RefusalCode[];

/** The checks every certificate login shares (signature, challenge, origin, time, certificate). */
export const LOGIN_DOCUMENT_REFUSALS = [
  'AUTH_BAD_SIGNATURE',
  'AUTH_UNSUPPORTED_ALGORITHM',
  'AUTH_CHALLENGE_REPLAYED',
  'AUTH_CHALLENGE_EXPIRED',
  'AUTH_CHALLENGE_UNKNOWN',
  'AUTH_WRONG_ORIGIN',
  'AUTH_TIMESTAMP_OUT_OF_RANGE',
  'AUTH_UNTRUSTED',
  'AUTH_CERT_EXPIRED',
  'AUTH_CERT_NOT_YET_VALID',
  'AUTH_CERT_REVOKED',
  'AUTH_WRONG_PURPOSE',
  'AUTH_REVOCATION_UNKNOWN',
] as const satisfies readonly RefusalCode[];
export const APPLICANT_LOGIN_REFUSALS = [...LOGIN_DOCUMENT_REFUSALS, 'AUTH_NOT_INDIVIDUAL'] as const satisfies readonly RefusalCode[];
export const STAFF_LOGIN_REFUSALS = [...LOGIN_DOCUMENT_REFUSALS, 'AUTH_NOT_STAFF', 'AUTH_UNKNOWN_ORGANIZATION'] as const satisfies readonly RefusalCode[];
export const ADMIN_LOGIN_REFUSALS = [...LOGIN_DOCUMENT_REFUSALS, 'AUTH_NOT_ADMIN'] as const satisfies readonly RefusalCode[];

/** Why a queued child cannot take a place now. */
export const ELIGIBILITY_BLOCKS = ['CHILD_ENROLLED', 'STOP_LISTED', 'CHILD_ALREADY_PLACED', 'NO_VALID_PMPK'] as const satisfies readonly RefusalCode[];

/** Every refusal of the queue's referral step, which an applicant reaches through the signed request. */
export const CREATE_REFERRAL_REFUSALS = [
  'INVALID_INPUT',
  'OFFER_NOT_FOUND',
  'WRONG_KINDERGARTEN',
  'OFFER_NOT_FOR_APPLICATION',
  'OFFER_NOT_ACTIVE',
  'PLACE_TAKEN',
  'APPLICATION_NOT_FOUND',
  'WRONG_GROUP_YEAR',
  'APPLICATION_NOT_IN_QUEUE',
  ...ELIGIBILITY_BLOCKS,
] as const satisfies readonly RefusalCode[];

/** The signed referral request's own checks (signature, signer, signed content, a claim in progress). */
export const REFERRAL_SUBMISSION_REFUSALS = [
  'SIGN_UNTRUSTED',
  'SIGN_CERT_EXPIRED',
  'SIGN_CERT_NOT_YET_VALID',
  'SIGN_CERT_REVOKED',
  'SIGN_WRONG_PURPOSE',
  'SIGN_REVOCATION_UNKNOWN',
  'SIGN_BAD_SIGNATURE',
  'SIGN_UNSUPPORTED_ALGORITHM',
  'SIGNER_NOT_APPLICANT',
  'SIGNED_CONTENT_MISMATCH',
  'SIGN_TIMESTAMP_OUT_OF_RANGE',
  'SUBMISSION_IN_PROGRESS',
] as const satisfies readonly RefusalCode[];

/** The signed application's own checks (docs/applications.md), besides the signature's. */
export const APPLICATION_SUBMISSION_REFUSALS = [
  'UNKNOWN_REGION',
  'CONSENT_MISSING',
  'CONTACT_NOT_CONFIRMED',
  'PARENT_NOT_APPLICANT',
  'CHILD_IIN_INVALID',
  'CHILD_AGE_OUT_OF_RANGE',
  'ORGANISATION_NOT_FOUND',
  'CATEGORY_NOT_SERVED',
  'QUEUE_KIND_TWICE',
  'BENEFIT_PROOF_MISSING',
] as const satisfies readonly RefusalCode[];

const CONTACT_CODE_REFUSALS = ['CONTACT_INVALID', 'CONTACT_CODE_TOO_SOON', 'CONTACT_CODE_DAILY_LIMIT'] as const satisfies readonly RefusalCode[];
const CONTACT_CONFIRM_REFUSALS = ['CONTACT_INVALID', 'CONTACT_CODE_INVALID', 'CONTACT_CODE_EXPIRED', 'CONTACT_CODE_ATTEMPTS'] as const satisfies readonly RefusalCode[];

const APPLICANT_SESSION = ['UNAUTHENTICATED'] as const;
const OWN_APPLICATION = [...APPLICANT_SESSION, 'APPLICATION_NOT_FOUND'] as const;

/**
 * What each route can refuse with besides ANY_ROUTE_REFUSALS, as "METHOD /path" with the path's
 * parameters named as the routes name them.
 */
export const ROUTE_REFUSALS = {
  'POST /api/auth/challenge': [],
  'POST /api/auth/login': [...APPLICANT_LOGIN_REFUSALS, ...SIGNED_DOCUMENT],
  'POST /api/auth/password/start': ['AUTH_CODE_TOO_SOON', 'AUTH_CODE_DAILY_LIMIT'],
  'POST /api/auth/password/set': ['AUTH_CODE_INVALID', 'AUTH_CODE_EXPIRED', 'AUTH_CODE_ATTEMPTS'],
  'POST /api/auth/password/login': ['AUTH_BAD_PASSWORD', 'AUTH_PASSWORD_BACKOFF'],
  'POST /api/auth/logout': [],
  'GET /api/me': APPLICANT_SESSION,
  'PUT /api/me/email': APPLICANT_SESSION,
  'PUT /api/me/phones': APPLICANT_SESSION,
  'PUT /api/me/notifications': APPLICANT_SESSION,
  'GET /api/feed': APPLICANT_SESSION,
  'POST /api/feed/read': APPLICANT_SESSION,
  'GET /api/referrals': APPLICANT_SESSION,
  'POST /api/me/password': [...APPLICANT_SESSION, 'CURRENT_PASSWORD_WRONG', 'AUTH_PASSWORD_BACKOFF'],
  'GET /api/info': [],
  'GET /api/offers': APPLICANT_SESSION,
  'GET /api/applications': APPLICANT_SESSION,
  'GET /api/applications/:applicationId': OWN_APPLICATION,
  'GET /api/applications/:applicationId/history': OWN_APPLICATION,
  'GET /api/applications/:applicationId/documents': OWN_APPLICATION,
  'GET /api/applications/:applicationId/documents/:documentId': [...OWN_APPLICATION, 'DOCUMENT_NOT_FOUND'],
  'GET /api/applications/:applicationId/vacancies': OWN_APPLICATION,
  'POST /api/applications/:applicationId/dequeue': [...OWN_APPLICATION, 'NOT_YOUR_APPLICATION', 'APPLICATION_NOT_IN_QUEUE', 'INVALID_INPUT'],
  'POST /api/applications/:applicationId/referral': [...OWN_APPLICATION, ...SIGNED_DOCUMENT, ...REFERRAL_SUBMISSION_REFUSALS, ...CREATE_REFERRAL_REFUSALS],
  'GET /api/regions': [],
  'GET /api/services': ['UNKNOWN_REGION'],
  'GET /api/organisations': APPLICANT_SESSION,
  'POST /api/contact-codes': [...APPLICANT_SESSION, ...CONTACT_CODE_REFUSALS],
  'POST /api/contact-codes/confirm': [...APPLICANT_SESSION, ...CONTACT_CONFIRM_REFUSALS],
  'POST /api/benefit-proofs': [...APPLICANT_SESSION, 'UPLOAD_TOO_LARGE', 'UPLOAD_TYPE_REFUSED'],
  'POST /api/applications': [
    ...APPLICANT_SESSION,
    ...SIGNED_DOCUMENT,
    ...REFERRAL_SUBMISSION_REFUSALS,
    ...APPLICATION_SUBMISSION_REFUSALS,
    'INVALID_INPUT',
  ],
  'POST /api/staff/auth/login': [...STAFF_LOGIN_REFUSALS, ...SIGNED_DOCUMENT],
  'POST /api/staff/auth/logout': [],
  'GET /api/staff/me': ['UNAUTHENTICATED'],
  'POST /api/staff/vacancies': ['UNAUTHENTICATED', 'INVALID_INPUT', 'KINDERGARTEN_NOT_FOUND', 'CATEGORY_NOT_SERVED'],
  'GET /api/staff/vacancies': ['UNAUTHENTICATED'],
  'POST /api/staff/vacancies/:vacancyId/withdraw': ['UNAUTHENTICATED', 'INVALID_INPUT', 'VACANCY_NOT_FOUND', 'VACANCY_TAKEN', 'VACANCY_ALREADY_WITHDRAWN'],
  'GET /api/staff/referrals': ['UNAUTHENTICATED'],
  'POST /api/staff/referrals/:referralId/arrival': ['UNAUTHENTICATED', 'REFERRAL_NOT_FOUND', 'WRONG_KINDERGARTEN', 'REFERRAL_NOT_ISSUED', 'REFERRAL_CONFIRMATION_OVERDUE'],
  'POST /api/staff/children/left': ['UNAUTHENTICATED', 'INVALID_INPUT', 'CHILD_NOT_FOUND', 'CHILD_NOT_ENROLLED_HERE'],
  'GET /api/pmpk/commissions': APPLICANT_SESSION,
  'GET /api/pmpk/commissions/:commissionId/slots': [...APPLICANT_SESSION, 'PMPK_COMMISSION_NOT_FOUND'],
  'GET /api/pmpk/bookings': APPLICANT_SESSION,
  'POST /api/pmpk/bookings': [...OWN_APPLICATION, 'PMPK_SLOT_NOT_FOUND', 'PMPK_SLOT_TAKEN', 'PMPK_SLOT_PAST', 'PMPK_ALREADY_BOOKED'],
  'POST /api/pmpk/bookings/:bookingId/cancel': [...APPLICANT_SESSION, 'PMPK_BOOKING_NOT_FOUND', 'PMPK_BOOKING_CANCELLED', 'PMPK_SLOT_PAST'],
  'POST /api/staff/pmpk/conclusions': ['UNAUTHENTICATED', 'CHILD_NOT_FOUND', 'PMPK_VALIDITY_INVALID'],
  'POST /api/admin/auth/login': [...ADMIN_LOGIN_REFUSALS, ...SIGNED_DOCUMENT],
  'POST /api/admin/auth/logout': [],
  'GET /api/admin/me': ['UNAUTHENTICATED'],
  'GET /api/admin/calendar': ['UNAUTHENTICATED'],
  'GET /api/admin/calendar/:year': ['UNAUTHENTICATED'],
  'PUT /api/admin/calendar/:year': ['UNAUTHENTICATED', 'CALENDAR_INVALID'],
  'POST /api/admin/calendar/:year/confirm': ['UNAUTHENTICATED', 'CALENDAR_YEAR_NOT_FOUND', 'CALENDAR_INCOMPLETE'],
  // #13: age groups
  'GET /api/staff/groups': ['UNAUTHENTICATED'],
  'PUT /api/staff/groups': ['UNAUTHENTICATED', 'INVALID_INPUT', 'CATEGORY_NOT_SERVED'],
  'POST /api/staff/groups/move': ['UNAUTHENTICATED', 'INVALID_INPUT', 'CHILD_NOT_FOUND', 'CHILD_NOT_ENROLLED_HERE', 'GROUP_NOT_FOUND', 'GROUP_OTHER_CATEGORY', 'GROUP_FULL'],
  // The commission's examination schedule for its staff (#14)
  'GET /api/staff/pmpk/schedule': ['UNAUTHENTICATED'],
} as const satisfies Record<string, readonly RefusalCode[]>;

export type PortalRoute = keyof typeof ROUTE_REFUSALS;
