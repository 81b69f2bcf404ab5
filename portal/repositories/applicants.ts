/**
 * The applicants row of a person: made the first time they apply or book an examination, then
 * kept (a later dealing does not overwrite it).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export interface ApplicantNames {
  lastName: string;
  firstName: string;
  middleName: string | null;
}

export interface ApplicantContacts {
  phone: string | null;
  email: string | null;
}

/** Splits a certificate's or account's full name ("SURNAME NAME PATRONYMIC"); a missing part is '—'. */
export function namesOf(fullName: string): ApplicantNames {
  const [lastName = '—', firstName = '—', middleName] = fullName.split(/\s+/).filter(Boolean);
  return { lastName, firstName, middleName: middleName ?? null };
}

/**
 * The applicant's id, inserting the row if there is none. Another transaction may be inserting the
 * same person at this moment: the insert then does nothing, and the row that won is read.
 */
export async function ensureApplicant(
  trx: Kysely<DB>,
  iin: string,
  names: ApplicantNames,
  contacts: ApplicantContacts,
  now: Date,
): Promise<number> {
  await trx
    .insertInto('applicants')
    .values({
      iin,
      last_name: names.lastName,
      first_name: names.firstName,
      middle_name: names.middleName,
      birth_date: null,
      phone: contacts.phone,
      email: contacts.email,
      address: null,
      actual_address: null,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('iin').doNothing())
    .execute();
  return (await trx.selectFrom('applicants').select('id').where('iin', '=', iin).executeTakeFirstOrThrow()).id;
}
