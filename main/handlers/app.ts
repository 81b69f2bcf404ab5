import type { HandlerGroup } from './types.ts';

export const appHandlers: HandlerGroup<'app.info' | 'portal.info' | 'session.end'> = {
  'app.info': async (_input, ctx) => ({
    version: ctx.version,
    mode: ctx.mode,
    portalUrl: ctx.settings.get().portalUrl,
    demo: ctx.demo,
    ...(ctx.demoKeysFolder ? { demoKeysFolder: ctx.demoKeysFolder } : {}),
    policy: {
      kiosk: ctx.policy.kiosk,
      languages: [...ctx.policy.languages],
      idleTimeoutSeconds: ctx.policy.idleTimeoutSeconds,
      keySources: [...ctx.policy.keySources],
      loginMethods: [...ctx.policy.loginMethods],
      settingsHidden: ctx.policy.settingsHidden,
    },
  }),
  'session.end': async (_input, ctx) => {
    const failed = await ctx.endSession();
    // Never shown to the window (the next person must not learn of it); the operator's log has it.
    if (failed.length > 0) console.error(`Joldama: ending the session, these steps failed: ${failed.join(', ')}`);
    return {};
  },
  'portal.info': async (_input, ctx) => ctx.portal.info(),
};
