/** Accounts: one per applicant IIN, created at the first certificate login. */
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Me, NotificationSettings } from '../../protocol/portal-api.ts';
import { fullName } from '../repositories/applications.ts';
import { notificationPhones } from '../notifications/recipients.ts';

/** Creates or refreshes the account and returns it (one statement). */
export async function upsertAccountOnLogin(db: Kysely<DB>, iin: string, fullName: string, now: Date): Promise<Me> {
  const row = await db
    .insertInto('accounts')
    .values({ iin, full_name: fullName, email: null, password_hash: null, created_at: now.toISOString(), last_login_at: now.toISOString() })
    .onConflict((oc) => oc.column('iin').doUpdateSet({ full_name: fullName, last_login_at: now.toISOString() }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return meFromRow(row, await registered(db, iin));
}

export async function getMe(db: Kysely<DB>, iin: string): Promise<Me | null> {
  const row = await db.selectFrom('accounts').selectAll().where('iin', '=', iin).executeTakeFirst();
  return row ? meFromRow(row, await registered(db, iin)) : null;
}

/** The applicant as registered with their applications ("Жанбырбаева Айгүл Серікқызы", phone), if any. */
async function registered(db: Kysely<DB>, iin: string): Promise<{ name: string; phone: string | null } | null> {
  const p = await db.selectFrom('applicants').select(['last_name', 'first_name', 'middle_name', 'phone']).where('iin', '=', iin).executeTakeFirst();
  return p ? { name: fullName(p), phone: p.phone } : null;
}

/**
 * The name shown to the applicant: as registered, else as the certificate has it (capitals). The
 * phones are those notifications go to: the account's own, else the one registered with the
 * applications, so settings never show an empty field while SMS go to that number.
 */
function meFromRow(row: Selectable<DB['accounts']>, applicant: { name: string; phone: string | null } | null): Me {
  return {
    iin: row.iin,
    fullName: applicant?.name ?? row.full_name,
    email: row.email,
    needsEmail: row.email === null,
    phones: notificationPhones(parsePhones(row.phones), applicant?.phone ?? null),
    notifications: { sms: row.notify_sms === 1, email: row.notify_email === 1, language: row.notify_language === 'ru' ? 'ru' : 'kk' },
  };
}

function parsePhones(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : [];
}

export async function setEmail(db: Kysely<DB>, iin: string, email: string): Promise<void> {
  await db.updateTable('accounts').set({ email }).where('iin', '=', iin).execute();
}

export async function setPhones(db: Kysely<DB>, iin: string, phones: string[]): Promise<void> {
  await db.updateTable('accounts').set({ phones: JSON.stringify(phones) }).where('iin', '=', iin).execute();
}

export async function setNotificationSettings(db: Kysely<DB>, iin: string, s: NotificationSettings): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ notify_sms: s.sms ? 1 : 0, notify_email: s.email ? 1 : 0, notify_language: s.language })
    .where('iin', '=', iin)
    .execute();
}
