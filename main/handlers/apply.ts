import { AppFailure } from '../errors.ts';
import type { HandlerGroup } from './types.ts';

type ApplyCall =
  | 'apply.regions'
  | 'apply.services'
  | 'apply.organisations'
  | 'apply.draft'
  | 'apply.saveDraft'
  | 'apply.discardDraft'
  | 'apply.sendCode'
  | 'apply.confirmCode'
  | 'apply.attachProof'
  | 'apply.preview'
  | 'apply.signAndSubmit'
  | 'apply.pickProof';

export const applyHandlers: HandlerGroup<ApplyCall> = {
  'apply.regions': async (_input, ctx) => ctx.applications.regions(),
  'apply.services': async (input, ctx) => ctx.applications.services(input.region),
  'apply.organisations': async (input, ctx) => ctx.applications.organisations(input),
  'apply.draft': async (_input, ctx) => ctx.applications.draft(),
  'apply.saveDraft': async (input, ctx) => ctx.applications.saveDraft(input.draft),
  'apply.discardDraft': async (_input, ctx) => {
    await ctx.applications.discardDraft();
    return {};
  },
  'apply.sendCode': async (input, ctx) => ctx.applications.sendCode(input.channel, input.target),
  'apply.confirmCode': async (input, ctx) =>
    ctx.applications.confirmCode(input.channel, input.target, input.code),
  'apply.attachProof': async (input, ctx) => ctx.applications.attachProof(input.path),
  'apply.preview': async (_input, ctx) => ctx.applications.preview(),
  'apply.signAndSubmit': async (input, ctx) =>
    ctx.applications.signAndSubmit(input.ref, input.secret),
  'apply.pickProof': async (_input, ctx) => {
    if (!ctx.pickProofFile) throw new AppFailure('NOT_AVAILABLE_IN_BROWSER');
    const picked = await ctx.pickProofFile();
    return picked === null ? null : { path: picked };
  },
};
