/** IIN + password login, the account's settings and the cabinet's sections (docs/cabinet.md). */
import type { Account } from '../../contract/contract.ts';
import type { Me } from '../../protocol/portal-api.ts';
import { AppFailure } from '../errors.ts';
import type { MainContext } from '../context.ts';
import type { HandlerGroup } from './types.ts';

/** The administrator's policy may turn the IIN + password way in off (docs/kiosk.md). */
export function requireLoginMethod(ctx: MainContext, method: 'certificate' | 'password'): void {
  if (!ctx.policy.loginMethods.includes(method)) throw new AppFailure('LOGIN_METHOD_DISABLED');
}

function toAccount(me: Me): Account {
  return { iin: me.iin, fullName: me.fullName.slice(0, 1024), email: me.email, phones: me.phones, notifications: me.notifications };
}

export const accountHandlers: HandlerGroup<
  | 'auth.passwordStart'
  | 'auth.passwordCreate'
  | 'auth.passwordLogin'
  | 'account.get'
  | 'account.setPhones'
  | 'account.setEmail'
  | 'account.setNotifications'
  | 'account.changePassword'
  | 'cabinet.feed'
  | 'cabinet.feedRead'
  | 'cabinet.referrals'
> = {
  'auth.passwordStart': async (input, ctx) => {
    requireLoginMethod(ctx, 'password');
    return ctx.auth.passwordStart(input.iin);
  },
  'auth.passwordCreate': async (input, ctx) => {
    requireLoginMethod(ctx, 'password');
    return { user: await ctx.auth.passwordCreate(input.iin, input.code, input.password) };
  },
  'auth.passwordLogin': async (input, ctx) => {
    requireLoginMethod(ctx, 'password');
    return { user: await ctx.auth.passwordLogin(input.iin, input.password) };
  },
  'account.get': async (_input, ctx) => toAccount(await ctx.auth.authed((token) => ctx.portal.me(token))),
  'account.setPhones': async (input, ctx) => toAccount(await ctx.auth.authed((token) => ctx.portal.setPhones(token, input.phones))),
  'account.setEmail': async (input, ctx) => {
    const account = toAccount(await ctx.auth.authed((token) => ctx.portal.setEmail(token, input.email)));
    // The session's user (needsEmail, the e-mail shown on the home screen) follows.
    await ctx.auth.session();
    return account;
  },
  'account.setNotifications': async (input, ctx) => toAccount(await ctx.auth.authed((token) => ctx.portal.setNotifications(token, input))),
  'account.changePassword': async (input, ctx) => {
    await ctx.auth.authed((token) => ctx.portal.changePassword(token, input.currentPassword, input.newPassword));
    return {};
  },
  'cabinet.feed': async (_input, ctx) => ctx.auth.authed((token) => ctx.portal.feed(token, 200)),
  'cabinet.feedRead': async (input, ctx) => {
    await ctx.auth.authed((token) => ctx.portal.feedRead(token, input.upTo));
    return {};
  },
  'cabinet.referrals': async (_input, ctx) => ctx.auth.authed((token) => ctx.portal.referrals(token)),
};
