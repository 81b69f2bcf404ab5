import { requireLoginMethod } from './account.ts';
import type { HandlerGroup } from './types.ts';

export const authHandlers: HandlerGroup<'auth.login' | 'auth.session' | 'auth.setEmail' | 'auth.logout'> = {
  'auth.login': async (input, ctx) => {
    requireLoginMethod(ctx, 'certificate');
    return { user: await ctx.auth.login(input.ref, input.secret) };
  },
  'auth.session': async (_input, ctx) => {
    const user = await ctx.auth.session();
    return user ? { user } : null;
  },
  'auth.setEmail': async (input, ctx) => ({ user: await ctx.auth.setEmail(input.email) }),
  'auth.logout': async (_input, ctx) => {
    await ctx.auth.logout();
    return {};
  },
};
