/**
 * What the journal's twelve columns show, in the seed's order (number, guardian, child's IIN, PSC
 * and ZUP numbers, queue number and benefit-category queue number, applicant, created date,
 * status, benefit type, birth date); rows.ts says how each sorts. Dates show as dd.MM.yyyy.
 */
import type { ReactNode } from 'react';
import type { JournalRow } from '../../../../protocol/portal-api.ts';
import { formatDate } from '../../format.ts';
import type { Dictionary } from '../../i18n/index.ts';
import { benefitName } from '../../i18n/names.ts';
import { JOURNAL_COLUMNS, type JournalColumnId } from './rows.ts';
import { StatusBadge, type OfferDeadline } from './StatusBadge.tsx';

/** Deadlines of live offers by application id, shown in the status cell. */
export type OfferDeadlines = ReadonlyMap<string, OfferDeadline>;

/**
 * What each cell shows, in the seed's column order (JOURNAL_COLUMNS, the order the headers use too).
 * Plain text where the value is text (one text node in the cell: a scrolled frame makes a dozen new
 * rows, and every element in them is styled, laid out and painted); the number is the row's link,
 * the status a badge.
 */
export function journalCells(t: Dictionary, deadlines: OfferDeadlines): ReadonlyArray<readonly [JournalColumnId, (row: JournalRow) => ReactNode]> {
  const show: Record<JournalColumnId, (row: JournalRow) => ReactNode> = {
    number: (r) => r.number,
    guardianName: (r) => r.guardianName ?? '',
    childIin: (r) => r.childIin,
    tsonNumber: (r) => r.tsonNumber ?? '',
    zupNumber: (r) => r.zupNumber ?? '',
    queueNumber: (r) => (r.queueNumber === null ? '' : String(r.queueNumber)),
    benefitQueueNumber: (r) => (r.benefitQueueNumber === null ? '' : String(r.benefitQueueNumber)),
    applicantName: (r) => r.applicantName,
    createdAt: (r) => formatDate(r.createdAt),
    status: (r) => <StatusBadge t={t} status={r.status} deadline={deadlines.get(r.id)} />,
    benefitType: (r) => benefitName(t, r.benefitType),
    childBirthDate: (r) => (r.childBirthDate ? formatDate(r.childBirthDate) : ''),
  };
  return JOURNAL_COLUMNS.map((id) => [id, show[id]] as const);
}
