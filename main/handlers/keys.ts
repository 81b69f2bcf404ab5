import { AppFailure } from '../errors.ts';
import type { HandlerGroup } from './types.ts';

export const keysHandlers: HandlerGroup<'keys.pickFile' | 'keys.list'> = {
  'keys.pickFile': async (_input, ctx) => {
    if (!ctx.pickKeyFile) throw new AppFailure('NOT_AVAILABLE_IN_BROWSER');
    const picked = await ctx.pickKeyFile(ctx.settings.get().lastKeyPath);
    return picked === null ? null : { path: picked };
  },
  'keys.list': async (input, ctx) => {
    const keys = await ctx.signing.listKeys(input.path, input.password);
    // Remember where keys were found (ignored when the policy locks it).
    if (!ctx.settings.get().locked.includes('lastKeyPath')) {
      await ctx.settings.update({ lastKeyPath: input.path }).catch(() => undefined);
    }
    return { keys };
  },
};
