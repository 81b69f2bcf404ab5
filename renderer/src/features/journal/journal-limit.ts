/**
 * Main hands the window at most MAX_JOURNAL_ROWS rows (the newest) with the applicant's total; the
 * search and sort then work on those. Past the limit the journal says so, and the status filter is
 * asked of the portal, which looks through all of the applicant's rows.
 */
import type { JournalStatus } from '../../../../protocol/portal-api.ts';

/** How many rows were shown of how many, when not all were; else null. */
export function truncation(page: { items: readonly unknown[]; total: number }): { shown: number; total: number } | null {
  return page.total > page.items.length ? { shown: page.items.length, total: page.total } : null;
}

/** What to ask main for when the status filter becomes `status`: the portal filters once the journal was cut or already filtered there. */
export function portalStatusFor(status: JournalStatus | undefined, cut: boolean, filteredAtPortal: boolean): JournalStatus | undefined {
  return cut || filteredAtPortal ? status : undefined;
}
