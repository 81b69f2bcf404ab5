import type { HandlerGroup } from './types.ts';

export const appHandlers: HandlerGroup<'app.info' | 'portal.info'> = {
  'app.info': async (_input, ctx) => ({
    version: ctx.version,
    mode: ctx.mode,
    portalUrl: ctx.settings.get().portalUrl,
    demo: ctx.demo,
    ...(ctx.demoKeysFolder ? { demoKeysFolder: ctx.demoKeysFolder } : {}),
  }),
  'portal.info': async (_input, ctx) => ctx.portal.info(),
};
