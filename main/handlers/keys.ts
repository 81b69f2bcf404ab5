import path from 'node:path';
import { AppFailure } from '../errors.ts';
import { keyPathProblem } from '../key-path.ts';
import type { HandlerGroup } from './types.ts';

export const keysHandlers: HandlerGroup<'keys.pickFile' | 'keys.list' | 'keys.revocation' | 'keys.tokens'> = {
  'keys.pickFile': async (_input, ctx) => {
    if (!ctx.pickKeyFile) throw new AppFailure('NOT_AVAILABLE_IN_BROWSER');
    // The dialog starts in the last key folder only when it is a local one (a policy may set any).
    const { lastKeyPath } = ctx.settings.get();
    const picked = await ctx.pickKeyFile(lastKeyPath !== null && keyPathProblem(lastKeyPath) === null ? lastKeyPath : null);
    return picked === null ? null : { path: picked };
  },
  'keys.list': async (input, ctx) => {
    const keys = await ctx.signing.listKeys(input.path, input.password);
    // Remember the folder keys were found in (not when the policy locks it): the next dialog starts there.
    const folder = /\.(p12|pfx)$/i.test(input.path) ? path.dirname(input.path) : input.path;
    if (!ctx.settings.get().locked.includes('lastKeyPath')) {
      await ctx.settings.update({ lastKeyPath: folder }).catch(() => undefined);
    }
    return { keys };
  },
  'keys.revocation': async (input, ctx) => {
    const listed = ctx.signing.listedCertificate(input.fingerprintSha256);
    // Only keys this app listed: main checks its own certificates, never one a renderer names.
    if (!listed) return { status: 'unknown' };
    return { status: await ctx.trust.revocationOf(listed.certificate, listed.extraCertificates) };
  },
  'keys.tokens': async (_input, ctx) => ctx.tokens.list(),
};
