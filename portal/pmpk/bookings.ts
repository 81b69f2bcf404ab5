/**
 * Booking and cancelling an examination slot (docs/pmpk.md, Bookings). The applicant books for one
 * of their own applications (its child), or, before there is an application, for a child named by
 * IIN (the applicant is taken to be the parent, as in the wizard); a slot never takes more children than its capacity, even
 * with several portal processes booking at once: the only write that raises `booked` is one
 * conditional UPDATE (`booked < capacity`), which PostgreSQL re-checks on the row's latest version
 * after waiting for a concurrent writer, and a CHECK constraint holds the same bound. A child holds
 * one active booking at a time (a partial unique index backs the check made here).
 */
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { inWriteTransaction } from '../db/write-transaction.ts';
import type { DB, PmpkBookingState } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';
import { iinBirthDate, isValidIin } from '../../signing/index.ts';
import { childAgeFits } from '../../protocol/child-age.ts';
import { defaultQueueConfig } from '../queue/config.ts';
import type { PmpkChild } from '../../protocol/pmpk-api.ts';
import { ensureApplicant, namesOf } from '../repositories/applicants.ts';

/** The applicant (by IIN) books a slot for one of their applications, or for a child named by IIN. */
export type BookInput = { iin: string; slotId: number } & ({ applicationId: number } | { child: PmpkChild });

/** The rules a child named by IIN is held to: those of the wizard's step 2 (docs/pmpk.md). */
export interface ChildRules {
  schoolAge: number;
}

const slotPast = () => new Refusal('PMPK_SLOT_PAST', 'This examination time has passed.');
const alreadyBooked = () =>
  new Refusal('PMPK_ALREADY_BOOKED', 'The child already has an examination booked; cancel it first to choose another time.');

/** Books the slot for the application's child, or the child named by IIN; the booking's id. */
export async function bookSlot(
  db: Kysely<DB>,
  input: BookInput,
  now: Date,
  rules: ChildRules = { schoolAge: defaultQueueConfig.schoolAge },
): Promise<number> {
  const nowIso = now.toISOString();
  return inWriteTransaction(db, async (trx) => {
    const whose =
      'applicationId' in input
        ? await ownApplication(trx, input.iin, input.applicationId)
        : await namedChild(trx, input.iin, input.child, now, rules);
    const slot = await trx
      .selectFrom('pmpk_slots')
      .select(['id', 'starts_at'])
      .where('id', '=', input.slotId)
      .executeTakeFirst();
    if (!slot) throw new Refusal('PMPK_SLOT_NOT_FOUND', 'No such examination slot.');
    if (slot.starts_at <= nowIso) throw slotPast();
    const active = await trx
      .selectFrom('pmpk_bookings')
      .select('id')
      .where('child_id', '=', whose.childId)
      .where('state', '=', 'booked')
      .executeTakeFirst();
    if (active) throw alreadyBooked();

    const taken = await trx
      .updateTable('pmpk_slots')
      .set((eb) => ({ booked: eb('booked', '+', 1) }))
      .where('id', '=', slot.id)
      .where('starts_at', '>', nowIso)
      .whereRef('booked', '<', 'capacity')
      .executeTakeFirst();
    if (taken.numUpdatedRows === 0n) {
      throw new Refusal('PMPK_SLOT_TAKEN', 'Every place at this examination time is taken; choose another time.');
    }
    try {
      const row = await trx
        .insertInto('pmpk_bookings')
        .values({
          slot_id: slot.id,
          application_id: whose.applicationId,
          child_id: whose.childId,
          applicant_id: whose.applicantId,
          child_name: whose.childName,
          state: 'booked',
          created_at: nowIso,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyBooked(); // a concurrent booking for the same child won
      throw error;
    }
  });
}

interface Whose {
  applicationId: number | null;
  childId: number;
  applicantId: number;
  /** The name the applicant gave, for a booking without an application. */
  childName: string | null;
}

async function ownApplication(trx: Kysely<DB>, iin: string, applicationId: number): Promise<Whose> {
  // Someone else's application reads as missing: no way to learn which ids exist.
  const app = await trx
    .selectFrom('applications as a')
    .innerJoin('applicants as p', 'p.id', 'a.applicant_id')
    .select(['a.id', 'a.child_id', 'a.applicant_id'])
    .where('a.id', '=', applicationId)
    .where('p.iin', '=', iin)
    .executeTakeFirst();
  if (!app) throw new Refusal('APPLICATION_NOT_FOUND', 'No such application of yours.');
  return { applicationId: app.id, childId: app.child_id, applicantId: app.applicant_id, childName: null };
}

/**
 * A child named by IIN: checked as the wizard checks it, then found or recorded, and the applicant
 * recorded from their account if this is their first dealing. A child the portal already knows
 * keeps its record; the booking shows only the name the applicant gave, never the stored one.
 */
async function namedChild(trx: Kysely<DB>, iin: string, child: PmpkChild, now: Date, rules: ChildRules): Promise<Whose> {
  const birthDate = iinBirthDate(child.iin);
  if (!isValidIin(child.iin) || !birthDate || child.iin === iin) throw new Refusal('CHILD_IIN_INVALID', "The child's IIN is not valid.");
  if (!childAgeFits(birthDate, now, rules.schoolAge)) {
    throw new Refusal('CHILD_AGE_OUT_OF_RANGE', 'The child is not of an age any group takes (born, and under school age by the coming 1 September).');
  }
  const lastName = child.lastName.trim();
  const firstName = child.firstName.trim();
  // Insert-or-nothing, then read: two first bookings for one child at once cannot fail on children.iin.
  await trx
    .insertInto('children')
    .values({ iin: child.iin, last_name: lastName, first_name: firstName, middle_name: null, birth_date: birthDate.toISOString().slice(0, 10), enrolled_in: null })
    .onConflict((oc) => oc.column('iin').doNothing())
    .execute();
  const { id: childId } = await trx.selectFrom('children').select('id').where('iin', '=', child.iin).executeTakeFirstOrThrow();
  return { applicationId: null, childId, applicantId: await applicantOf(trx, iin, now), childName: `${lastName} ${firstName}` };
}

/** The applicant's record, made from their account (the name they logged in with) the first time. */
async function applicantOf(trx: Kysely<DB>, iin: string, now: Date): Promise<number> {
  const account = await trx.selectFrom('accounts').select(['full_name', 'email']).where('iin', '=', iin).executeTakeFirst();
  return ensureApplicant(trx, iin, namesOf(account?.full_name ?? ''), { phone: null, email: account?.email ?? null }, now);
}

/** Cancels the applicant's own booking of a slot still to come; the place is free again. */
export async function cancelBooking(db: Kysely<DB>, input: { iin: string; bookingId: number }, now: Date): Promise<void> {
  const nowIso = now.toISOString();
  await inWriteTransaction(db, async (trx) => {
    const booking = await trx
      .selectFrom('pmpk_bookings as b')
      .innerJoin('applicants as p', 'p.id', 'b.applicant_id')
      .innerJoin('pmpk_slots as s', 's.id', 'b.slot_id')
      .select(['b.id', 'b.slot_id', 'b.state', 's.starts_at'])
      .where('b.id', '=', input.bookingId)
      .where('p.iin', '=', input.iin)
      .executeTakeFirst();
    // Another applicant's booking reads as missing (no IDOR, no probing).
    if (!booking) throw new Refusal('PMPK_BOOKING_NOT_FOUND', 'No such examination booking of yours.');
    if (booking.state !== 'booked') throw cancelled();
    if (booking.starts_at <= nowIso) throw slotPast();
    const done = await trx
      .updateTable('pmpk_bookings')
      .set({ state: 'cancelled', cancelled_at: nowIso })
      .where('id', '=', booking.id)
      .where('state', '=', 'booked')
      .executeTakeFirst();
    if (done.numUpdatedRows === 0n) throw cancelled(); // a concurrent cancel won
    await trx
      .updateTable('pmpk_slots')
      .set((eb) => ({ booked: eb('booked', '-', 1) }))
      .where('id', '=', booking.slot_id)
      .execute();
  });
}

const cancelled = () => new Refusal('PMPK_BOOKING_CANCELLED', 'This examination booking is already cancelled.');

export interface BookingRow {
  id: number;
  state: PmpkBookingState;
  created_at: string;
  starts_at: string;
  commission_id: number;
  name_kk: string;
  name_ru: string;
  address_kk: string;
  address_ru: string;
  application_id: number | null;
  application_number: string | null;
  child_name: string;
}

/** The applicant's examination schedule: every booking, soonest first, cancelled ones included. */
export async function listBookings(db: Kysely<DB>, iin: string): Promise<BookingRow[]> {
  const rows = await db
    .selectFrom('pmpk_bookings as b')
    .innerJoin('applicants as p', 'p.id', 'b.applicant_id')
    .innerJoin('pmpk_slots as s', 's.id', 'b.slot_id')
    .innerJoin('pmpk_commissions as c', 'c.id', 's.commission_id')
    .leftJoin('applications as a', 'a.id', 'b.application_id')
    .innerJoin('children as ch', 'ch.id', 'b.child_id')
    .select([
      'b.id',
      'b.state',
      'b.created_at',
      's.starts_at',
      'c.id as commission_id',
      'c.name_kk',
      'c.name_ru',
      'c.address_kk',
      'c.address_ru',
      'a.id as application_id',
      'a.number as application_number',
      'ch.last_name',
      'ch.first_name',
      'b.child_name as given_name',
    ])
    .where('p.iin', '=', iin)
    .orderBy('s.starts_at')
    .orderBy('b.id')
    .limit(500)
    .execute();
  return rows.map(({ last_name, first_name, given_name, ...r }) => ({ ...r, child_name: given_name ?? `${last_name} ${first_name}` }));
}

export interface ScheduleRow {
  id: number;
  starts_at: string;
  child_iin: string;
  child_name: string;
  application_number: string | null;
}

/**
 * A commission's examination schedule for its staff: the bookings held (not cancelled) from the
 * start of `today` (an Almaty date) on, soonest first. Bookings open only `days_ahead` working
 * days ahead, so this stays small; the limit is a guard.
 */
export async function commissionSchedule(db: Kysely<DB>, commissionId: number, today: string): Promise<ScheduleRow[]> {
  const rows = await db
    .selectFrom('pmpk_bookings as b')
    .innerJoin('pmpk_slots as s', 's.id', 'b.slot_id')
    .innerJoin('children as ch', 'ch.id', 'b.child_id')
    .leftJoin('applications as a', 'a.id', 'b.application_id')
    .select(['b.id', 's.starts_at', 'ch.iin as child_iin', 'ch.last_name', 'ch.first_name', 'b.child_name as given_name', 'a.number as application_number'])
    .where('s.commission_id', '=', commissionId)
    .where('s.date', '>=', today)
    .where('b.state', '=', 'booked')
    .orderBy('s.starts_at')
    .orderBy('b.id')
    .limit(1000)
    .execute();
  return rows.map(({ last_name, first_name, given_name, ...r }) => ({ ...r, child_name: given_name ?? `${last_name} ${first_name}` }));
}
