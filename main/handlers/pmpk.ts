/** PMPK examinations (docs/pmpk.md): the commissions, free slots, the schedule, book and cancel. */
import type { HandlerGroup } from './types.ts';

export const pmpkHandlers: HandlerGroup<'pmpk.commissions' | 'pmpk.slots' | 'pmpk.bookings' | 'pmpk.book' | 'pmpk.cancel'> = {
  'pmpk.commissions': async (_input, ctx) => {
    const { items } = await ctx.auth.authed((token) => ctx.portal.pmpkCommissions(token));
    return { items };
  },
  'pmpk.slots': async (input, ctx) => {
    const { commissionId, items } = await ctx.auth.authed((token) => ctx.portal.pmpkSlots(token, input.commissionId));
    return { commissionId, items };
  },
  'pmpk.bookings': async (_input, ctx) => {
    const { items } = await ctx.auth.authed((token) => ctx.portal.pmpkBookings(token));
    return { items };
  },
  'pmpk.book': async (input, ctx) => ctx.auth.authed((token) => ctx.portal.pmpkBook(token, input)),
  'pmpk.cancel': async (input, ctx) => {
    await ctx.auth.authed((token) => ctx.portal.pmpkCancel(token, input.bookingId));
    return {};
  },
};
