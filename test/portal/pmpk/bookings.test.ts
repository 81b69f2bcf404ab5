/**
 * Booking and cancelling examination slots, and the commission's conclusion, on SQLite and
 * PostgreSQL (docs/pmpk.md): capacity, one active booking a child, someone else's application or
 * booking as not found, no booking or cancelling once the slot has started; a conclusion makes the
 * child eligible for places of its category.
 */
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../../portal/db/schema.ts';
import { Refusal } from '../../../portal/refusal.ts';
import { bookSlot, cancelBooking, listBookings } from '../../../portal/pmpk/bookings.ts';
import { ensureSlots, freeSlots } from '../../../portal/pmpk/slots.ts';
import { recordConclusion } from '../../../portal/pmpk/conclusions.ts';
import { loadCandidates } from '../../../portal/queue/eligibility.ts';
import { withTestDatabases } from '../../helpers/portal-db.ts';
import { addApplication, addFamily } from '../queue/fixtures.ts';
import { addCommission, childIin, slotsOf } from './fixtures.ts';

// Monday 2026-02-02, 08:00 in Almaty: slots open Tuesday 3 to Monday 9 February.
const NOW = new Date('2026-02-02T03:00:00.000Z');

async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Refusal) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
}

async function setUp(db: Kysely<DB>, capacity = 2) {
  const commission = await addCommission(db, { slot_capacity: capacity });
  await ensureSlots(db, commission, NOW);
  const slots = await slotsOf(db, commission.id);
  const apps = [];
  for (let i = 0; i < 4; i++) {
    apps.push(await addApplication(db, { registeredAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString() }));
  }
  return { commission, slots, apps };
}

withTestDatabases((_kind, freshDb) => {
  it('writes each slot once however often it is asked, on working days after today only', async () => {
    const { db } = await freshDb();
    const commission = await addCommission(db);
    await ensureSlots(db, commission, NOW);
    await ensureSlots(db, commission, NOW);
    const slots = await slotsOf(db, commission.id);
    expect(new Set(slots.map((s) => s.date))).toEqual(new Set(['2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06', '2026-02-09']));
    expect(slots).toHaveLength(5 * 3);
    expect(slots[0]).toMatchObject({ starts_at: '2026-02-03T04:00:00.000Z', capacity: 2, booked: 0 });
  });

  it('books up to the capacity, then refuses with PMPK_SLOT_TAKEN; the full slot is no longer free', async () => {
    const { db } = await freshDb();
    const { commission, slots, apps } = await setUp(db);
    const slot = slots[0]!;
    const book = (i: number) => bookSlot(db, { iin: apps[i]!.applicantIin, applicationId: apps[i]!.applicationId, slotId: slot.id }, NOW);
    await book(0);
    expect((await freeSlots(db, commission.id, NOW))[0]).toMatchObject({ id: slot.id, booked: 1 });
    await book(1);
    expect(await refused(book(2))).toBe('PMPK_SLOT_TAKEN');
    expect((await freeSlots(db, commission.id, NOW)).map((s) => s.id)).not.toContain(slot.id);
    const rows = await db.selectFrom('pmpk_bookings').select('child_id').where('slot_id', '=', slot.id).execute();
    expect(rows.map((r) => r.child_id).sort()).toEqual([apps[0]!.childId, apps[1]!.childId].sort());
  });

  it('keeps one active booking a child; cancelling frees the place and lets the child book again', async () => {
    const { db } = await freshDb();
    const { slots, apps } = await setUp(db);
    const a = apps[0]!;
    const id = await bookSlot(db, { iin: a.applicantIin, applicationId: a.applicationId, slotId: slots[0]!.id }, NOW);
    expect(await refused(bookSlot(db, { iin: a.applicantIin, applicationId: a.applicationId, slotId: slots[1]!.id }, NOW))).toBe(
      'PMPK_ALREADY_BOOKED',
    );
    await cancelBooking(db, { iin: a.applicantIin, bookingId: id }, NOW);
    expect((await slotsOf(db, slots[0]!.commission_id))[0]!.booked).toBe(0);
    expect(await refused(cancelBooking(db, { iin: a.applicantIin, bookingId: id }, NOW))).toBe('PMPK_BOOKING_CANCELLED');
    await bookSlot(db, { iin: a.applicantIin, applicationId: a.applicationId, slotId: slots[1]!.id }, NOW);
    const schedule = await listBookings(db, a.applicantIin);
    expect(schedule.map((b) => [b.state, b.starts_at])).toEqual([
      ['booked', slots[1]!.starts_at],
      ['cancelled', slots[0]!.starts_at],
    ].sort((x, y) => x[1]!.localeCompare(y[1]!)));
    expect(schedule[0]).toMatchObject({ name_kk: 'Алматы қаласының №1 ПМПК', application_id: a.applicationId, child_name: 'Сейтқали Әлихан' });
  });

  it("refuses another applicant's application and booking as not found, and leaves the booking alone (no IDOR)", async () => {
    const { db } = await freshDb();
    const { slots, apps } = await setUp(db);
    const [mine, theirs] = [apps[0]!, apps[1]!];
    expect(await refused(bookSlot(db, { iin: mine.applicantIin, applicationId: theirs.applicationId, slotId: slots[0]!.id }, NOW))).toBe(
      'APPLICATION_NOT_FOUND',
    );
    const theirBooking = await bookSlot(db, { iin: theirs.applicantIin, applicationId: theirs.applicationId, slotId: slots[0]!.id }, NOW);
    expect(await refused(cancelBooking(db, { iin: mine.applicantIin, bookingId: theirBooking }, NOW))).toBe('PMPK_BOOKING_NOT_FOUND');
    const row = await db.selectFrom('pmpk_bookings').select('state').where('id', '=', theirBooking).executeTakeFirstOrThrow();
    expect(row.state).toBe('booked');
    expect(await listBookings(db, mine.applicantIin)).toEqual([]);
    expect(await refused(cancelBooking(db, { iin: mine.applicantIin, bookingId: 999_999 }, NOW))).toBe('PMPK_BOOKING_NOT_FOUND');
    expect(await refused(bookSlot(db, { iin: mine.applicantIin, applicationId: mine.applicationId, slotId: 999_999 }, NOW))).toBe(
      'PMPK_SLOT_NOT_FOUND',
    );
  });

  it('refuses to book or cancel a slot that has started (PMPK_SLOT_PAST)', async () => {
    const { db } = await freshDb();
    const { slots, apps } = await setUp(db);
    const first = slots[0]!;
    const a = apps[0]!;
    const id = await bookSlot(db, { iin: a.applicantIin, applicationId: a.applicationId, slotId: first.id }, NOW);
    const started = new Date(first.starts_at);
    expect(await refused(cancelBooking(db, { iin: a.applicantIin, bookingId: id }, started))).toBe('PMPK_SLOT_PAST');
    const b = apps[1]!;
    expect(await refused(bookSlot(db, { iin: b.applicantIin, applicationId: b.applicationId, slotId: first.id }, started))).toBe(
      'PMPK_SLOT_PAST',
    );
    // One millisecond earlier both were still allowed.
    const before = new Date(started.getTime() - 1);
    await bookSlot(db, { iin: b.applicantIin, applicationId: b.applicationId, slotId: first.id }, before);
    await cancelBooking(db, { iin: a.applicantIin, bookingId: id }, before);
    expect((await freeSlots(db, first.commission_id, started)).map((s) => s.id)).not.toContain(first.id);
  });

  it("a commission's conclusion makes the child eligible for places of its category, and only for a valid period", async () => {
    const { db } = await freshDb();
    const commission = await addCommission(db);
    const app = await addApplication(db, { registeredAt: '2025-01-01T00:00:00.000Z', category: 'hearing', pmpkUntil: null });
    const blocked = async () => {
      const [candidate] = await loadCandidates(db, { placeCategory: 'hearing', applicationId: app.applicationId }, NOW);
      if (!candidate) throw new Error('the application is not a candidate');
      return candidate.blocked;
    };
    expect(await blocked()).toBe('NO_VALID_PMPK');
    const conclude = (validUntil: string, childIin = app.childIin) =>
      recordConclusion(db, { commissionId: commission.id, childIin, category: 'hearing', validUntil }, NOW);
    expect(await refused(conclude('2026-02-02'))).toBe('PMPK_VALIDITY_INVALID'); // today: not after it
    expect(await refused(conclude('2029-03-01'))).toBe('PMPK_VALIDITY_INVALID'); // beyond three years
    expect(await refused(conclude('2026-12-31', '000000000000'))).toBe('CHILD_NOT_FOUND');
    expect(await blocked()).toBe('NO_VALID_PMPK');
    const done = await conclude('2026-12-31');
    expect(done.issuedOn).toBe('2026-02-02');
    expect(await blocked()).toBeNull();
    const row = await db.selectFrom('pmpk_conclusions').selectAll().where('id', '=', done.conclusionId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ child_id: app.childId, commission_id: commission.id, category: 'hearing', valid_until: '2026-12-31' });
    // Another category's places still pass the child over.
    expect((await loadCandidates(db, { placeCategory: 'speech', applicationId: app.applicationId }, NOW))[0]?.blocked).toBe('NO_VALID_PMPK');
  });

  it('the schema itself refuses a slot booked beyond its capacity and a second active booking of a child', async () => {
    const { db } = await freshDb();
    const { slots, apps } = await setUp(db, 1);
    await expect(db.updateTable('pmpk_slots').set({ booked: 2 }).where('id', '=', slots[0]!.id).execute()).rejects.toThrow();
    const a = apps[0]!;
    const row = { slot_id: slots[0]!.id, application_id: a.applicationId, child_id: a.childId, applicant_id: a.applicantId, state: 'booked' as const, created_at: NOW.toISOString() };
    await db.insertInto('pmpk_bookings').values(row).execute();
    await expect(db.insertInto('pmpk_bookings').values({ ...row, slot_id: slots[1]!.id }).execute()).rejects.toThrow();
    await db.insertInto('pmpk_bookings').values({ ...row, state: 'cancelled' }).execute();
  });

  it('books for the applicant’s own second child too (one booking per child, not per applicant)', async () => {
    const { db } = await freshDb();
    const { slots, apps } = await setUp(db);
    const a = apps[0]!;
    const sibling = await addFamily(db, { registeredAt: '2025-01-02T00:00:00.000Z' });
    const second = await db
      .insertInto('applications')
      .values({
        number: 'KDDO.2021.sibling', applicant_id: a.applicantId, child_id: sibling.childId, guardian_name: null, category: 'speech',
        benefit_type: 'none', benefit_kind: null, benefit_confirmed_at: null, group_year: 2021, registered_at: NOW.toISOString(),
        status: 'in_queue', status_changed_at: NOW.toISOString(), region: 'Алматы', zup_number: null, tson_number: null,
        extra_email: null, extra_phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await bookSlot(db, { iin: a.applicantIin, applicationId: a.applicationId, slotId: slots[0]!.id }, NOW);
    await bookSlot(db, { iin: a.applicantIin, applicationId: second.id, slotId: slots[0]!.id }, NOW);
    expect(await listBookings(db, a.applicantIin)).toHaveLength(2);
  });
  it('books for a child named by IIN before there is an application, and records the child and the applicant', async () => {
    const { db } = await freshDb();
    const { slots } = await setUp(db);
    // A logged-in person with no application yet: an account, no applicants row.
    const parent = '850312400150';
    await db.insertInto('accounts').values({ iin: parent, full_name: 'Нұрланова Айгерім Серікқызы', created_at: NOW.toISOString() }).execute();
    const child = { iin: childIin('220501'), lastName: 'Нұрланов', firstName: 'Ерасыл' };
    const id = await bookSlot(db, { iin: parent, child, slotId: slots[0]!.id }, NOW);
    expect(await listBookings(db, parent)).toEqual([
      expect.objectContaining({ id, state: 'booked', application_id: null, application_number: null, child_name: 'Нұрланов Ерасыл' }),
    ]);
    expect(await db.selectFrom('children').select(['last_name', 'first_name', 'birth_date']).where('iin', '=', child.iin).executeTakeFirst()).toEqual({
      last_name: 'Нұрланов', first_name: 'Ерасыл', birth_date: '2022-05-01',
    });
    expect(await db.selectFrom('applicants').select(['last_name', 'first_name']).where('iin', '=', parent).executeTakeFirst()).toEqual({
      last_name: 'Нұрланова', first_name: 'Айгерім',
    });
    expect((await slotsOf(db, slots[0]!.commission_id))[0]!.booked).toBe(1);
    // One active booking a child, whichever way it was made; cancelling lets the child book again.
    expect(await refused(bookSlot(db, { iin: parent, child, slotId: slots[1]!.id }, NOW))).toBe('PMPK_ALREADY_BOOKED');
    await cancelBooking(db, { iin: parent, bookingId: id }, NOW);
    await bookSlot(db, { iin: parent, child, slotId: slots[1]!.id }, NOW);
  });

  it('holds a child named by IIN to the wizard’s rules: check digit, a real birth date, not the parent, an age a group takes', async () => {
    const { db } = await freshDb();
    const { slots, apps } = await setUp(db);
    const parent = apps[0]!.applicantIin;
    const book = (iin: string) => bookSlot(db, { iin: parent, child: { iin, lastName: 'Ә', firstName: 'Б' }, slotId: slots[0]!.id }, NOW);
    const good = childIin('220501');
    const wrongCheck = `${good.slice(0, 11)}${(Number(good[11]) + 1) % 10}`;
    expect(await refused(book(wrongCheck))).toBe('CHILD_IIN_INVALID');
    expect(await refused(book(childIin('220231')))).toBe('CHILD_IIN_INVALID'); // 31 February
    expect(await refused(book(childIin('190501')))).toBe('CHILD_AGE_OUT_OF_RANGE'); // of school age by September
    expect(await refused(book(childIin('270101')))).toBe('CHILD_AGE_OUT_OF_RANGE'); // not born yet
    await db.updateTable('applicants').set({ iin: good }).where('iin', '=', parent).execute();
    expect(await refused(bookSlot(db, { iin: good, child: { iin: good, lastName: 'Ә', firstName: 'Б' }, slotId: slots[0]!.id }, NOW))).toBe(
      'CHILD_IIN_INVALID',
    );
    expect(await db.selectFrom('pmpk_bookings').select('id').execute()).toEqual([]);
    expect((await slotsOf(db, slots[0]!.commission_id))[0]!.booked).toBe(0);
  });

  it('one active booking a child spans both kinds, and the schedule never shows the name the portal holds for a child', async () => {
    const { db } = await freshDb();
    const { slots, apps } = await setUp(db);
    const [theirs, stranger] = [apps[0]!, apps[1]!];
    const iin = childIin('210501');
    await db.updateTable('children').set({ iin }).where('id', '=', theirs.childId).execute();
    await bookSlot(db, { iin: theirs.applicantIin, applicationId: theirs.applicationId, slotId: slots[0]!.id }, NOW);
    const named = { iin, lastName: 'Басқа', firstName: 'Есім' };
    expect(await refused(bookSlot(db, { iin: stranger.applicantIin, child: named, slotId: slots[1]!.id }, NOW))).toBe('PMPK_ALREADY_BOOKED');
    const [mine] = await listBookings(db, theirs.applicantIin);
    await cancelBooking(db, { iin: theirs.applicantIin, bookingId: mine!.id }, NOW);
    await bookSlot(db, { iin: stranger.applicantIin, child: named, slotId: slots[1]!.id }, NOW);
    // The child's record is kept; the stranger's schedule shows what the stranger typed.
    expect((await listBookings(db, stranger.applicantIin)).map((b) => b.child_name)).toEqual(['Басқа Есім']);
    expect(await db.selectFrom('children').select('first_name').where('id', '=', theirs.childId).executeTakeFirst()).toEqual({ first_name: 'Әлихан' });
    expect(await refused(bookSlot(db, { iin: theirs.applicantIin, applicationId: theirs.applicationId, slotId: slots[2]!.id }, NOW))).toBe(
      'PMPK_ALREADY_BOOKED',
    );
    // The schema holds it too: a second active row for the child, with or without an application.
    const row = { slot_id: slots[3]!.id, application_id: theirs.applicationId, child_id: theirs.childId, applicant_id: theirs.applicantId, state: 'booked' as const, created_at: NOW.toISOString(), child_name: null };
    await expect(db.insertInto('pmpk_bookings').values(row).execute()).rejects.toThrow();
    // And the pairing: an application and a given name together, or neither, is refused.
    await expect(db.insertInto('pmpk_bookings').values({ ...row, state: 'cancelled', child_name: 'X Y' }).execute()).rejects.toThrow();
    await expect(db.insertInto('pmpk_bookings').values({ ...row, state: 'cancelled', application_id: null }).execute()).rejects.toThrow();
  });
});

describe('fixtures', () => {
  it('NOW is a Monday in Almaty', () => {
    expect(new Date(NOW.getTime() + 5 * 3600_000).getUTCDay()).toBe(1);
  });
});
