import type { HandlerGroup } from './types.ts';

export const settingsHandlers: HandlerGroup<'settings.get' | 'settings.update'> = {
  'settings.get': async (_input, ctx) => ctx.settings.get(),
  'settings.update': async (input, ctx) => ctx.settings.update(input),
};
