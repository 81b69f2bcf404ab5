import type { HandlerGroup } from './types.ts';

export const cabinetHandlers: HandlerGroup<'cabinet.applications' | 'cabinet.application' | 'cabinet.vacancies'> = {
  'cabinet.applications': async (input, ctx) =>
    ctx.auth.authed((token) => ctx.portal.applications(token, input.page ?? 1, input.pageSize ?? 20)),
  'cabinet.application': async (input, ctx) => ctx.auth.authed((token) => ctx.portal.application(token, input.applicationId)),
  'cabinet.vacancies': async (input, ctx) => {
    const { items } = await ctx.auth.authed((token) => ctx.portal.vacancies(token, input.applicationId));
    return { items };
  },
};
