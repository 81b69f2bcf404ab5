/** Kysely table types for every table the migrations create. Keep in step with ./migrations. */
import type { Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely';
import type {
  AccountsTable as HttpAccountsTable,
  AuthCodesTable as HttpAuthCodesTable,
  HttpTables,
  OutboxTable as HttpOutboxTable,
  SignedSubmissionsTable as HttpSignedSubmissionsTable,
} from './migrations/0002_http.ts';

// Conventions (see migrations/0001_core_domain.ts): instants are ISO-8601 UTC text, dates are
// YYYY-MM-DD text, booleans are 0/1 integers, ids are integers.

export type Language = 'kk' | 'ru';
export type BenefitType = 'none' | 'out_of_turn' | 'priority';
export type ApplicationStatus =
  'in_queue' | 'notification_sent' | 'referral_issued' | 'enrolled' | 'left' | 'dequeued';
export type VacancyState = 'open' | 'offered' | 'free_choice' | 'taken' | 'withdrawn';
export type OfferKind = 'personal' | 'free_choice';
export type OfferState = 'active' | 'accepted' | 'lapsed' | 'cancelled';
export type ReferralState = 'issued' | 'confirmed' | 'cancelled' | 'left';
export type JobState = 'pending' | 'done' | 'failed';

export interface KindergartensTable {
  id: Generated<number>;
  name_kk: string;
  name_ru: string;
  bin: string;
  district: string;
  address: string;
  phone: string;
  website: string | null;
  language: Language;
  lat: number;
  lon: number;
  /** The kind of special organisation (migration 0014). */
  kind: Generated<'special_kindergarten' | 'rehabilitation_centre' | 'correction_cabinet'>;
  /** Address and district in Russian (migration 0070); null in rows from before it. */
  address_ru: string | null;
  district_ru: string | null;
}

export interface KindergartenCategoriesTable {
  kindergarten_id: number;
  category: string;
}

export interface ApplicantsTable {
  id: Generated<number>;
  iin: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  actual_address: string | null;
  created_at: string;
}

export interface ChildrenTable {
  id: Generated<number>;
  iin: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string;
  enrolled_in: number | null;
  /** The age group the child is in at enrolled_in (migration 0040). */
  group_id: Generated<number | null>;
}

/** A kindergarten's age group for one correctional category, with its capacity (migration 0040). */
export interface KindergartenGroupsTable {
  id: Generated<number>;
  kindergarten_id: number;
  category: string;
  /** The age its children reach in the calendar year the school year starts. */
  age: number;
  name_kk: string;
  name_ru: string;
  capacity: number;
}

export interface ApplicationsTable {
  id: Generated<number>;
  number: string;
  applicant_id: number;
  child_id: number;
  guardian_name: string | null;
  queue_type: Generated<string>;
  category: string;
  benefit_type: BenefitType;
  benefit_kind: string | null;
  /** When the benefit was confirmed; null while it awaits confirmation (migration 0004). */
  benefit_confirmed_at: string | null;
  /** The benefit the queue counts: benefit_type once confirmed, else 'none' (generated, migration 0008). */
  queue_benefit: GeneratedAlways<BenefitType>;
  group_year: number;
  registered_at: string;
  status: ApplicationStatus;
  status_changed_at: string;
  region: string;
  zup_number: string | null;
  tson_number: string | null;
  extra_email: string | null;
  extra_phone: string | null;
  /** The organisation chosen in the wizard's step 3 (migration 0014). */
  kindergarten_id: Generated<number | null>;
}

/** A confirmation code per person and contact channel, and the target it last confirmed (migration 0014). */
export interface ContactCodesTable {
  iin: string;
  channel: 'phone' | 'phone2' | 'email';
  target: string;
  code_hash: string;
  expires_at: string;
  attempts: Generated<number>;
  sent_at: Generated<string>;
  window_started_at: string;
  sent_in_window: Generated<number>;
  confirmed_target: string | null;
  confirmed_at: string | null;
}

/** A benefit proof uploaded in the wizard's step 4 (migration 0014). */
export interface BenefitProofsTable {
  id: Generated<number>;
  iin: string;
  filename: string;
  content_type: string;
  sha256: string;
  content: Buffer;
  created_at: string;
  /** migration 0090: the first application that named it; null until one does. */
  application_id: number | null;
}

export interface PmpkConclusionsTable {
  id: Generated<number>;
  child_id: number;
  category: string;
  issued_on: string;
  valid_until: string;
  /** The commission that recorded it; null for conclusions recorded before commissions were in the portal. */
  commission_id: number | null;
}

export interface PmpkCommissionsTable {
  id: Generated<number>;
  bin: string;
  name_kk: string;
  name_ru: string;
  address_kk: string;
  address_ru: string;
  phone: string;
  /** Languages of examination, comma-separated ("kk,ru"). */
  languages: string;
  /** Almaty time HH:MM of the first slot and of the day's end. */
  day_start: string;
  day_end: string;
  slot_minutes: number;
  slot_capacity: number;
  days_ahead: number;
}

export interface PmpkSlotsTable {
  id: Generated<number>;
  commission_id: number;
  date: string;
  starts_at: string;
  capacity: number;
  booked: Generated<number>;
}

export type PmpkBookingState = 'booked' | 'cancelled';

export interface PmpkBookingsTable {
  id: Generated<number>;
  slot_id: number;
  /** Null: booked before there is an application (migration 0060); child_name is then set. */
  application_id: number | null;
  child_id: number;
  applicant_id: number;
  state: PmpkBookingState;
  created_at: string;
  cancelled_at: string | null;
  /** The child's name as the applicant gave it, for a booking without an application. */
  child_name: string | null;
}

export interface VacanciesTable {
  id: Generated<number>;
  kindergarten_id: number;
  group_year: number;
  category: string;
  place_type: Generated<string>;
  published_at: string;
  state: VacancyState;
  taken_by_application_id: number | null;
}

export interface OffersTable {
  id: Generated<number>;
  vacancy_id: number;
  application_id: number | null;
  kind: OfferKind;
  created_at: string;
  expires_at: string | null;
  state: OfferState;
}

export interface ReferralsTable {
  id: Generated<number>;
  application_id: number;
  kindergarten_id: number;
  vacancy_id: number;
  offer_id: number;
  issued_at: string;
  confirm_by: string;
  state: ReferralState;
  state_changed_at: string;
}

export interface ApplicationHistoryTable {
  id: Generated<number>;
  application_id: number;
  at: string;
  event: string;
  status: ApplicationStatus | null;
  actor: string;
  details: string | null;
}

export interface StopListTable {
  id: Generated<number>;
  child_id: number;
  application_id: number | null;
  reason: string;
  created_at: string;
  until: string;
}

/** Generated: holiday, transfer, holiday_no_transfer (7 January); entered: holiday_no_transfer (a moving feast), decree_day_off, working_weekend. */
export type CalendarDayKind = 'holiday' | 'holiday_no_transfer' | 'transfer' | 'decree_day_off' | 'working_weekend';

export interface CalendarDaysTable {
  date: string;
  day_off: number;
  kind: CalendarDayKind;
  name: string;
}

/** One year of the working-day calendar and whether an administrator has confirmed it (migration 0009). */
export interface CalendarYearsTable {
  year: number;
  state: 'draft' | 'confirmed';
  /** The days an administrator entered (moving feasts, decree transfers), as JSON: what an import replaces. */
  entered: string;
  updated_at: string;
  updated_by: string;
  confirmed_at: string | null;
  confirmed_by: string | null;
}

export interface SchedulerJobsTable {
  id: Generated<number>;
  kind: string;
  ref_id: number;
  run_at: string;
  state: JobState;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  done_at: string | null;
  done_by: string | null;
}

export interface DocumentsTable {
  id: Generated<number>;
  application_id: number;
  kind: string;
  filename: string;
  content_type: string;
  content: Buffer;
  created_at: string;
}

/** A staff member's session for one kindergarten (migration 0005). */
export interface StaffSessionsTable {
  token_hash: string;
  iin: string;
  full_name: string;
  bin: string;
  /** Exactly one of the two: the kindergarten or the PMPK commission the staff member acts for. */
  kindergarten_id: number | null;
  commission_id: number | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** Per queue, how many places its general/priority interleave has given out (migration 0008). */
export interface QueueTurnsTable {
  group_year: number;
  category: string;
  places_given: Generated<number>;
}

/** An administrator's session (migration 0010). */
export interface AdminSessionsTable {
  token_hash: string;
  iin: string;
  full_name: string;
  bin: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** The SMS-code columns migration 0011 adds to 0002's auth_codes. */
export interface AuthCodesTable extends HttpAuthCodesTable {
  /** When the last code was sent (the cooldown runs from it). */
  sent_at: Generated<string>;
  /** Start of the person's 24-hour window (the daily cap and the guess budget). */
  window_started_at: Generated<string>;
  /** Codes sent in the window. */
  sent_in_window: Generated<number>;
}

/** Consecutive password failures per IIN (migration 0011): the per-account back-off. */
export interface PasswordAttemptsTable {
  iin: string;
  failures: number;
  next_try_at: string;
}

/** migration 0012: 1 when the body is a secret (an SMS code), replaced once the message left the outbox. */
export interface OutboxTable extends HttpOutboxTable {
  secret: Generated<number>;
}

/** migration 0013: the referral a finished submission stored its documents for (unique: one set per referral). */
export interface SignedSubmissionsTable extends HttpSignedSubmissionsTable {
  referral_id: number | null;
}

/** migration 0030: the newest feed event the person has read (application_history id; 0: none). */
export interface AccountsTable extends HttpAccountsTable {
  feed_read_up_to: Generated<number>;
}

/** Domain tables, plus the HTTP side's (migration 0002_http, with later migrations' columns). */
export interface DB extends Omit<HttpTables, 'auth_codes' | 'outbox' | 'signed_submissions' | 'accounts'> {
  accounts: AccountsTable;
  auth_codes: AuthCodesTable;
  outbox: OutboxTable;
  signed_submissions: SignedSubmissionsTable;
  password_attempts: PasswordAttemptsTable;
  kindergartens: KindergartensTable;
  kindergarten_categories: KindergartenCategoriesTable;
  kindergarten_groups: KindergartenGroupsTable;
  applicants: ApplicantsTable;
  children: ChildrenTable;
  applications: ApplicationsTable;
  pmpk_conclusions: PmpkConclusionsTable;
  pmpk_commissions: PmpkCommissionsTable;
  pmpk_slots: PmpkSlotsTable;
  pmpk_bookings: PmpkBookingsTable;
  vacancies: VacanciesTable;
  offers: OffersTable;
  referrals: ReferralsTable;
  application_history: ApplicationHistoryTable;
  stop_list: StopListTable;
  calendar_days: CalendarDaysTable;
  scheduler_jobs: SchedulerJobsTable;
  documents: DocumentsTable;
  staff_sessions: StaffSessionsTable;
  queue_turns: QueueTurnsTable;
  calendar_years: CalendarYearsTable;
  admin_sessions: AdminSessionsTable;
  contact_codes: ContactCodesTable;
  benefit_proofs: BenefitProofsTable;
}

export type Application = Selectable<ApplicationsTable>;
export type NewApplication = Insertable<ApplicationsTable>;
export type ApplicationUpdate = Updateable<ApplicationsTable>;
export type Kindergarten = Selectable<KindergartensTable>;
export type Vacancy = Selectable<VacanciesTable>;
export type Offer = Selectable<OffersTable>;
export type Referral = Selectable<ReferralsTable>;
export type HistoryEntry = Selectable<ApplicationHistoryTable>;
