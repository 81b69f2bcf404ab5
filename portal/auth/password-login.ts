/**
 * The second way in (docs/domain.md, The personal cabinet and applying): IIN + password. At the first login the applicant (known from an
 * application) gets a one-time SMS code, then creates a password. Passwords are kept as scrypt
 * hashes; a wrong password and an unknown IIN get the same answer.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';
import { enqueueMessage } from '../notifications/outbox.ts';
import { issueSmsCode, takeSmsCode } from './sms-codes.ts';
import { clearPasswordFailures, countPasswordTry } from './password-backoff.ts';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

const badPassword = (): Refusal => new Refusal('AUTH_BAD_PASSWORD', 'The IIN or the password is wrong.');

/** Known applicant of an application (their cabinet exists from their first application). */
async function applicantOf(db: Kysely<DB>, iin: string) {
  return db.selectFrom('applicants').select(['last_name', 'first_name', 'middle_name', 'phone']).where('iin', '=', iin).executeTakeFirst();
}

/** Step 1: does this IIN log in with a password, or first get an SMS code (sms-codes.ts limits them)? */
export async function startPasswordLogin(db: Kysely<DB>, iin: string, now: Date): Promise<{ step: 'password' | 'sms_code'; phoneHint: string | null }> {
  const account = await db.selectFrom('accounts').select('password_hash').where('iin', '=', iin).executeTakeFirst();
  if (account?.password_hash) return { step: 'password', phoneHint: null };
  const applicant = await applicantOf(db, iin);
  const phone = applicant?.phone;
  if (!phone) return { step: 'sms_code', phoneHint: null };
  await db.transaction().execute(async (trx) => {
    const code = await issueSmsCode(trx, iin, now);
    await enqueueMessage(trx, { channel: 'sms', recipient: phone, subject: 'Joldama', body: `Растау коды / Код подтверждения: ${code}` }, now, {
      secret: true,
    });
  });
  return { step: 'sms_code', phoneHint: `•••${phone.slice(-4)}` };
}

/** Step 2 at first login: the SMS code, then the new password. Returns the applicant's full name. */
export async function setPasswordWithCode(db: Kysely<DB>, iin: string, code: string, password: string, now: Date): Promise<string> {
  await takeSmsCode(db, iin, code, now);
  const applicant = await applicantOf(db, iin);
  if (!applicant) throw new Refusal('AUTH_CODE_INVALID', 'The confirmation code is wrong; request a new one.');
  const fullName = [applicant.last_name, applicant.first_name, applicant.middle_name].filter(Boolean).join(' ');
  const hash = await hashPassword(password);
  await db
    .insertInto('accounts')
    .values({ iin, full_name: fullName, email: null, password_hash: hash, created_at: now.toISOString(), last_login_at: now.toISOString() })
    .onConflict((oc) => oc.column('iin').doUpdateSet({ password_hash: hash, last_login_at: now.toISOString() }))
    .execute();
  await clearPasswordFailures(db, iin);
  return fullName;
}

/** Checks the password, after the per-account back-off (password-backoff.ts) lets the try through. */
export async function passwordLogin(db: Kysely<DB>, iin: string, password: string, now: Date): Promise<void> {
  await countPasswordTry(db, iin, now);
  const account = await db.selectFrom('accounts').select('password_hash').where('iin', '=', iin).executeTakeFirst();
  // An unknown IIN costs the same scrypt as a known one, so timing does not tell them apart.
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await checkPassword(password, account?.password_hash ?? (await dummyHash));
  if (!account?.password_hash || !ok) throw badPassword();
  await clearPasswordFailures(db, iin);
  await db.updateTable('accounts').set({ last_login_at: now.toISOString() }).where('iin', '=', iin).execute();
}
