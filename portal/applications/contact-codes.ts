/**
 * Confirmation codes for the wizard's contacts (docs/applications.md, Step 1): a 6-digit code sent
 * to the phone (SMS) or e-mail the applicant typed, under the login codes' limits per person and
 * channel (SMS_CODE_RULES: one a minute, a daily cap, a guess budget). Each limit is checked and
 * counted in one conditional UPDATE, as in auth/sms-codes.ts, so two requests at once cannot both
 * pass; a guess is counted before it is compared. A right code records the target as confirmed.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { SMS_CODE_RULES } from '../auth/sms-codes.ts';
import { Refusal } from '../refusal.ts';
import { enqueueMessage } from '../notifications/outbox.ts';
import { contactTarget, type ContactChannel } from '../../protocol/application-api.ts';

/** How long a confirmed contact stays good for an application. */
export const CONFIRMED_CONTACT_TTL_MS = 24 * 60 * 60_000;

const LONG_AGO = '1970-01-01T00:00:00.000Z';
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

/** Sends a new code to `target` (SMS or e-mail, through the outbox as a secret). Returns the masked target. */
export async function sendContactCode(
  db: Kysely<DB>,
  iin: string,
  channel: ContactChannel,
  rawTarget: string,
  now: Date,
): Promise<string> {
  const target = normaliseTarget(channel, rawTarget);
  const at = now.getTime();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('contact_codes')
      .values({
        iin,
        channel,
        target,
        code_hash: '',
        expires_at: LONG_AGO,
        window_started_at: now.toISOString(),
        confirmed_target: null,
        confirmed_at: null,
      })
      .onConflict((oc) => oc.columns(['iin', 'channel']).doNothing())
      .execute();
    await trx
      .updateTable('contact_codes')
      .set({ window_started_at: now.toISOString(), sent_in_window: 0, attempts: 0 })
      .where('iin', '=', iin)
      .where('channel', '=', channel)
      .where('window_started_at', '<=', iso(at - SMS_CODE_RULES.windowMs))
      .execute();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const sent = await trx
      .updateTable('contact_codes')
      .set({
        target,
        code_hash: codeHash(iin, channel, target, code),
        expires_at: iso(at + SMS_CODE_RULES.ttlMs),
        sent_at: now.toISOString(),
        sent_in_window: sql<number>`sent_in_window + 1`,
      })
      .where('iin', '=', iin)
      .where('channel', '=', channel)
      .where('sent_at', '<=', iso(at - SMS_CODE_RULES.cooldownMs))
      .where('sent_in_window', '<', SMS_CODE_RULES.perWindow)
      .executeTakeFirst();
    if (sent.numUpdatedRows === 0n) {
      const row = await trx
        .selectFrom('contact_codes')
        .select('sent_in_window')
        .where('iin', '=', iin)
        .where('channel', '=', channel)
        .executeTakeFirstOrThrow();
      if (row.sent_in_window >= SMS_CODE_RULES.perWindow)
        throw new Refusal(
          'CONTACT_CODE_DAILY_LIMIT',
          'Too many confirmation codes were sent today; try again tomorrow.',
        );
      throw new Refusal(
        'CONTACT_CODE_TOO_SOON',
        'A confirmation code was sent a moment ago; wait a minute before asking for another.',
      );
    }
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
  const counted = await db
    .updateTable('contact_codes')
    .set({ attempts: sql<number>`attempts + 1` })
    .where('iin', '=', iin)
    .where('channel', '=', channel)
    .where('code_hash', '!=', '')
    .where('expires_at', '>', now.toISOString())
    .where('attempts', '<', SMS_CODE_RULES.guessesPerWindow)
    .returning(['code_hash', 'target'])
    .executeTakeFirst();
  if (!counted) throw await whyNotCounted(db, iin, channel, now);
  const expected = codeHash(iin, channel, target, code);
  if (counted.target !== target || !timingSafeEqual(Buffer.from(expected), Buffer.from(counted.code_hash))) {
    throw new Refusal('CONTACT_CODE_INVALID', 'The confirmation code is wrong.');
  }
  const taken = await db
    .updateTable('contact_codes')
    .set({ code_hash: '', confirmed_target: target, confirmed_at: now.toISOString() })
    .where('iin', '=', iin)
    .where('channel', '=', channel)
    .where('code_hash', '=', expected)
    .executeTakeFirst();
  if (taken.numUpdatedRows === 0n)
    throw new Refusal('CONTACT_CODE_INVALID', 'The confirmation code has been used; request a new one.');
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

async function whyNotCounted(
  db: Kysely<DB>,
  iin: string,
  channel: ContactChannel,
  now: Date,
): Promise<Refusal> {
  const row = await db
    .selectFrom('contact_codes')
    .select(['code_hash', 'expires_at', 'attempts'])
    .where('iin', '=', iin)
    .where('channel', '=', channel)
    .executeTakeFirst();
  if (row && row.attempts >= SMS_CODE_RULES.guessesPerWindow)
    return new Refusal('CONTACT_CODE_ATTEMPTS', 'Too many wrong codes; try again tomorrow.');
  if (row?.code_hash && row.expires_at <= now.toISOString())
    return new Refusal('CONTACT_CODE_EXPIRED', 'The confirmation code has expired; request a new one.');
  return new Refusal('CONTACT_CODE_INVALID', 'The confirmation code is wrong; request a new one.');
}
