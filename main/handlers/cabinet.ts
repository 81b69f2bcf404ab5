import { MAX_JOURNAL_ROWS } from '../../contract/contract.ts';
import type { JournalRow, JournalStatus } from '../../protocol/portal-api.ts';
import type { MainContext } from '../context.ts';
import type { HandlerGroup } from './types.ts';

/**
 * The journal (of one status, if given) up to MAX_JOURNAL_ROWS rows, newest first, as one portal
 * page: one request and one statement, so the rows are one consistent view of the queue. (Pages of
 * 100 cost the portal 100 requests, each counting the whole queue again.) The window sorts and
 * filters the rows itself, and says so when `total` is more than it was given.
 */
export async function wholeJournal(ctx: Pick<MainContext, 'auth' | 'portal'>, status?: JournalStatus): Promise<{ items: JournalRow[]; total: number }> {
  return ctx.auth.authed(async (token) => {
    const { items, total } = await ctx.portal.applications(token, 1, MAX_JOURNAL_ROWS, status);
    return { items: items.slice(0, MAX_JOURNAL_ROWS), total };
  });
}

export const cabinetHandlers: HandlerGroup<
  | 'cabinet.applications'
  | 'cabinet.journal'
  | 'cabinet.offers'
  | 'cabinet.application'
  | 'cabinet.history'
  | 'cabinet.documents'
  | 'cabinet.dequeue'
  | 'cabinet.vacancies'
> = {
  'cabinet.applications': async (input, ctx) =>
    ctx.auth.authed((token) => ctx.portal.applications(token, input.page ?? 1, input.pageSize ?? 20)),
  'cabinet.journal': async (input, ctx) => wholeJournal(ctx, input.status),
  'cabinet.offers': async (_input, ctx) => ctx.auth.authed((token) => ctx.portal.offers(token)),
  'cabinet.application': async (input, ctx) => ctx.auth.authed((token) => ctx.portal.application(token, input.applicationId)),
  'cabinet.history': async (input, ctx) => ctx.auth.authed((token) => ctx.portal.history(token, input.applicationId)),
  'cabinet.documents': async (input, ctx) => ctx.auth.authed((token) => ctx.portal.documents(token, input.applicationId)),
  'cabinet.dequeue': async (input, ctx) =>
    ctx.auth.authed((token) => ctx.portal.dequeue(token, input.applicationId, input.reason)),
  'cabinet.vacancies': async (input, ctx) => {
    const { items } = await ctx.auth.authed((token) => ctx.portal.vacancies(token, input.applicationId));
    return { items };
  },
};
