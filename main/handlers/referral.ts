import type { HandlerGroup } from './types.ts';

export const referralHandlers: HandlerGroup<'referral.preview' | 'referral.signAndSubmit' | 'referral.retry'> = {
  'referral.preview': async (input, ctx) => ({ document: await ctx.referral.preview(input.applicationId, input.offerId) }),
  'referral.signAndSubmit': async (input, ctx) =>
    ctx.referral.signAndSubmit(input.applicationId, input.offerId, input.ref, input.secret),
  'referral.retry': async (input, ctx) => ctx.referral.retry(input.applicationId, input.offerId),
};
