/**
 * Confirmation codes for the wizard's contacts (docs/applications.md, Step 1): a 6-digit code sent
 * to the phone (SMS) or e-mail the applicant typed, under the login codes' limits per person and
 * channel (SMS_CODE_RULES: one a minute, a daily cap, a guess budget), counted as
 * auth/one-time-codes.ts counts them. A right code records the target as confirmed.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { issueCode, takeCode, type CodeKind } from '../auth/one-time-codes.ts';
import { SMS_CODE_RULES } from '../auth/sms-codes.ts';
import { Refusal } from '../refusal.ts';
import { enqueueMessage } from '../notifications/outbox.ts';
import { contactTarget, type ContactChannel } from '../../protocol/application-api.ts';

/** How long a confirmed contact stays good for an application. */
export const CONFIRMED_CONTACT_TTL_MS = 24 * 60 * 60_000;

const iso = (ms: number): string => new Date(ms).toISOString();
const codeHash = (iin: string, channel: string, target: string, code: string): string =>
  createHash('sha256').update(`${iin}:${channel}:${target}:${code}`).digest('hex');

/** The target in its one spelling (e-mail lower-cased), or CONTACT_INVALID. */
export function normaliseTarget(channel: ContactChannel, target: string): string {
  const parsed = contactTarget[channel].safeParse(target.trim());
  if (!parsed.success)
    throw new Refusal(
      'CONTACT_INVALID',
      channel === 'email' ? 'The e-mail address is not valid.' : 'A phone is +77 followed by 9 digits.',
    );
  return channel === 'email' ? parsed.data.toLowerCase() : parsed.data;
}

const CONTACT_CODES: CodeKind = {
  rules: SMS_CODE_RULES,
  refusals: {
    tooSoon: [
      'CONTACT_CODE_TOO_SOON',
      'A confirmation code was sent a moment ago; wait a minute before asking for another.',
    ],
    dailyLimit: ['CONTACT_CODE_DAILY_LIMIT', 'Too many confirmation codes were sent today; try again tomorrow.'],
    attempts: ['CONTACT_CODE_ATTEMPTS', 'Too many wrong codes; try again tomorrow.'],
    expired: ['CONTACT_CODE_EXPIRED', 'The confirmation code has expired; request a new one.'],
    wrong: ['CONTACT_CODE_INVALID', 'The confirmation code is wrong.'],
    used: ['CONTACT_CODE_INVALID', 'The confirmation code has been used; request a new one.'],
    noCode: ['CONTACT_CODE_INVALID', 'The confirmation code is wrong; request a new one.'],
  },
};

const slotOf = (iin: string, channel: ContactChannel, target: string) =>
  ({ table: 'contact_codes', iin, channel, target }) as const;

/** Sends a new code to `target` (SMS or e-mail, through the outbox as a secret). Returns the masked target. */
export async function sendContactCode(
  db: Kysely<DB>,
  iin: string,
  channel: ContactChannel,
  rawTarget: string,
  now: Date,
): Promise<string> {
  const target = normaliseTarget(channel, rawTarget);
  await db.transaction().execute(async (trx) => {
    const hash = (code: string) => codeHash(iin, channel, target, code);
    const code = await issueCode(trx, CONTACT_CODES, slotOf(iin, channel, target), hash, now);
    const body = `Joldama: растау коды / код подтверждения ${code}`;
    await enqueueMessage(
      trx,
      { channel: channel === 'email' ? 'email' : 'sms', recipient: target, subject: 'Joldama', body },
      now,
      { secret: true },
    );
  });
  return channel === 'email' ? target.replace(/^(.).*@/, '$1•••@') : `•••${target.slice(-4)}`;
}

/** Takes the code once; a right one confirms the target it was sent to (if it is `rawTarget`). */
export async function confirmContactCode(
  db: Kysely<DB>,
  iin: string,
  channel: ContactChannel,
  rawTarget: string,
  code: string,
  now: Date,
): Promise<void> {
  const target = normaliseTarget(channel, rawTarget);
  const hash = (c: string) => codeHash(iin, channel, target, c);
  await takeCode(db, CONTACT_CODES, slotOf(iin, channel, target), hash, code, now);
}

/** True when `iin` confirmed `target` on `channel` within CONFIRMED_CONTACT_TTL_MS. */
export async function isContactConfirmed(
  db: Kysely<DB>,
  iin: string,
  channel: ContactChannel,
  target: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('contact_codes')
    .select(['confirmed_target', 'confirmed_at'])
    .where('iin', '=', iin)
    .where('channel', '=', channel)
    .executeTakeFirst();
  if (!row?.confirmed_at || row.confirmed_target !== normaliseTarget(channel, target)) return false;
  return row.confirmed_at > iso(now.getTime() - CONFIRMED_CONTACT_TTL_MS);
}
