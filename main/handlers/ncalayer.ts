import type { HandlerGroup } from './types.ts';

export const ncalayerHandlers: HandlerGroup<'ncalayer.status' | 'ncalayer.setEnabled' | 'ncalayer.trust' | 'ncalayer.answer'> = {
  'ncalayer.status': async (_input, ctx) => ctx.ncalayer.status(),
  'ncalayer.setEnabled': async (input, ctx) => ctx.ncalayer.setEnabled(input.enabled),
  'ncalayer.trust': async (_input, ctx) => ctx.ncalayer.trust(),
  'ncalayer.answer': async (input, ctx) => {
    await ctx.ncalayer.answer(input.requestId, input.answer);
    return {};
  },
};
