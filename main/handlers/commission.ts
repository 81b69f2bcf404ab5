/** A PMPK commission's staff (docs/pmpk.md, Conclusions): its examination schedule and recording a conclusion. */
import { isValidIin } from '../../signing/index.ts';
import { AppFailure } from '../errors.ts';
import type { HandlerGroup } from './types.ts';

export const commissionHandlers: HandlerGroup<'commission.schedule' | 'commission.conclude'> = {
  'commission.schedule': async (_input, ctx) => {
    const { items } = await ctx.auth.staffAuthed((token) => ctx.portal.commissionSchedule(token));
    return { items };
  },
  // A mistyped IIN is caught here, before the portal is asked (its check digit).
  'commission.conclude': async (input, ctx) => {
    if (!isValidIin(input.childIin)) throw new AppFailure('IIN_INVALID');
    return ctx.auth.staffAuthed((token) => ctx.portal.recordConclusion(token, input));
  },
};
