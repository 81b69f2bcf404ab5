/**
 * The ONE typed contract between the renderer and main, shared by preload, main (IPC handler and
 * loopback bridge) and the renderer. Pure: zod and protocol/ only, no Node or Electron imports.
 *
 * Calls go from the window to main; events go from main to the window (see "Events" below).
 * Every call is name → { input, output }. Inputs are strict objects (unknown keys refused) with
 * bounded sizes: main validates every input it receives with these schemas, and every output
 * before sending it, so a hostile renderer cannot reach a handler with anything unexpected.
 */
import { z } from 'zod';
import {
  ApplicationCard,
  DequeueResponse,
  DocumentInfo,
  HistoryEntry,
  JournalPage,
  JournalRow,
  JournalStatus,
  LiveOffer,
  MAX_JOURNAL_PAGE_SIZE,
  PortalInfo,
  ReferralResult,
  FeedEvent,
  NotificationSettings,
  PasswordStartResponse,
  ReferralListItem,
  Vacancy,
} from '../protocol/portal-api.ts';
import { PmpkBooking, PmpkBookRequest, PmpkCommission, PmpkConclusionRequest, PmpkConclusionResponse, PmpkScheduleEntry, PmpkSlot } from '../protocol/pmpk-api.ts';
import {
  ApplicationSubmitResponse,
  ContactChannel,
  OrganisationsResponse,
  ProofUploadResponse,
  RegionsResponse,
  ServicesResponse,
} from '../protocol/application-api.ts';
import { ApplicationDocument } from '../protocol/application-document.ts';
import type { RawEvents } from './channels.ts';

export { EVENT_CHANNEL, EVENTS_PATH, IPC_CHANNEL, RPC_PATH_PREFIX } from './channels.ts';

// ---------------------------------------------------------------------------------------------
// Shared pieces

const MAX_PATH = 4096;
const MAX_PASSWORD = 256;
const MAX_TEXT = 1024;

/** No input: `{}` (or nothing, which preload / bridge send as `{}`). */
const Empty = z.strictObject({});

export const Language = z.enum(['kk', 'ru', 'en']);
export type Language = z.infer<typeof Language>;

export const TrustStoreChoice = z.enum(['production', 'production+demo', 'production+nca-test']);
export type TrustStoreChoice = z.infer<typeof TrustStoreChoice>;

/** A file-system path as typed or chosen by the user: bounded, no NUL byte. */
export const FilePath = z
  .string()
  .min(1)
  .max(MAX_PATH)
  .refine((s) => !s.includes('\0'), 'NUL byte in path');

/** A key password: bounded; never logged, never returned. */
export const Password = z.string().max(MAX_PASSWORD);

/** An http(s) address of the portal, as the window sees it (main accepts only https, or loopback http in demo mode: main/portal-address.ts). */
export const PortalUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'not an http(s) URL');

export const SettingsSchema = z.strictObject({
  portalUrl: PortalUrl,
  language: Language,
  lastKeyPath: FilePath.nullable(),
  trustStore: TrustStoreChoice,
  /** Fields an administrator's policy file has locked (read-only for the user). */
  locked: z.array(z.enum(['portalUrl', 'language', 'lastKeyPath', 'trustStore'])).max(4),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingName = Settings['locked'][number];

/**
 * What the window may change: its own preferences. The portal's address and the trust store come
 * from the installer's configuration or the administrator's policy, never from the window.
 */
export const SettingsUpdate = z.strictObject({
  language: Language.optional(),
  lastKeyPath: FilePath.nullable().optional(),
});
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;

const Text = z.string().max(MAX_TEXT);
const IsoDate = z.string().max(64);
const Hex = z.string().regex(/^[0-9A-F]*$/).max(512);
const Digits12 = z.string().regex(/^\d{12}$/);

export const Role = z.enum(['individual', 'organization', 'head', 'right_to_sign', 'employee']);
export const Purpose = z.enum(['AUTH', 'SIGN']);

/** SHA-256 of a certificate's DER, upper-case hex (how keys.revocation and key references name one). */
const Fingerprint = z.string().regex(/^[0-9A-F]{64}$/);

/**
 * A key, named by where it lives (docs/tokens.md, "Key references"): a key file and the key's index
 * in it, or a key on a PKCS#11 token. `certificate` is the fingerprint of the certificate the user
 * chose: main refuses (KEY_NOT_FOUND) a file or token that holds another one there now. The window
 * always sends it; a file reference may leave it out (then only the index decides). A token
 * reference names a module main was configured with: main never loads a module the window names.
 */
export const FileKeyRef = z.strictObject({
  kind: z.literal('file'),
  path: FilePath,
  index: z.number().int().min(0).max(1000),
  certificate: Fingerprint.optional(),
});
export const TokenKeyRef = z.strictObject({
  kind: z.literal('token'),
  module: FilePath,
  /** The module's slot id as hex (a hint: the token's fingerprint decides). */
  slot: z.string().regex(/^[0-9a-f]{1,32}$/),
  /** The token's fingerprint (module, maker, model, serial, label). */
  token: z.string().regex(/^[0-9a-f]{32}$/),
  /** CKA_ID of the certificate and its private key, hex. */
  id: z.string().regex(/^(?:[0-9a-f]{2}){0,128}$/),
  certificate: Fingerprint,
});
export const KeyRef = z.discriminatedUnion('kind', [FileKeyRef, TokenKeyRef]);
export type KeyRef = z.infer<typeof KeyRef>;

const TokenText = z.string().max(64);

/** Where a listed key lives, for display. */
export const KeyStorage = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), path: FilePath }),
  z.strictObject({ kind: z.literal('token'), label: TokenText, manufacturer: TokenText, model: TokenText, serial: TokenText }),
]);
export type KeyStorage = z.infer<typeof KeyStorage>;

/** A key password or a token PIN: bounded; never logged, never returned. */
export const Secret = Password;

/** What the UI may see about one key: certificate details only, never key material. */
export const KeyDetails = z.strictObject({
  ref: KeyRef,
  storage: KeyStorage,
  /** Why this key cannot sign in this program (GOST, not RSA): listed, and refused plainly. */
  problem: z.strictObject({ code: z.enum(['GOST_NOT_SUPPORTED', 'UNSUPPORTED_ALGORITHM']) }).optional(),
  commonName: Text,
  surname: Text.optional(),
  givenName: Text.optional(),
  patronymic: Text.optional(),
  iin: Digits12.optional(),
  bin: Digits12.optional(),
  organization: Text.optional(),
  role: Role,
  purposes: z.array(Purpose).max(2),
  serialNumber: Hex,
  issuer: Text,
  subject: z.string().max(4096),
  notBefore: IsoDate,
  notAfter: IsoDate,
  status: z.enum(['valid', 'expired', 'not_yet_valid']),
  algorithm: Text,
  keySize: z.number().int().positive().max(65536).optional(),
  fingerprintSha256: Hex,
});
export type KeyDetails = z.infer<typeof KeyDetails>;

export const User = z.strictObject({
  commonName: Text,
  iin: Digits12,
  email: z.string().max(254).nullable().optional(),
  needsEmail: z.boolean(),
  /**
   * Set when the key was a PMPK commission's (legal-entity key, docs/pmpk.md): the app opens the commission's view.
   * `name` is Kazakh, `nameRu` Russian (null from a portal that sends none): shown as docs/domain.md's
   * "Names and addresses in two languages" says.
   */
  commission: z.strictObject({ name: Text, nameRu: Text.nullable(), bin: Digits12 }).optional(),
});
export type User = z.infer<typeof User>;

const Email = z.email().max(254);

/** A portal record id: goes into portal URL paths, so letters, digits, - and _ only. */
const RecordId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** The referral request exactly as it will be signed (signed-documents.ts ReferralRequestDocument). */
export const ReferralDocument = z.strictObject({
  applicationNumber: z.string().max(64),
  applicationId: z.string().max(64),
  offerId: z.string().max(64),
  kindergartenId: z.string().max(64),
  kindergartenName: z.string().max(500),
  kindergartenAddress: z.string().max(500),
  language: z.string().max(32),
  childIin: Digits12,
  applicantIin: Digits12,
  requestedAt: IsoDate,
});
export type ReferralDocument = z.infer<typeof ReferralDocument>;

/** A listed key's revocation status, checked in main when the list is shown (cached). */
export const KeyRevocation = z.enum(['good', 'revoked', 'unknown', 'untrusted']);
export type KeyRevocation = z.infer<typeof KeyRevocation>;

/** The most journal rows the app takes at once (an applicant has a handful; the bench has 10,000): one portal page. */
export const MAX_JOURNAL_ROWS = MAX_JOURNAL_PAGE_SIZE;

/** A document of "General documents" as bytes (PDF, signed XML); at most 8 MiB. */
export const DocumentContent = z.strictObject({
  filename: z.string().min(1).max(255),
  contentType: z.string().max(128),
  base64: z.string().max(Math.ceil((8 * 1024 * 1024) / 3) * 4),
});
export type DocumentContent = z.infer<typeof DocumentContent>;

/** The app's own check of a signed document (signing/ verifyXml), in the shape the UI shows. */
export const VerificationSummary = z.strictObject({
  indication: z.enum(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE']),
  subIndication: z.string().max(64).optional(),
  signer: z
    .strictObject({
      commonName: Text,
      iin: Digits12.optional(),
      bin: Digits12.optional(),
      organization: Text.optional(),
      serialNumber: Hex,
      issuer: Text,
      notBefore: IsoDate,
      notAfter: IsoDate,
    })
    .optional(),
  /** When the check was made. */
  checkedAt: IsoDate,
  /** The referral request as signed (read from what the signature covers), when it verified. */
  signedContent: ReferralDocument.optional(),
});
export type VerificationSummary = z.infer<typeof VerificationSummary>;

const ApplicationInput = z.strictObject({ applicationId: RecordId });
const DocumentInput = z.strictObject({ applicationId: RecordId, documentId: RecordId });

/** Where the time of «Қол қою» → referral went (open the key, sign, submit; the portal's own steps). */
/**
 * What the window must honour of the administrator's policy (main enforces it too): kiosk mode,
 * the languages offered, the idle timeout, the key sources and login methods allowed, and
 * whether the settings screen is shown.
 */
export const PolicyView = z.strictObject({
  kiosk: z.boolean(),
  languages: z.array(Language).min(1).max(3),
  idleTimeoutSeconds: z.number().int().min(30).max(3600).nullable(),
  keySources: z.array(z.enum(['file', 'token'])).min(1).max(2),
  loginMethods: z.array(z.enum(['certificate', 'password'])).min(1).max(2),
  settingsHidden: z.boolean(),
});
export type PolicyView = z.infer<typeof PolicyView>;

export const Timings = z.array(z.strictObject({ step: z.string().max(32), ms: z.number().min(0) })).max(16);

/** A token plugged in, as keys.tokens lists it. */
export const TokenSummary = z.strictObject({
  module: FilePath,
  slot: z.string().regex(/^[0-9a-f]{1,32}$/),
  label: TokenText,
  manufacturer: TokenText,
  model: TokenText,
  serial: TokenText,
  pinLocked: z.boolean(),
  /** The token's own warning that few tries, or one, are left before the PIN locks. */
  pinTries: z.enum(['low', 'final']).optional(),
  keys: z.array(KeyDetails).max(64),
  /** PIN-pad readers (#15): the PIN is typed on the reader's keypad; the window sends an empty secret. */
  pinPad: z.literal(true).optional(),
});
export type TokenSummary = z.infer<typeof TokenSummary>;

// ---------------------------------------------------------------------------------------------
// IIN + password login and the cabinet's sections (docs/cabinet.md), in one block

/** What a cabinet password may be, as the portal takes it (8 to 128 characters). */
export const CabinetPassword = z.string().min(8).max(128);
export const MIN_CABINET_PASSWORD = 8;
const IinInput = z.strictObject({ iin: Digits12 });

/** The person's account as settings shows it: contacts and notification choices. */
export const Account = z.strictObject({
  iin: Digits12,
  fullName: Text,
  email: z.string().max(254).nullable(),
  phones: z.array(z.string().max(32)).max(5),
  notifications: NotificationSettings,
});
export type Account = z.infer<typeof Account>;

/** A Kazakh mobile number as the portal takes it: +77 and 9 digits. */
export const MobilePhone = z.string().regex(/^\+77\d{9}$/);

function cabinetSectionCalls() {
  return {
    /** IIN, then: `password` (a reusable one exists) or `sms_code` (first login: the code went to the phone named by its last digits). IIN_INVALID on a wrong checksum. */
    'auth.passwordStart': { input: IinInput, output: PasswordStartResponse.strict() },
    /** First login: the SMS code and the reusable password to create. */
    'auth.passwordCreate': {
      input: z.strictObject({ iin: Digits12, code: z.string().regex(/^\d{6}$/), password: CabinetPassword }),
      output: z.strictObject({ user: User }),
    },
    'auth.passwordLogin': { input: z.strictObject({ iin: Digits12, password: z.string().min(1).max(128) }), output: z.strictObject({ user: User }) },
    'account.get': { input: Empty, output: Account },
    'account.setPhones': { input: z.strictObject({ phones: z.array(MobilePhone).max(5) }), output: Account },
    'account.setEmail': { input: z.strictObject({ email: Email }), output: Account },
    'account.setNotifications': { input: NotificationSettings, output: Account },
    /** Needs the current password (empty when the account has none); the person's other sessions end. */
    'account.changePassword': {
      input: z.strictObject({ currentPassword: z.string().max(128), newPassword: CabinetPassword }),
      output: Empty,
    },
    /** The event feed, newest first, each marked read or not. */
    'cabinet.feed': { input: Empty, output: z.strictObject({ items: z.array(FeedEvent.strict()).max(200) }) },
    'cabinet.feedRead': { input: z.strictObject({ upTo: RecordId }), output: Empty },
    /** Every referral ever issued to the person's applications. */
    'cabinet.referrals': { input: Empty, output: z.strictObject({ items: z.array(ReferralListItem.strict()).max(1000) }) },
  } as const;
}

// ---------------------------------------------------------------------------------------------
// The application wizard (docs/applications.md)

const DraftText = (max: number) => z.string().max(max);

/**
 * The wizard's draft, kept by main in the user-data folder (one file per applicant) so nothing
 * typed is lost on a lapsed session or a failed network. `confirmed` and `proof` are main's own:
 * what the portal confirmed and stored; a save from the window cannot set them.
 */
export const ApplicationDraft = z.strictObject({
  /** 0: the region, service and consents; 1–6: the wizard's steps. */
  step: z.number().int().min(0).max(6).default(0),
  region: DraftText(64).optional(),
  consents: z.strictObject({ rules: z.boolean(), personalData: z.boolean(), contacts: z.boolean() }).optional(),
  phone: DraftText(32).optional(),
  phone2: DraftText(32).optional(),
  email: DraftText(254).optional(),
  confirmed: z.strictObject({ phone: DraftText(32).optional(), phone2: DraftText(32).optional(), email: DraftText(254).optional() }).default({}),
  childIin: DraftText(12).optional(),
  childLastName: DraftText(100).optional(),
  childFirstName: DraftText(100).optional(),
  childMiddleName: DraftText(100).optional(),
  language: z.enum(['kk', 'ru']).optional(),
  district: DraftText(200).optional(),
  organisationIds: z.array(RecordId).max(4).default([]),
  category: DraftText(64).optional(),
  benefitType: z.enum(['none', 'out_of_turn', 'priority']).optional(),
  benefitKind: DraftText(64).optional(),
  proof: ProofUploadResponse.extend({ filename: z.string().max(255) }).optional(),
  notify: z.boolean().optional(),
  notifySms: z.boolean().optional(),
  notifyEmail: z.boolean().optional(),
  notifyLanguage: z.enum(['kk', 'ru']).optional(),
});
export type ApplicationDraft = z.infer<typeof ApplicationDraft>;

/** What the window may write of the draft (main keeps `confirmed` and `proof`). */
export const ApplicationDraftInput = ApplicationDraft.omit({ confirmed: true, proof: true });

/** A step's problem, by field and code (translated as `apply.issues.<code>`). */
export const DraftIssue = z.strictObject({
  step: z.number().int().min(0).max(6),
  field: z.string().max(32),
  code: z.enum(['REQUIRED', 'CONSENT_MISSING', 'PHONE_INVALID', 'EMAIL_INVALID', 'NOT_CONFIRMED', 'IIN_INVALID', 'CHILD_IS_PARENT', 'CHANNEL_MISSING', 'PROOF_MISSING', 'CHILD_AGE_OUT_OF_RANGE']),
});
export type DraftIssue = z.infer<typeof DraftIssue>;
/** What the child's IIN encodes, shown next to it (docs/applications.md, step 2). */
export const ChildFacts = z.strictObject({ birthDate: z.iso.date(), sex: z.enum(['male', 'female']) });
export type ChildFacts = z.infer<typeof ChildFacts>;
const DraftState = z.strictObject({ draft: ApplicationDraft, issues: z.array(DraftIssue).max(64), child: ChildFacts.optional() });

// ---------------------------------------------------------------------------------------------
// The NCALayer-compatible signing service (docs/ncalayer.md), in one block

/** A web site's origin as the service saw it: https://host[:port]. */
const SiteOrigin = z.string().regex(/^https:\/\/[^\s/?#@]{1,253}$/).max(300);
const Sha256Hex = z.string().regex(/^[0-9A-F]{64}$/);

/** One document a site asks to sign, as the user is shown it (main/ncalayer/summary.ts). */
export const SiteDocument = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('xml'),
    bytes: z.number().int().min(0),
    sha256: Sha256Hex,
    lines: z.array(z.strictObject({ path: z.string().max(300), text: z.string().max(300) })).max(500),
    complete: z.boolean(),
  }),
  z.strictObject({ kind: z.literal('binary'), bytes: z.number().int().min(0), sha256: Sha256Hex }),
  z.strictObject({ kind: z.literal('hash'), sha256: Sha256Hex }),
]);
export type SiteDocument = z.infer<typeof SiteDocument>;

/** "A site asks to sign": what the window shows in the key dialog's site-request mode. */
export const SiteRequest = z.strictObject({
  requestId: z.uuid(),
  origin: SiteOrigin,
  /** remembered: the user asked to remember the site; unknown: asked every time. */
  originStanding: z.enum(['remembered', 'unknown']),
  /** sign: documents; keyInfo: the site asks which certificate the user has. */
  action: z.enum(['sign', 'keyInfo']),
  format: z.enum(['xml', 'cms', 'raw']).optional(),
  attached: z.boolean().optional(),
  documents: z.array(SiteDocument).max(100),
  /** What the site accepts: the dialog offers these keys first; main checks the chosen one again. */
  key: z.strictObject({
    purpose: Purpose.optional(),
    iin: Digits12.optional(),
    bin: Digits12.optional(),
    /** NCALayer storage names (PKCS12, AKKaztokenStore, ...); absent: any. */
    storages: z.array(z.string().max(64)).max(16).optional(),
  }),
  timestampRequested: z.boolean(),
});
export type SiteRequest = z.infer<typeof SiteRequest>;

/** The window's answer to a site request: a key and its secret, or no. */
export const SiteAnswer = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('confirmed'), ref: KeyRef, secret: Secret, rememberOrigin: z.boolean() }),
  /** This request only. */
  z.strictObject({ outcome: z.literal('cancelled') }),
  /** The site's requests are refused without a dialog for a while. */
  z.strictObject({ outcome: z.literal('refused') }),
]);
export type SiteAnswer = z.infer<typeof SiteAnswer>;

/** The service as the settings screen shows it. */
export const NcaLayerStatus = z.strictObject({
  enabled: z.boolean(),
  /** The administrator's policy decides (on or off): the user cannot change it. */
  locked: z.boolean(),
  running: z.boolean(),
  port: z.number().int().min(0).max(65535).nullable(),
  /** Why it is not running although enabled: another program (NCALayer) holds the port, or it failed to start. */
  problem: z.enum(['NCALAYER_PORT_IN_USE', 'NCALAYER_START_FAILED']).nullable(),
  /** The service's own 127.0.0.1 certificate, once made. */
  certificate: z.strictObject({ path: FilePath, fingerprint256: z.string().max(128), notAfter: IsoDate, created: z.boolean() }).nullable(),
  /** How the certificate is trusted here: the steps shown, and whether Joldama may add it for the user. */
  trust: z.strictObject({ os: z.enum(['windows', 'macos', 'linux']), automatic: z.boolean(), added: z.boolean() }),
  rememberedSites: z.array(SiteOrigin).max(1000),
});
export type NcaLayerStatus = z.infer<typeof NcaLayerStatus>;

function ncaLayerCalls() {
  return {
    'ncalayer.status': { input: Empty, output: NcaLayerStatus },
    /** Turns the service on or off (SETTING_LOCKED under a policy; NCALAYER_PORT_IN_USE when NCALayer holds the port). */
    'ncalayer.setEnabled': { input: z.strictObject({ enabled: z.boolean() }), output: NcaLayerStatus },
    /** The user asked Joldama to add the certificate to their own trust store (Linux NSS, Windows CurrentUser). */
    'ncalayer.trust': { input: Empty, output: NcaLayerStatus },
    /** The answer to the `ncalayer.request` event; a stale or unknown id is NCALAYER_REQUEST_UNKNOWN. Resolves once signed. */
    'ncalayer.answer': { input: z.strictObject({ requestId: z.uuid(), answer: SiteAnswer }), output: Empty },
  } as const;
}

/** An update of the app, downloaded and checked (#16). */
export const UpdateReady = z.strictObject({ version: z.string().min(1).max(64) });
/** A downloaded update main refused and deleted: its release-key signature was missing or did not verify (#16). */
export const UpdateRefused = z.strictObject({
  version: z.string().min(1).max(64),
  code: z.enum(['UPDATE_SIGNATURE_MISSING', 'UPDATE_SIGNATURE_INVALID']),
  reason: z.enum(['missing', 'too-large', 'malformed', 'mismatch', 'unreadable']),
});
export type UpdateRefused = z.infer<typeof UpdateRefused>;

// ---------------------------------------------------------------------------------------------
// The calls

export const contract = {
  'app.info': {
    input: Empty,
    output: z.strictObject({
      version: z.string().max(64),
      mode: z.enum(['electron', 'browser']),
      portalUrl: PortalUrl,
      demo: z.boolean(),
      demoKeysFolder: FilePath.optional(),
      policy: PolicyView,
    }),
  },
  /**
   * Ends this applicant's session on a shared computer: portal logout, the last key folder and (in
   * Electron) Chromium's storage and the window's history. The window then wipes its own state.
   */
  'session.end': { input: Empty, output: Empty },
  /** The portal's public information: support contacts, the offer period. */
  'portal.info': { input: Empty, output: PortalInfo },
  'settings.get': { input: Empty, output: SettingsSchema },
  'settings.update': { input: SettingsUpdate, output: SettingsSchema },
  /** Electron: native open dialog; browser mode: NOT_AVAILABLE_IN_BROWSER. null = cancelled. */
  'keys.pickFile': { input: Empty, output: z.strictObject({ path: FilePath }).nullable() },
  /** `path` is a key file or a folder of key files. */
  'keys.list': {
    input: z.strictObject({ path: FilePath, password: Password }),
    output: z.strictObject({ keys: z.array(KeyDetails).max(1000) }),
  },
  /** The revocation status of a key listed by keys.list (by its certificate's SHA-256 fingerprint). */
  'keys.revocation': {
    input: z.strictObject({ fingerprintSha256: z.string().regex(/^[0-9A-F]{64}$/) }),
    output: z.strictObject({ status: KeyRevocation }),
  },
  /** Log in with the key `ref` names; `secret` is its file's password or its token's PIN. */
  'auth.login': {
    input: z.strictObject({ ref: KeyRef, secret: Secret }),
    output: z.strictObject({ user: User }),
  },
  'auth.session': { input: Empty, output: z.strictObject({ user: User }).nullable() },
  'auth.setEmail': { input: z.strictObject({ email: Email }), output: z.strictObject({ user: User }) },
  'auth.logout': { input: Empty, output: Empty },
  // Personal cabinet (session required; NOT_LOGGED_IN / SESSION_EXPIRED otherwise).
  'cabinet.applications': {
    input: z.strictObject({ page: z.number().int().min(1).max(10_000).optional(), pageSize: z.number().int().min(1).max(100).optional() }),
    output: JournalPage,
  },
  /** The whole journal (every page), for sorting and filtering in the window. */
  'cabinet.journal': {
    /** status: only rows in that status, looked for among all of them by the portal (past MAX_JOURNAL_ROWS too). */
    input: z.strictObject({ status: JournalStatus.optional() }),
    output: z.strictObject({ items: z.array(JournalRow).max(MAX_JOURNAL_ROWS), total: z.number().int().min(0) }),
  },
  /** Live personal offers (the applicant's turn came), with deadline and working days left. */
  'cabinet.offers': { input: Empty, output: z.strictObject({ items: z.array(LiveOffer).max(100) }) },
  'cabinet.application': { input: ApplicationInput, output: ApplicationCard },
  'cabinet.history': { input: ApplicationInput, output: z.strictObject({ items: z.array(HistoryEntry).max(1000) }) },
  'cabinet.documents': { input: ApplicationInput, output: z.strictObject({ items: z.array(DocumentInfo).max(100) }) },
  /** «Кезектен алу»: leave the queue, with the applicant's reason. */
  'cabinet.dequeue': {
    input: z.strictObject({ applicationId: RecordId, reason: z.string().trim().min(3).max(1000) }),
    output: DequeueResponse,
  },
  'cabinet.vacancies': { input: ApplicationInput, output: z.strictObject({ items: z.array(Vacancy).max(1000) }) },
  /** A document's bytes, for saving (PDF, signed XML). */
  'documents.download': { input: DocumentInput, output: DocumentContent },
  /** The app's own check of a signed XML document, with the trust store the settings name. */
  'documents.verify': { input: DocumentInput, output: VerificationSummary },
  /** The referral request main would sign for this offer, built from the portal's own data. */
  'referral.preview': {
    input: z.strictObject({ applicationId: RecordId, offerId: RecordId }),
    output: z.strictObject({ document: ReferralDocument }),
  },
  /**
   * Builds the request again from the portal's data (never from the renderer), signs it with the
   * chosen SIGN key (checked locally first) and submits it.
   */
  'referral.signAndSubmit': {
    input: z.strictObject({
      applicationId: RecordId,
      offerId: RecordId,
      ref: KeyRef,
      secret: Secret,
    }),
    output: z.strictObject({ referral: ReferralResult, timings: Timings }),
  },
  /**
   * Sends again the request signed by the last referral.signAndSubmit for this offer whose answer
   * was lost (PORTAL_UNREACHABLE), under the same idempotency key: never a second referral.
   * REFERRAL_NOTHING_TO_RETRY when there is none.
   */
  'referral.retry': {
    input: z.strictObject({ applicationId: RecordId, offerId: RecordId }),
    output: z.strictObject({ referral: ReferralResult, timings: Timings }),
  },
  // PMPK examinations (docs/pmpk.md; session required).
  /** The commissions, with addresses and languages. */
  'pmpk.commissions': { input: Empty, output: z.strictObject({ items: z.array(PmpkCommission).max(1000) }) },
  /** A commission's free examination slots, soonest first. */
  'pmpk.slots': {
    input: z.strictObject({ commissionId: RecordId }),
    output: z.strictObject({ commissionId: RecordId, items: z.array(PmpkSlot).max(10_000) }),
  },
  /** The examination schedule: the applicant's bookings, soonest first. */
  'pmpk.bookings': { input: Empty, output: z.strictObject({ items: z.array(PmpkBooking).max(1000) }) },
  /** Books a slot for one of the applicant's applications (its child), or for a child named by IIN. */
  'pmpk.book': { input: PmpkBookRequest, output: PmpkBooking },
  /** Cancels the applicant's booking of a slot still to come. */
  'pmpk.cancel': { input: z.strictObject({ bookingId: RecordId }), output: Empty },
  // Hardware tokens (PKCS#11): docs/tokens.md.
  /**
   * The tokens plugged in (in the modules main is configured with) and the certificates on each,
   * read without a PIN. Modules are loaded on the first call; from then on main watches for tokens
   * plugged in or removed (the `tokens.changed` event). `problems`: modules that could not be read.
   */
  'keys.tokens': {
    input: Empty,
    output: z.strictObject({
      tokens: z.array(TokenSummary).max(64),
      problems: z.array(z.strictObject({ module: FilePath, code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/) })).max(64),
    }),
  },
  ...cabinetSectionCalls(),
  // --- The application wizard (docs/applications.md) ---
  'apply.regions': { input: Empty, output: RegionsResponse },
  'apply.services': { input: z.strictObject({ region: z.string().min(1).max(64) }), output: ServicesResponse },
  'apply.organisations': {
    input: z.strictObject({ language: z.enum(['kk', 'ru']).optional(), district: z.string().min(1).max(200).optional() }),
    output: OrganisationsResponse,
  },
  /** The applicant's draft (an empty one when there is none) and each step's problems. */
  'apply.draft': { input: Empty, output: DraftState },
  'apply.saveDraft': { input: z.strictObject({ draft: ApplicationDraftInput }), output: DraftState },
  'apply.discardDraft': { input: Empty, output: Empty },
  'apply.sendCode': { input: z.strictObject({ channel: ContactChannel, target: z.string().trim().min(3).max(254) }), output: z.strictObject({ sentTo: z.string().max(260) }) },
  'apply.confirmCode': {
    input: z.strictObject({ channel: ContactChannel, target: z.string().trim().min(3).max(254), code: z.string().regex(/^\d{6}$/) }),
    output: DraftState,
  },
  /** Main reads the file at `path` (local, at most the portal's limit) and uploads it as the benefit proof. */
  'apply.attachProof': { input: z.strictObject({ path: FilePath }), output: DraftState },
  /** The application main would sign now, built from the draft, dated on the portal's clock, and the exact XML it signs. */
  'apply.preview': { input: Empty, output: z.strictObject({ document: ApplicationDocument, xml: z.string().max(64 * 1024) }) },
  /** Signs the previewed application with the chosen SIGN key and registers it; the draft is then discarded. */
  'apply.signAndSubmit': {
    input: z.strictObject({ ref: KeyRef, secret: Secret }),
    output: ApplicationSubmitResponse,
  },
  // The NCALayer-compatible signing service (docs/ncalayer.md)
  ...ncaLayerCalls(),
  // The wizard's proof file dialog (#14): Electron only, held to removable media by the policy.
  'apply.pickProof': { input: Empty, output: z.strictObject({ path: FilePath }).nullable() },
  // Updates of a home install (#16, docs/kiosk.md "Updates"); never in a kiosk.
  /**
   * The update downloaded, checked and ready to install (the `update.ready` event tells the same),
   * if any; the last download refused by main's signature check (`update.refused`), if any.
   */
  'update.status': { input: Empty, output: z.strictObject({ ready: UpdateReady.nullable(), refused: UpdateRefused.nullable() }) },
  /** Quits, installs the ready update and starts again; UPDATE_NOT_READY when there is none. */
  'update.install': { input: Empty, output: Empty },
  // The PMPK commission's view (#14): its staff's schedule and conclusions (docs/pmpk.md, Conclusions)
  /** The commission's examination schedule: the children booked from today on, soonest first. */
  'commission.schedule': { input: Empty, output: z.strictObject({ items: z.array(PmpkScheduleEntry).max(1000) }) },
  /** Records a conclusion for a child (IIN), with its category and last valid day. */
  'commission.conclude': { input: PmpkConclusionRequest, output: PmpkConclusionResponse },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type ContractCall = keyof Contract;
export type CallInput<K extends ContractCall> = z.input<Contract[K]['input']>;
export type CallOutput<K extends ContractCall> = z.output<Contract[K]['output']>;

export const callNames = Object.keys(contract) as ContractCall[];

export function isContractCall(name: unknown): name is ContractCall {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

// ---------------------------------------------------------------------------------------------
// Results and errors

/**
 * The app's error catalogue: every code main itself answers a call with, and whether the same
 * call may succeed if tried again later (the window then offers "try again"). The renderer
 * translates by code (`errors.<code>`); `details` carries small parameters (e.g. the field name),
 * never a stack or English prose. Portal refusals pass through with the portal's own codes
 * (protocol/refusals.ts), translated the same way.
 */
const appError = (retryable = false) => ({ retryable });
export const APP_ERRORS = {
  // contract / transport
  UNKNOWN_CALL: appError(),
  INVALID_INPUT: appError(),
  INTERNAL_ERROR: appError(true),
  NOT_AVAILABLE_IN_BROWSER: appError(),
  FORBIDDEN_SENDER: appError(),
  BRIDGE_UNREACHABLE: appError(true),
  UNAUTHORIZED: appError(),
  // settings
  SETTING_LOCKED: appError(),
  // keys (signing/'s own codes, passed through)
  WRONG_PASSWORD: appError(),
  NOT_PKCS12: appError(),
  KEYSTORE_DAMAGED: appError(),
  UNSUPPORTED_ALGORITHM: appError(),
  GOST_NOT_SUPPORTED: appError(),
  NO_PRIVATE_KEY: appError(),
  FILE_TOO_LARGE: appError(),
  FILE_NOT_FOUND: appError(),
  KEY_PATH_REFUSED: appError(),
  NO_KEYS_FOUND: appError(),
  KEY_INDEX_OUT_OF_RANGE: appError(),
  KEY_NOT_FOUND: appError(),
  // hardware tokens (docs/tokens.md, "PIN and token errors"); PIN_INCORRECT's details.pinTries: 'low' | 'final'
  PIN_INCORRECT: appError(),
  PIN_LOCKED: appError(),
  PIN_EXPIRED: appError(),
  TOKEN_REMOVED: appError(),
  TOKEN_FAILURE: appError(true),
  TOKENS_UNAVAILABLE: appError(),
  // the administrator's policy allows tokens only (keySources, docs/kiosk.md)
  KEY_FILES_DISABLED: appError(),
  // certificate, checked locally before contacting the portal
  CERT_EXPIRED: appError(),
  CERT_NOT_YET_VALID: appError(),
  WRONG_PURPOSE: appError(),
  CERTIFICATE_REVOKED: appError(),
  CERTIFICATE_UNTRUSTED: appError(),
  REVOCATION_UNKNOWN: appError(true),
  // session / portal
  NOT_LOGGED_IN: appError(),
  SESSION_EXPIRED: appError(),
  PORTAL_UNREACHABLE: appError(true),
  PORTAL_ERROR: appError(true),
  // referral
  REFERRAL_OFFER_NOT_FOUND: appError(),
  REFERRAL_ALREADY_ISSUED: appError(),
  REFERRAL_NOTHING_TO_RETRY: appError(),
  // documents
  DOCUMENT_NOT_XML: appError(),
  // IIN + password login (the rest are the portal's AUTH_* refusals)
  IIN_INVALID: appError(),
  LOGIN_METHOD_DISABLED: appError(),
  // the application wizard
  APPLY_DRAFT_INCOMPLETE: appError(),
  APPLY_NOT_PREVIEWED: appError(),
  APPLY_PROOF_UNREADABLE: appError(),
  // the NCALayer-compatible signing service (docs/ncalayer.md)
  NCALAYER_PORT_IN_USE: appError(true),
  NCALAYER_START_FAILED: appError(true),
  NCALAYER_REQUEST_UNKNOWN: appError(),
  NCALAYER_KEY_NOT_ACCEPTED: appError(),
  NCALAYER_SIGNING_FAILED: appError(),
  NCALAYER_TRUST_UNAVAILABLE: appError(),
  NCALAYER_TRUST_FAILED: appError(true),
  // the wizard's proof file dialog (#14)
  APPLY_PROOF_NOT_REMOVABLE: appError(),
  // updates of a home install (#16)
  UPDATE_NOT_READY: appError(),
  UPDATE_SIGNATURE_MISSING: appError(),
  UPDATE_SIGNATURE_INVALID: appError(),
  // the PMPK commission's view (#14): a staff key of an organisation that is not a commission
  AUTH_NOT_COMMISSION: appError(),
} as const satisfies Record<string, { retryable: boolean }>;

export const ErrorCode = z.enum(Object.keys(APP_ERRORS) as [keyof typeof APP_ERRORS, ...(keyof typeof APP_ERRORS)[]]);
export type KnownErrorCode = z.infer<typeof ErrorCode>;

export const isKnownErrorCode = (code: string): code is KnownErrorCode => Object.prototype.hasOwnProperty.call(APP_ERRORS, code);

/** Portal refusals pass through as their own AUTH_* (or other upper-case) code. */
export const AppErrorSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/),
  details: z.record(z.string().max(64), z.string().max(256)).optional(),
});
export type AppError = { code: KnownErrorCode | (string & {}); details?: Record<string, string> };

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ResultSchema = <T extends z.ZodType>(value: T) =>
  z.union([
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: AppErrorSchema }),
  ]);

/** What preload exposes as `window.joldama` and the browser-mode client implements. */
export type JoldamaApi = {
  [K in ContractCall]: (input: CallInput<K>) => Promise<Result<CallOutput<K>>>;
};

/** The single generic entry behind JoldamaApi (IPC channel / bridge route). */
export type CallFn = <K extends ContractCall>(name: K, input: CallInput<K>) => Promise<Result<CallOutput<K>>>;

/** Build a JoldamaApi from a generic call function (used by preload and the browser client). */
export function apiFromCall(call: CallFn): JoldamaApi {
  const api = {} as Record<string, unknown>;
  for (const name of callNames) api[name] = (input: unknown) => call(name, (input ?? {}) as never);
  return Object.freeze(api) as JoldamaApi;
}


// ---------------------------------------------------------------------------------------------
// Events: main → window

/**
 * What main tells the window without being asked, name → payload schema. Main validates every
 * payload before sending it; the window validates every event it receives (parseAppEvent) and
 * drops what does not match.
 */
export const events = {
  /**
   * The portal session ended without the window asking: it lapsed at the portal, the portal's
   * address changed, or the token (or the removable medium) holding the session's key was removed.
   */
  'session.ended': z.strictObject({ reason: z.enum(['expired', 'portal-changed', 'token-removed', 'medium-removed']) }),
  /** The applicant's event feed on the portal has something new (an offer, a status change): refresh. */
  'cabinet.changed': z.strictObject({ latestEventId: z.string().max(64) }),
  /** A token was plugged in or removed (after the window first asked for keys.tokens): list them again. */
  'tokens.changed': z.strictObject({}),
  // The NCALayer-compatible signing service (docs/ncalayer.md): a site asks to sign; the request ended without the window's answer.
  'ncalayer.request': SiteRequest,
  'ncalayer.requestClosed': z.strictObject({ requestId: z.uuid() }),
  // #16: an update of a home install is downloaded and checked: the window offers to restart (never in a kiosk).
  'update.ready': UpdateReady,
  // #16: a downloaded update failed main's release-key check and was deleted: the window says so.
  'update.refused': UpdateRefused,
} as const satisfies Record<string, z.ZodType>;

export type Events = typeof events;
export type ContractEvent = keyof Events;
export type EventPayload<K extends ContractEvent> = z.output<Events[K]>;
export type AppEvent = { [K in ContractEvent]: { name: K; payload: EventPayload<K> } }[ContractEvent];
export type EventListener = (event: AppEvent) => void;

export const eventNames = Object.keys(events) as ContractEvent[];

const EventEnvelope = z.strictObject({ name: z.string().max(64), payload: z.unknown() });

/** A received event, validated against the contract; null for anything else. */
export function parseAppEvent(raw: unknown): AppEvent | null {
  const envelope = EventEnvelope.safeParse(raw);
  if (!envelope.success || !Object.prototype.hasOwnProperty.call(events, envelope.data.name)) return null;
  const name = envelope.data.name as ContractEvent;
  const payload = events[name].safeParse(envelope.data.payload);
  return payload.success ? ({ name, payload: payload.data } as AppEvent) : null;
}

/** How the window listens: one subscription per listener; the returned function ends it. */
export interface JoldamaEvents {
  onEvent(listener: EventListener): () => void;
}

/** The preload's unchecked events (it imports no schema), each validated here before a listener sees it. */
export function validatedEvents(raw: RawEvents): JoldamaEvents {
  return {
    onEvent: (listener) =>
      raw.onEvent((received) => {
        const event = parseAppEvent(received);
        if (event) listener(event);
      }),
  };
}

