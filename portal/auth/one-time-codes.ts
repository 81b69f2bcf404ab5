/**
 * One-time codes under per-person limits, as the login's SMS codes (auth/sms-codes.ts, one
 * auth_codes row per IIN) and the wizard's contact codes (applications/contact-codes.ts, one
 * contact_codes row per IIN and channel) both keep them (docs/security-rules.md): at most one code
 * per cooldown, a cap of codes per window, a budget of wrong guesses per window whatever code they
 * were for, and a code valid for a while. A window that is over gives way to a new one.
 *
 * Each limit is checked and counted in one conditional UPDATE: two requests at once cannot both
 * pass a check that only one of them may (PostgreSQL re-reads the row a concurrent UPDATE changed;
 * SQLite has one writer). A code is compared only after its guess was counted.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { ContactChannel } from '../../protocol/application-api.ts';
import type { RefusalCode } from '../../protocol/refusals.ts';
import type { DB } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';

export interface CodeRules {
  /** A code is valid this long. */
  ttlMs: number;
  /** No second code to one slot within this time. */
  cooldownMs: number;
  /** A person's window for the two caps below. */
  windowMs: number;
  /** Codes sent to one slot in a window. */
  perWindow: number;
  /** Wrong guesses at one slot in a window, over all its codes. */
  guessesPerWindow: number;
}

/** Where a person's code lives: the login's row (by IIN), or a wizard contact's (by IIN and channel, for `target`). */
export type CodeSlot =
  | { table: 'auth_codes'; iin: string }
  | { table: 'contact_codes'; iin: string; channel: ContactChannel; target: string };

/** Why a code is refused; each user of this module answers each with its own refusal code and message. */
export type CodeRefusalReason =
  /** The cooldown since the last code is not over. */
  | 'tooSoon'
  /** The window's cap of codes is reached. */
  | 'dailyLimit'
  /** The window's wrong guesses are used up. */
  | 'attempts'
  | 'expired'
  /** A guess that does not match the live code. */
  | 'wrong'
  /** The right code, taken meanwhile by a concurrent guess. */
  | 'used'
  /** No live code to guess. */
  | 'noCode';

export interface CodeKind {
  rules: CodeRules;
  refusals: Readonly<Record<CodeRefusalReason, readonly [RefusalCode, string]>>;
}

const LONG_AGO = '1970-01-01T00:00:00.000Z';
const iso = (ms: number): string => new Date(ms).toISOString();

const refuse = (kind: CodeKind, reason: CodeRefusalReason): Refusal => new Refusal(...kind.refusals[reason]);

const inSlot =
  (slot: CodeSlot) =>
  (eb: ExpressionBuilder<DB, CodeSlot['table']>) =>
    slot.table === 'contact_codes'
      ? eb.and([eb('iin', '=', slot.iin), eb('channel', '=', slot.channel)])
      : eb('iin', '=', slot.iin);

/** The slot's row, made when it has none yet (its window starting now). */
async function ensureRow(db: Kysely<DB>, slot: CodeSlot, now: Date): Promise<void> {
  if (slot.table === 'auth_codes') {
    await db
      .insertInto('auth_codes')
      .values({
        iin: slot.iin,
        code_hash: '',
        expires_at: LONG_AGO,
        attempts: 0,
        sent_at: LONG_AGO,
        window_started_at: now.toISOString(),
        sent_in_window: 0,
      })
      .onConflict((oc) => oc.column('iin').doNothing())
      .execute();
    return;
  }
  await db
    .insertInto('contact_codes')
    .values({
      iin: slot.iin,
      channel: slot.channel,
      target: slot.target,
      code_hash: '',
      expires_at: LONG_AGO,
      window_started_at: now.toISOString(),
      confirmed_target: null,
      confirmed_at: null,
    })
    .onConflict((oc) => oc.columns(['iin', 'channel']).doNothing())
    .execute();
}

/** What a slot's row keeps of a code: its hash, salted with whose and where it is. */
export type CodeHash = (code: string) => string;

/**
 * A new 6-digit code, its hash recorded in the slot's row (a contact slot's row also its target),
 * or a refusal: `tooSoon` within the cooldown, `dailyLimit` past the window's cap. The caller
 * sends the code in the same transaction.
 */
export async function issueCode(
  db: Kysely<DB>,
  kind: CodeKind,
  slot: CodeSlot,
  hash: CodeHash,
  now: Date,
): Promise<string> {
  const at = now.getTime();
  await ensureRow(db, slot, now);
  // A window that is over gives way to a new one: caps and guesses start again.
  await db
    .updateTable(slot.table)
    .set({ window_started_at: now.toISOString(), sent_in_window: 0, attempts: 0 })
    .where(inSlot(slot))
    .where('window_started_at', '<=', iso(at - kind.rules.windowMs))
    .execute();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  let issue = db.updateTable(slot.table).set({
    code_hash: hash(code),
    expires_at: iso(at + kind.rules.ttlMs),
    sent_at: now.toISOString(),
    sent_in_window: sql<number>`sent_in_window + 1`,
  });
  if (slot.table === 'contact_codes') issue = issue.set('target', slot.target);
  const sent = await issue
    .where(inSlot(slot))
    .where('sent_at', '<=', iso(at - kind.rules.cooldownMs))
    .where('sent_in_window', '<', kind.rules.perWindow)
    .executeTakeFirst();
  if (sent.numUpdatedRows > 0n) return code;
  const row = await db
    .selectFrom(slot.table)
    .select('sent_in_window')
    .where(inSlot(slot))
    .executeTakeFirstOrThrow();
  throw refuse(kind, row.sent_in_window >= kind.rules.perWindow ? 'dailyLimit' : 'tooSoon');
}

/**
 * Takes `code` once: counts the guess first, compares it, and on a match retires the code so it
 * opens nothing again (a contact slot's row then records its target as confirmed, at `now`).
 * Refuses with `attempts`, `expired`, `wrong`, `used` or `noCode`. The hash covers the slot's
 * target, so a code sent to another target does not match.
 */
export async function takeCode(
  db: Kysely<DB>,
  kind: CodeKind,
  slot: CodeSlot,
  hash: CodeHash,
  code: string,
  now: Date,
): Promise<void> {
  const counted = await db
    .updateTable(slot.table)
    .set({ attempts: sql<number>`attempts + 1` })
    .where(inSlot(slot))
    .where('code_hash', '!=', '')
    .where('expires_at', '>', now.toISOString())
    .where('attempts', '<', kind.rules.guessesPerWindow)
    .returning('code_hash')
    .executeTakeFirst();
  if (!counted) throw await whyNotCounted(db, kind, slot, now);
  const expected = hash(code);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(counted.code_hash))) throw refuse(kind, 'wrong');
  // The right code, once: a concurrent guess of the same code finds it retired.
  let retire = db.updateTable(slot.table).set({ code_hash: '' });
  if (slot.table === 'contact_codes')
    retire = retire.set('confirmed_target', slot.target).set('confirmed_at', now.toISOString());
  const taken = await retire.where(inSlot(slot)).where('code_hash', '=', expected).executeTakeFirst();
  if (taken.numUpdatedRows === 0n) throw refuse(kind, 'used');
}

async function whyNotCounted(db: Kysely<DB>, kind: CodeKind, slot: CodeSlot, now: Date): Promise<Refusal> {
  const row = await db
    .selectFrom(slot.table)
    .select(['code_hash', 'expires_at', 'attempts'])
    .where(inSlot(slot))
    .executeTakeFirst();
  if (row && row.attempts >= kind.rules.guessesPerWindow) return refuse(kind, 'attempts');
  if (row?.code_hash && row.expires_at <= now.toISOString()) return refuse(kind, 'expired');
  return refuse(kind, 'noCode');
}
