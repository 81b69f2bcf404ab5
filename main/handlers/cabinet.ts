import { MAX_JOURNAL_ROWS } from '../../contract/contract.ts';
import type { JournalRow, JournalStatus } from '../../protocol/portal-api.ts';
import type { MainContext } from '../context.ts';
import type { HandlerGroup } from './types.ts';

/** The portal's largest journal page. */
const PAGE_SIZE = 100;
/** Pages asked for at once after the first (which gives the total). */
const PARALLEL_PAGES = 4;

/**
 * Every page of the journal (of one status, if given), up to MAX_JOURNAL_ROWS rows: the window
 * sorts and filters them itself, and says so when `total` is more than it was given.
 */
export async function wholeJournal(ctx: Pick<MainContext, 'auth' | 'portal'>, status?: JournalStatus): Promise<{ items: JournalRow[]; total: number }> {
  return ctx.auth.authed(async (token) => {
    const first = await ctx.portal.applications(token, 1, PAGE_SIZE, status);
    const pages = Math.min(Math.ceil(first.total / PAGE_SIZE), MAX_JOURNAL_ROWS / PAGE_SIZE);
    const rest: JournalRow[][] = [];
    for (let page = 2; page <= pages; page += PARALLEL_PAGES) {
      const batch = [];
      for (let p = page; p < page + PARALLEL_PAGES && p <= pages; p++) batch.push(ctx.portal.applications(token, p, PAGE_SIZE, status));
      for (const result of await Promise.all(batch)) rest.push(result.items);
    }
    // Rows are unique by id: a row that moved between pages while they were read appears once.
    const seen = new Set<string>();
    const items = [first.items, ...rest].flat().filter((row) => !seen.has(row.id) && seen.add(row.id));
    return { items: items.slice(0, MAX_JOURNAL_ROWS), total: first.total };
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
