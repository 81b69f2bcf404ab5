/**
 * PMPK over HTTP with real signatures (docs/pmpk.md): the applicant lists commissions and free
 * slots, books for their application, sees the schedule, cancels; each refusal with its status;
 * the demo commission head's key logs in as the commission's staff and records a conclusion;
 * kindergarten and commission sessions open only their own routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PmpkBooking, PmpkCommissionSchedule, PmpkCommissionsResponse, PmpkSlotsResponse } from '../../../protocol/pmpk-api.ts';
import { REFUSALS } from '../../../protocol/refusals.ts';
import type { StaffLoginResponse } from '../../../protocol/staff-api.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import { DATABASE_KINDS } from '../../helpers/portal-db.ts';
import { startTestPortal, type TestPortal } from '../server/helpers.ts';
import { demoVerifier, loginWith } from '../server/real-signatures.ts';
import { addApplication } from '../queue/fixtures.ts';
import { addCommission, childIin } from '../pmpk/fixtures.ts';
import { bookSlot } from '../../../portal/pmpk/bookings.ts';
import { DEMO_COMMISSION } from '../../../demo/pki/identities.ts';
import { COMMISSION_HEAD, DAUREN, HEAD, INDIVIDUAL, SAULE, seedApplication } from './fixtures.ts';

describe.each(DATABASE_KINDS)('PMPK over HTTP (%s)', (kind) => {
  let portal: TestPortal;
  let applicant: Record<string, string>;
  let own: { applicationId: number; childIin: string };
  let commissionId: string;

  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    portal.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const expectRefusal = (res: { statusCode: number; json: () => unknown }, code: keyof typeof REFUSALS) => {
    expect(res.json()).toMatchObject({ code });
    expect(res.statusCode).toBe(REFUSALS[code].status);
  };

  beforeAll(async () => {
    const pki = await getDemoPki();
    portal = await startTestPortal(await demoVerifier(), { kind, start: new Date(Date.parse(pki.index.generatedAt) + 60_000) });
    own = await seedApplication(portal.database.db, DAUREN, '2024-05-13T06:17:04.000Z');
    commissionId = String((await addCommission(portal.database.db, { bin: DEMO_COMMISSION.bin, slot_capacity: 1 })).id);
    const token = (await loginWith(portal, INDIVIDUAL)).json<{ token: string }>().token;
    applicant = { authorization: `Bearer ${token}` };
  }, 60_000);
  afterAll(() => portal?.close());

  it('lists the commissions with their addresses and languages, and only to a logged-in applicant', async () => {
    expectRefusal(await call('GET', '/api/pmpk/commissions', {}), 'UNAUTHENTICATED');
    const body = (await call('GET', '/api/pmpk/commissions', applicant)).json<PmpkCommissionsResponse>();
    expect(body.items).toEqual([
      expect.objectContaining({ id: commissionId, nameKk: 'Алматы қаласының №1 ПМПК', addressRu: 'г. Алматы, ул. Жамбыла, 25', languages: ['kk', 'ru'] }),
    ]);
    expectRefusal(await call('GET', '/api/pmpk/commissions/999/slots', applicant), 'PMPK_COMMISSION_NOT_FOUND');
    expectRefusal(await call('GET', '/api/pmpk/commissions/01/slots', applicant), 'BAD_REQUEST');
  });

  it('books a free slot, shows it in the schedule, refuses a taken one, someone else’s booking and a past one, and cancels', async () => {
    const slots = (await call('GET', `/api/pmpk/commissions/${commissionId}/slots`, applicant)).json<PmpkSlotsResponse>();
    expect(slots.items.length).toBeGreaterThan(0);
    const [first, second] = slots.items;
    expect(Date.parse(first!.startsAt)).toBeGreaterThan(portal.clock.now.getTime());
    const booked = await call('POST', '/api/pmpk/bookings', applicant, { applicationId: String(own.applicationId), slotId: first!.id });
    expect(booked.statusCode).toBe(200);
    const booking = booked.json<PmpkBooking>();
    expect(booking).toMatchObject({ state: 'booked', startsAt: first!.startsAt, applicationNumber: 'KDDO.2021.802010.1', cancellable: true });
    expect((await call('GET', '/api/pmpk/bookings', applicant)).json<{ items: PmpkBooking[] }>().items).toEqual([booking]);
    // Capacity 1: the slot is gone from the free list, and another child is refused.
    const after = (await call('GET', `/api/pmpk/commissions/${commissionId}/slots`, applicant)).json<PmpkSlotsResponse>();
    expect(after.items.map((s) => s.id)).not.toContain(first!.id);
    const other = await addApplication(portal.database.db, { registeredAt: '2025-01-01T00:00:00.000Z' });
    await expect(
      bookSlot(portal.database.db, { iin: other.applicantIin, applicationId: other.applicationId, slotId: Number(first!.id) }, portal.clock.now),
    ).rejects.toMatchObject({ code: 'PMPK_SLOT_TAKEN' });
    // Someone else's application and booking read as not found.
    expectRefusal(await call('POST', '/api/pmpk/bookings', applicant, { applicationId: String(other.applicationId), slotId: second!.id }), 'APPLICATION_NOT_FOUND');
    const theirs = await bookSlot(portal.database.db, { iin: other.applicantIin, applicationId: other.applicationId, slotId: Number(second!.id) }, portal.clock.now);
    expectRefusal(await call('POST', `/api/pmpk/bookings/${theirs}/cancel`, applicant), 'PMPK_BOOKING_NOT_FOUND');
    expectRefusal(await call('POST', '/api/pmpk/bookings', applicant, { applicationId: String(own.applicationId), slotId: second!.id }), 'PMPK_ALREADY_BOOKED');
    expectRefusal(await call('POST', '/api/pmpk/bookings', applicant, { applicationId: String(own.applicationId), slotId: '999999' }), 'PMPK_SLOT_NOT_FOUND');

    const cancelled = await call('POST', `/api/pmpk/bookings/${booking.id}/cancel`, applicant);
    expect(cancelled.json()).toEqual({ ok: true });
    expectRefusal(await call('POST', `/api/pmpk/bookings/${booking.id}/cancel`, applicant), 'PMPK_BOOKING_CANCELLED');
    const listed = (await call('GET', '/api/pmpk/bookings', applicant)).json<{ items: PmpkBooking[] }>().items;
    expect(listed).toEqual([expect.objectContaining({ id: booking.id, state: 'cancelled', cancellable: false })]);
    expectRefusal(await call('POST', '/api/pmpk/bookings', applicant, { applicationId: String(own.applicationId), slotId: second!.id }), 'PMPK_SLOT_TAKEN');

    // Once a slot has started it can be neither booked nor cancelled.
    const rebooked = (await call('POST', '/api/pmpk/bookings', applicant, { applicationId: String(own.applicationId), slotId: first!.id })).json<PmpkBooking>();
    // (The slot is moved to now rather than the clock to the slot: the session would lapse.)
    await portal.database.db.updateTable('pmpk_slots').set({ starts_at: portal.clock.now.toISOString() }).where('id', '=', Number(first!.id)).execute();
    expectRefusal(await call('POST', `/api/pmpk/bookings/${rebooked.id}/cancel`, applicant), 'PMPK_SLOT_PAST');
    const audit = await portal.database.db.selectFrom('audit_log').select(['action', 'actor_iin']).where('action', 'like', 'pmpk.%').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['pmpk.booking', 'pmpk.booking', 'pmpk.booking.cancel']);
    expect(audit.every((a) => a.actor_iin === DAUREN)).toBe(true);
  });

  it('books for a child named by IIN without an application, lists it with no application, refuses a bad IIN or a mixed body, and cancels', async () => {
    const slots = (await call('GET', `/api/pmpk/commissions/${commissionId}/slots`, applicant)).json<PmpkSlotsResponse>().items;
    const slot = slots.at(-1)!;
    const born = String(portal.clock.now.getUTCFullYear() - 3).slice(2);
    const child = { iin: childIin(`${born}0301`), lastName: 'Әбілов', firstName: 'Нұрислам' };
    expectRefusal(await call('POST', '/api/pmpk/bookings', applicant, { child: { ...child, iin: `${child.iin.slice(0, 11)}${(Number(child.iin[11]) + 1) % 10}` }, slotId: slot.id }), 'CHILD_IIN_INVALID');
    expectRefusal(await call('POST', '/api/pmpk/bookings', applicant, { child, applicationId: String(own.applicationId), slotId: slot.id }), 'BAD_REQUEST');
    expectRefusal(await call('POST', '/api/pmpk/bookings', applicant, { child: { ...child, lastName: ' ' }, slotId: slot.id }), 'BAD_REQUEST');
    const booked = await call('POST', '/api/pmpk/bookings', applicant, { child, slotId: slot.id });
    expect(booked.statusCode).toBe(200);
    const booking = booked.json<PmpkBooking>();
    expect(booking).toMatchObject({ state: 'booked', startsAt: slot.startsAt, applicationId: null, applicationNumber: null, childName: 'Әбілов Нұрислам', cancellable: true });
    expect((await call('GET', '/api/pmpk/bookings', applicant)).json<{ items: PmpkBooking[] }>().items).toContainEqual(booking);
    expectRefusal(await call('POST', '/api/pmpk/bookings', applicant, { child, slotId: slots.at(-2)!.id }), 'PMPK_ALREADY_BOOKED');
    expect((await call('POST', `/api/pmpk/bookings/${booking.id}/cancel`, applicant)).json()).toEqual({ ok: true });
    const audit = await portal.database.db.selectFrom('audit_log').select('details').where('action', '=', 'pmpk.booking').where('subject', '=', booking.id).executeTakeFirstOrThrow();
    expect(JSON.parse(String(audit.details))).toEqual({ slotId: slot.id, childIin: child.iin });
  });

  it('logs the head of a commission in with the demo commission key as its staff, who records a conclusion; kindergarten routes stay closed to them', async () => {
    // The kindergarten head's key names no organisation of this database: no staff session.
    expect((await loginWith(portal, HEAD, '/api/staff/auth/login')).statusCode).not.toBe(200);
    const res = await loginWith(portal, COMMISSION_HEAD, '/api/staff/auth/login');
    expect(res.statusCode).toBe(200);
    const body = res.json<StaffLoginResponse>();
    expect(body.staff).toMatchObject({ iin: SAULE, bin: DEMO_COMMISSION.bin, commissionId, commissionName: 'Алматы қаласының №1 ПМПК', commissionNameRu: 'ПМПК №1 города Алматы' });
    expect(body.staff.kindergartenId).toBeUndefined();
    const staff = { authorization: `Bearer ${body.token}` };
    expect((await call('GET', '/api/staff/me', staff)).json()).toMatchObject({ commissionId });
    expectRefusal(await call('GET', '/api/staff/vacancies', staff), 'UNAUTHENTICATED');
    expectRefusal(await call('POST', '/api/staff/pmpk/conclusions', applicant, { childIin: own.childIin, category: 'hearing', validUntil: '2099-01-01' }), 'UNAUTHENTICATED');

    const today = new Date(portal.clock.now.getTime() + 5 * 3600_000).toISOString().slice(0, 10);
    const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
    const conclude = (payload: object) => call('POST', '/api/staff/pmpk/conclusions', staff, payload);
    expectRefusal(await conclude({ childIin: own.childIin, category: 'hearing', validUntil: today }), 'PMPK_VALIDITY_INVALID');
    expectRefusal(await conclude({ childIin: '000000000000', category: 'hearing', validUntil: nextYear }), 'CHILD_NOT_FOUND');
    expectRefusal(await conclude({ childIin: own.childIin, category: 'Hearing!', validUntil: nextYear }), 'BAD_REQUEST');
    // A lower-case word outside the closed list of categories (protocol/categories.ts) is refused too.
    expectRefusal(await conclude({ childIin: own.childIin, category: 'hearingx', validUntil: nextYear }), 'BAD_REQUEST');
    const done = await conclude({ childIin: own.childIin, category: 'hearing', validUntil: nextYear });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ issuedOn: today, validUntil: nextYear, category: 'hearing' });
    const audit = await portal.database.db.selectFrom('audit_log').select(['actor_iin', 'details']).where('action', '=', 'pmpk.conclusion').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_iin).toBe(SAULE);
  });

  it("shows the commission's staff its schedule: the children booked, soonest first, without cancelled bookings; closed to applicants", async () => {
    const staff = { authorization: `Bearer ${(await loginWith(portal, COMMISSION_HEAD, '/api/staff/auth/login')).json<StaffLoginResponse>().token}` };
    const schedule = async () => (await call('GET', '/api/staff/pmpk/schedule', staff)).json<PmpkCommissionSchedule>().items;
    expectRefusal(await call('GET', '/api/staff/pmpk/schedule', applicant), 'UNAUTHENTICATED');
    // The applicant's bookings held now (earlier tests made them): each is on the commission's schedule.
    const mine = (await call('GET', '/api/pmpk/bookings', applicant)).json<{ items: PmpkBooking[] }>().items;
    const booking = mine.find((b) => b.state === 'booked')!;
    const cancelled = mine.filter((b) => b.state === 'cancelled').map((b) => b.id);
    expect(booking).toBeDefined();
    expect(cancelled.length).toBeGreaterThan(0);
    const entry = (await schedule()).find((e) => e.bookingId === booking.id);
    expect(entry).toEqual({
      bookingId: booking.id,
      startsAt: booking.startsAt,
      childIin: expect.stringMatching(/^\d{12}$/),
      childName: booking.childName,
      applicationNumber: booking.applicationNumber,
    });
    const startTimes = (await schedule()).map((e) => e.startsAt);
    expect(startTimes).toEqual([...startTimes].sort());
    for (const id of cancelled) expect((await schedule()).map((e) => e.bookingId)).not.toContain(id);
  });
});
