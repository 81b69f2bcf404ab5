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
import type { ReactNode } from 'react';
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

/** What sorts and filters (TanStack Table): an accessor per column; the cells are drawn by journalCells. */
export function journalColumns(t: Dictionary) {
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
    helper.accessor('createdAt', { id: 'createdAt', header: h.createdAt, sortFn: 'basic' }),
    helper.accessor('status', { id: 'status', header: h.status, sortFn: 'basic', filterFn: 'equalsString' }),
    helper.accessor((r) => text(r.benefitType), { id: 'benefitType', header: h.benefitType, sortFn: 'basic' }),
    helper.accessor((r) => text(r.childBirthDate), { id: 'childBirthDate', header: h.childBirthDate, sortFn: 'basic' }),
  ]);
}

export type JournalColumnId = (typeof JOURNAL_COLUMNS)[number];

/**
 * What each cell shows, in the seed's column order. Plain text where the value is text (one text
 * node in the cell: a scrolled frame makes a dozen new rows, and every element in them is styled,
 * laid out and painted); the number is the row's link, the status a badge.
 */
export function journalCells(t: Dictionary, deadlines: OfferDeadlines): ReadonlyArray<readonly [JournalColumnId, (row: JournalRow) => ReactNode]> {
  return [
    ['number', (r) => r.number],
    ['guardianName', (r) => r.guardianName ?? ''],
    ['childIin', (r) => r.childIin],
    ['tsonNumber', (r) => r.tsonNumber ?? ''],
    ['zupNumber', (r) => r.zupNumber ?? ''],
    ['queueNumber', (r) => (r.queueNumber === null ? '' : String(r.queueNumber))],
    ['benefitQueueNumber', (r) => (r.benefitQueueNumber === null ? '' : String(r.benefitQueueNumber))],
    ['applicantName', (r) => r.applicantName],
    ['createdAt', (r) => formatDate(r.createdAt)],
    ['status', (r) => <StatusBadge t={t} status={r.status} deadline={deadlines.get(r.id)} />],
    ['benefitType', (r) => benefitName(t, r.benefitType)],
    ['childBirthDate', (r) => (r.childBirthDate ? formatDate(r.childBirthDate) : '')],
  ];
}

/** The search box: application number, either IIN, and the names, case-insensitively. */
export function matchesSearch(row: JournalRow, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return true;
  return [row.number, row.childIin, row.childName, row.applicantName, row.guardianName ?? ''].some((v) => v.toLocaleLowerCase().includes(q));
}
