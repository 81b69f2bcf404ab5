/**
 * The journal's twelve columns in the seed's order (number, guardian, child's IIN, PSC and ZUP
 * numbers, queue number and benefit-category queue number, applicant, created date, status,
 * benefit type, birth date), with how each sorts and shows. Dates show as dd.MM.yyyy.
 */
import {
  columnFilteringFeature,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_equalsString,
  globalFilteringFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
} from '@tanstack/react-table';
import type { JournalRow } from '../../../../protocol/portal-api.ts';
import { formatDate } from '../../format.ts';
import type { Dictionary } from '../../i18n/index.ts';
import { benefitName } from '../../i18n/names.ts';
import { StatusBadge, type OfferDeadline } from './StatusBadge.tsx';

export const journalFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic, text: sortFn_text },
  columnFilteringFeature,
  globalFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  filterFns: { equalsString: filterFn_equalsString },
});

const helper = createColumnHelper<typeof journalFeatures, JournalRow>();

/** Column ids in the seed's order; their headers are the dictionary's journal.columns. */
export const JOURNAL_COLUMNS = [
  'number',
  'guardianName',
  'childIin',
  'tsonNumber',
  'zupNumber',
  'queueNumber',
  'benefitQueueNumber',
  'applicantName',
  'createdAt',
  'status',
  'benefitType',
  'childBirthDate',
] as const;

/** Deadlines of live offers by application id, shown in the status cell. */
export type OfferDeadlines = ReadonlyMap<string, OfferDeadline>;

export function journalColumns(t: Dictionary, deadlines: OfferDeadlines) {
  const h = t.journal.columns;
  const text = (value: string | null) => value ?? '';
  return helper.columns([
    helper.accessor('number', { id: 'number', header: h.number, sortFn: 'alphanumeric' }),
    helper.accessor((r) => text(r.guardianName), { id: 'guardianName', header: h.guardianName, sortFn: 'text' }),
    helper.accessor('childIin', { id: 'childIin', header: h.childIin, sortFn: 'basic' }),
    helper.accessor((r) => text(r.tsonNumber), { id: 'tsonNumber', header: h.tsonNumber, sortFn: 'alphanumeric' }),
    helper.accessor((r) => text(r.zupNumber), { id: 'zupNumber', header: h.zupNumber, sortFn: 'alphanumeric' }),
    helper.accessor((r) => r.queueNumber ?? undefined, { id: 'queueNumber', header: h.queueNumber, sortFn: 'basic', sortUndefined: 'last' }),
    helper.accessor((r) => r.benefitQueueNumber ?? undefined, {
      id: 'benefitQueueNumber',
      header: h.benefitQueueNumber,
      sortFn: 'basic',
      sortUndefined: 'last',
    }),
    helper.accessor('applicantName', { id: 'applicantName', header: h.applicantName, sortFn: 'text' }),
    helper.accessor('createdAt', { id: 'createdAt', header: h.createdAt, sortFn: 'basic', cell: (c) => formatDate(c.getValue()) }),
    helper.accessor('status', {
      id: 'status',
      header: h.status,
      sortFn: 'basic',
      filterFn: 'equalsString',
      cell: (c) => <StatusBadge status={c.getValue()} deadline={deadlines.get(c.row.original.id)} />,
    }),
    helper.accessor((r) => text(r.benefitType), { id: 'benefitType', header: h.benefitType, sortFn: 'basic', cell: (c) => benefitName(t, c.getValue()) }),
    helper.accessor((r) => text(r.childBirthDate), {
      id: 'childBirthDate',
      header: h.childBirthDate,
      sortFn: 'basic',
      cell: (c) => (c.getValue() ? formatDate(c.getValue()) : ''),
    }),
  ]);
}

/** The search box: application number, either IIN, and the names, case-insensitively. */
export function matchesSearch(row: JournalRow, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return true;
  return [row.number, row.childIin, row.childName, row.applicantName, row.guardianName ?? ''].some((v) => v.toLocaleLowerCase().includes(q));
}
