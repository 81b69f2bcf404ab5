/** Updates of a home install (updates.ts, docs/kiosk.md "Updates"). */
import { AppFailure } from '../errors.ts';
import type { HandlerGroup } from './types.ts';

export const updateHandlers: HandlerGroup<'update.status' | 'update.install'> = {
  'update.status': async (_input, ctx) => ({ ready: ctx.updates.ready(), refused: ctx.updates.refused() }),
  'update.install': async (_input, ctx) => {
    if (!ctx.updates.install()) throw new AppFailure('UPDATE_NOT_READY');
    return {};
  },
};
