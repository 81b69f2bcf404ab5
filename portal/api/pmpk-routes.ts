/**
 * PMPK routes (docs/pmpk.md). Applicants: the commissions, a commission's free examination slots,
 * book a slot for one of their applications or for a child named by IIN, cancel their booking, their examination schedule.
 * Commission staff (a staff session acting for a commission): record a child's conclusion.
 * Bookings, cancellations and conclusions are written to the audit log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, OkResponse } from '../../protocol/portal-api.ts';
import {
  BookingParams,
  CommissionParams,
  PmpkBooking,
  PmpkBookingsResponse,
  PmpkBookRequest,
  PmpkCommissionSchedule,
  PmpkCommissionsResponse,
  PmpkConclusionRequest,
  PmpkConclusionResponse,
  PmpkSlotsResponse,
  type PmpkCommission,
} from '../../protocol/pmpk-api.ts';
import type { PortalContext } from '../server/context.ts';
import { requireCommissionStaff, requireIin } from '../server/session-hook.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { commissionLanguages, findCommission, listCommissions } from '../pmpk/commissions.ts';
import { ensureSlots, freeSlots } from '../pmpk/slots.ts';
import { bookSlot, cancelBooking, commissionSchedule, listBookings, type BookingRow } from '../pmpk/bookings.ts';
import { almatyDate } from '../calendar/working-days.ts';
import { recordConclusion } from '../pmpk/conclusions.ts';

const LANGUAGES = new Set(['kk', 'ru']);

export const pmpkRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    const security: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];
    const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };
    const tags = ['pmpk'];

    app.get('/api/pmpk/commissions', { schema: { tags, security, response: { 200: PmpkCommissionsResponse, ...errors } } }, async (req) => {
      requireIin(req);
      const rows = await listCommissions(ctx.db);
      return {
        items: rows.map(
          (c): PmpkCommission => ({
            id: String(c.id),
            nameKk: c.name_kk,
            nameRu: c.name_ru,
            addressKk: c.address_kk,
            addressRu: c.address_ru,
            phone: c.phone,
            languages: commissionLanguages(c).filter((l): l is 'kk' | 'ru' => LANGUAGES.has(l)),
            slotCapacity: c.slot_capacity,
          }),
        ),
      };
    });

    app.get(
      '/api/pmpk/commissions/:commissionId/slots',
      { schema: { tags, security, params: CommissionParams, response: { 200: PmpkSlotsResponse, ...errors } } },
      async (req) => {
        requireIin(req);
        const now = ctx.now();
        const commission = await findCommission(ctx.db, Number(req.params.commissionId));
        await ensureSlots(ctx.db, commission, now);
        const slots = await freeSlots(ctx.db, commission.id, now);
        return {
          commissionId: String(commission.id),
          items: slots.map((s) => ({ id: String(s.id), date: s.date, startsAt: s.starts_at, free: s.capacity - s.booked })),
        };
      },
    );

    app.get('/api/pmpk/bookings', { schema: { tags, security, response: { 200: PmpkBookingsResponse, ...errors } } }, async (req) => {
      const iin = requireIin(req);
      const nowIso = ctx.now().toISOString();
      const rows = await listBookings(ctx.db, iin);
      return {
        items: rows.map((b) => bookingView(b, nowIso)),
      };
    });

    app.post(
      '/api/pmpk/bookings',
      { schema: { tags, security, body: PmpkBookRequest, response: { 200: PmpkBooking, ...errors } } },
      async (req) => {
        const iin = requireIin(req);
        const now = ctx.now();
        const body = req.body;
        const slotId = Number(body.slotId);
        const bookingId = await bookSlot(
          ctx.db,
          'applicationId' in body ? { iin, slotId, applicationId: Number(body.applicationId) } : { iin, slotId, child: body.child },
          now,
          ctx.queue.config,
        );
        const details = 'applicationId' in body ? { ...body } : { slotId: body.slotId, childIin: body.child.iin };
        await appendAudit(ctx.db, { at: now, actorIin: iin, action: 'pmpk.booking', subject: String(bookingId), details });
        const booking = (await listBookings(ctx.db, iin)).find((b) => b.id === bookingId);
        if (!booking) throw new Error('the booking just made is not listed');
        return bookingView(booking, now.toISOString());
      },
    );

    app.post(
      '/api/pmpk/bookings/:bookingId/cancel',
      { schema: { tags, security, params: BookingParams, response: { 200: OkResponse, ...errors } } },
      async (req) => {
        const iin = requireIin(req);
        const now = ctx.now();
        await cancelBooking(ctx.db, { iin, bookingId: Number(req.params.bookingId) }, now);
        await appendAudit(ctx.db, { at: now, actorIin: iin, action: 'pmpk.booking.cancel', subject: req.params.bookingId });
        return { ok: true as const };
      },
    );

    app.get(
      '/api/staff/pmpk/schedule',
      { schema: { tags, security: [{ bearer: [] }, { staffCookie: [] }], response: { 200: PmpkCommissionSchedule, ...errors } } },
      async (req) => {
        const staff = requireCommissionStaff(req);
        const rows = await commissionSchedule(ctx.db, staff.commissionId, almatyDate(ctx.now()));
        return {
          items: rows.map((r) => ({
            bookingId: String(r.id),
            startsAt: r.starts_at,
            childIin: r.child_iin,
            childName: r.child_name,
            applicationNumber: r.application_number,
          })),
        };
      },
    );

    app.post(
      '/api/staff/pmpk/conclusions',
      {
        schema: {
          tags,
          security: [{ bearer: [] }, { staffCookie: [] }],
          body: PmpkConclusionRequest,
          response: { 200: PmpkConclusionResponse, ...errors },
        },
      },
      async (req) => {
        const staff = requireCommissionStaff(req);
        const now = ctx.now();
        const result = await recordConclusion(ctx.db, { commissionId: staff.commissionId, ...req.body }, now);
        await appendAudit(ctx.db, {
          at: now,
          actorIin: staff.iin,
          action: 'pmpk.conclusion',
          subject: String(result.conclusionId),
          details: { bin: staff.bin, childIin: req.body.childIin, category: req.body.category, validUntil: req.body.validUntil },
        });
        return { conclusionId: String(result.conclusionId), issuedOn: result.issuedOn, validUntil: req.body.validUntil, category: req.body.category };
      },
    );
  };

/** A booking as the applicant sees it; cancellable while booked and still to come. */
function bookingView(b: BookingRow, nowIso: string): PmpkBooking {
  return {
    id: String(b.id),
    state: b.state,
    startsAt: b.starts_at,
    commissionId: String(b.commission_id),
    commissionNameKk: b.name_kk,
    commissionNameRu: b.name_ru,
    addressKk: b.address_kk,
    addressRu: b.address_ru,
    applicationId: b.application_id === null ? null : String(b.application_id),
    applicationNumber: b.application_number,
    childName: b.child_name,
    cancellable: b.state === 'booked' && b.starts_at > nowIso,
  };
}
