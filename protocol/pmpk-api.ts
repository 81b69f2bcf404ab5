/**
 * Request and response bodies of the PMPK routes (docs/pmpk.md): the applicant's commissions, free
 * examination slots, bookings (the examination schedule), and the commission staff's conclusion.
 */
import { z } from 'zod';
import { CorrectionalCategory } from './categories.ts';
import { RecordId } from './ids.ts';

const id = RecordId;
const isoTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

export const PmpkCommission = z.object({
  id,
  nameKk: z.string(),
  nameRu: z.string(),
  addressKk: z.string(),
  addressRu: z.string(),
  phone: z.string(),
  /** Languages the commission examines in. */
  languages: z.array(z.enum(['kk', 'ru'])),
  /** Children one slot takes. */
  slotCapacity: z.number().int().min(1),
});
export type PmpkCommission = z.infer<typeof PmpkCommission>;

export const PmpkCommissionsResponse = z.object({ items: z.array(PmpkCommission) });
export type PmpkCommissionsResponse = z.infer<typeof PmpkCommissionsResponse>;

export const CommissionParams = z.object({ commissionId: id });

export const PmpkSlot = z.object({
  id,
  /** The Almaty date of the examination. */
  date: isoDate,
  startsAt: isoTime,
  /** Places still free at this time. */
  free: z.number().int().min(1),
});
export type PmpkSlot = z.infer<typeof PmpkSlot>;

export const PmpkSlotsResponse = z.object({ commissionId: id, items: z.array(PmpkSlot) });
export type PmpkSlotsResponse = z.infer<typeof PmpkSlotsResponse>;

/**
 * The child of a booking made before there is an application (docs/pmpk.md, Bookings): the IIN
 * (check digit and birth date checked by the portal) and the name the applicant gives.
 */
export const PmpkChild = z.strictObject({
  iin: z.string().regex(/^\d{12}$/, 'an IIN is 12 digits'),
  lastName: z.string().trim().min(1).max(100),
  firstName: z.string().trim().min(1).max(100),
});
export type PmpkChild = z.infer<typeof PmpkChild>;

/** A booking for one of the applicant's applications (its child), or for a child named by IIN. */
export const PmpkBookRequest = z.union([
  z.strictObject({ applicationId: id, slotId: id }),
  z.strictObject({ child: PmpkChild, slotId: id }),
]);
export type PmpkBookRequest = z.infer<typeof PmpkBookRequest>;

export const PmpkBooking = z.object({
  id,
  state: z.enum(['booked', 'cancelled']),
  startsAt: isoTime,
  commissionId: id,
  commissionNameKk: z.string(),
  commissionNameRu: z.string(),
  addressKk: z.string(),
  addressRu: z.string(),
  /** Null for a booking made before there is an application. */
  applicationId: id.nullable(),
  applicationNumber: z.string().nullable(),
  childName: z.string(),
  /** Booked and still to come: the applicant may cancel it. */
  cancellable: z.boolean(),
});
export type PmpkBooking = z.infer<typeof PmpkBooking>;

export const PmpkBookingsResponse = z.object({ items: z.array(PmpkBooking) });
export type PmpkBookingsResponse = z.infer<typeof PmpkBookingsResponse>;

export const BookingParams = z.object({ bookingId: id });

/** A conclusion names one of the closed list of correctional categories the queue matches. */
export const PmpkCategory = CorrectionalCategory;

export const PmpkConclusionRequest = z.strictObject({
  childIin: z.string().regex(/^\d{12}$/, 'an IIN is 12 digits'),
  category: PmpkCategory,
  /** Last valid day (Almaty), after today and at most three years ahead. */
  validUntil: isoDate,
});
export type PmpkConclusionRequest = z.infer<typeof PmpkConclusionRequest>;

export const PmpkConclusionResponse = z.object({ conclusionId: id, issuedOn: isoDate, validUntil: isoDate, category: z.string() });
export type PmpkConclusionResponse = z.infer<typeof PmpkConclusionResponse>;

// The commission's examination schedule, for its staff (docs/pmpk.md, Conclusions)
export const PmpkScheduleEntry = z.object({
  bookingId: id,
  startsAt: isoTime,
  childIin: z.string().regex(/^\d{12}$/),
  /** The name the applicant gave when booking without an application, else the child's record. */
  childName: z.string(),
  applicationNumber: z.string().nullable(),
});
export type PmpkScheduleEntry = z.infer<typeof PmpkScheduleEntry>;

export const PmpkCommissionSchedule = z.object({ items: z.array(PmpkScheduleEntry) });
export type PmpkCommissionSchedule = z.infer<typeof PmpkCommissionSchedule>;
