/**
 * The administrator's policy: what it may say (PolicySchema, validated wherever it comes from:
 * the registry on Windows, a JSON file elsewhere) and what it means once defaults are applied
 * (Policy). Where it is read from, and who may have written it, is load.ts's business.
 */
import { z } from 'zod';
import { Language, SettingsSchema } from '../../contract/contract.ts';
import { AppFailure } from '../errors.ts';

/** Where applicants' keys may come from (signing/keys: key files, hardware tokens). */
export const KeySource = z.enum(['file', 'token']);
export type KeySource = z.infer<typeof KeySource>;
/** How applicants may log in to the portal: an EDS certificate, or IIN + password + SMS code. */
export const LoginMethod = z.enum(['certificate', 'password']);
export type LoginMethod = z.infer<typeof LoginMethod>;

const choice = <T extends z.ZodEnum>(item: T) =>
  z
    .array(item)
    .min(1)
    .max(item.options.length)
    .refine((list) => new Set(list).size === list.length, 'listed twice');

/** Kiosk mode without a timeout of its own: the session ends after this many idle seconds. */
export const KIOSK_IDLE_TIMEOUT_SECONDS = 120;

/**
 * ```json
 * { "settings": { "portalUrl": "https://portal.example.kz" }, "kiosk": true,
 *   "languages": ["kk", "ru"], "idleTimeoutSeconds": 120, "keySources": ["file"],
 *   "loginMethods": ["certificate"], "settingsHidden": true, "removableMediaOnly": true }
 * ```
 * Every field is optional; unknown fields are refused (a misspelt lock must not be ignored).
 */
export const PolicySchema = z
  .strictObject({
    /** Each named setting is forced to this value and locked. */
    settings: SettingsSchema.omit({ locked: true }).partial().optional(),
    kiosk: z.boolean().optional(),
    /** The languages the window offers (default: all). */
    languages: choice(Language).optional(),
    /** Seconds without input before the session ends (kiosk default KIOSK_IDLE_TIMEOUT_SECONDS; otherwise none). */
    idleTimeoutSeconds: z.number().int().min(30).max(3600).optional(),
    keySources: choice(KeySource).optional(),
    loginMethods: choice(LoginMethod).optional(),
    /** The settings screen is not shown (kiosk default: true). */
    settingsHidden: z.boolean().optional(),
    /** Key files only from removable media (kiosk default: true). */
    removableMediaOnly: z.boolean().optional(),
    /** The NCALayer-compatible signing service on (true) or off (false), locked; absent: the user decides (docs/ncalayer.md). */
    ncalayer: z.boolean().optional(),
    /** false: the app never updates itself (the office's deployment does); a kiosk never does anyway (docs/kiosk.md, "Updates"). */
    updates: z.boolean().optional(),
  })
  .superRefine((policy, ctx) => {
    if (policy.kiosk && !policy.settings?.portalUrl) {
      ctx.addIssue({ code: 'custom', path: ['settings', 'portalUrl'], message: 'a kiosk must name its portal' });
    }
    const language = policy.settings?.language;
    if (language && policy.languages && !policy.languages.includes(language)) {
      ctx.addIssue({ code: 'custom', path: ['settings', 'language'], message: 'not among the allowed languages' });
    }
  });
export type PolicyInput = z.input<typeof PolicySchema>;

/** The policy in force, defaults applied. */
export interface Policy {
  /** Where it was read from (for messages), null when there is none. */
  source: string | null;
  settings: z.infer<typeof PolicySchema>['settings'] & {};
  kiosk: boolean;
  languages: readonly Language[];
  idleTimeoutSeconds: number | null;
  keySources: readonly KeySource[];
  loginMethods: readonly LoginMethod[];
  settingsHidden: boolean;
  removableMediaOnly: boolean;
  /** The NCALayer-compatible signing service forced on or off; null: the user's setting. */
  ncalayer: boolean | null;
  /** The app may update itself (a home install with a feed, not a kiosk: updates.ts). */
  updates: boolean;
}

export const NO_POLICY: Policy = Object.freeze({
  source: null,
  settings: {},
  kiosk: false,
  languages: Language.options,
  idleTimeoutSeconds: null,
  keySources: KeySource.options,
  loginMethods: LoginMethod.options,
  settingsHidden: false,
  removableMediaOnly: false,
  ncalayer: null,
  updates: true,
});

/** Validates what a source holds; POLICY_INVALID names the fields at fault (never their values). */
export function parsePolicy(value: unknown, source: string): Policy {
  const parsed = PolicySchema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(policy)'}: ${issue.message}`).join('; ');
    throw new AppFailure('POLICY_INVALID', `${source} is not a valid policy: ${fields}`, { source });
  }
  const p = parsed.data;
  const kiosk = p.kiosk ?? false;
  return {
    source,
    settings: p.settings ?? {},
    kiosk,
    languages: p.languages ?? NO_POLICY.languages,
    idleTimeoutSeconds: p.idleTimeoutSeconds ?? (kiosk ? KIOSK_IDLE_TIMEOUT_SECONDS : null),
    keySources: p.keySources ?? NO_POLICY.keySources,
    loginMethods: p.loginMethods ?? NO_POLICY.loginMethods,
    settingsHidden: p.settingsHidden ?? kiosk,
    removableMediaOnly: p.removableMediaOnly ?? kiosk,
    ncalayer: p.ncalayer ?? null,
    updates: p.updates ?? !kiosk,
  };
}

/** A policy JSON text (at most MAX_POLICY_BYTES, checked by the reader). */
export function parsePolicyText(text: string, source: string): Policy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppFailure('POLICY_INVALID', `${source} is not JSON`, { source });
  }
  return parsePolicy(value, source);
}

export const MAX_POLICY_BYTES = 64 * 1024;

export const policyInsecure = (source: string, why: string) =>
  new AppFailure('POLICY_INSECURE', `${source} is not used: ${why}`, { source });
export const policyUnreadable = (source: string, why: string) =>
  new AppFailure('POLICY_INVALID', `${source} cannot be read: ${why}`, { source });
