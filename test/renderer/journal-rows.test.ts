/** The journal's sort and filters (renderer/src/features/journal/rows.ts). */
import { describe, expect, it } from 'vitest';
import type { JournalRow } from '../../protocol/portal-api.ts';
import { DEFAULT_SORT, journalView, nextSort, sortRows } from '../../renderer/src/features/journal/rows.ts';

function row(n: number, over: Partial<JournalRow> = {}): JournalRow {
  return {
    id: String(n),
    number: `KDDO.2021.${n}.1`,
    guardianName: null,
    childIin: `1801010000${String(n).padStart(2, '0')}`,
    childName: `Бала ${n}`,
    childBirthDate: '2018-01-01',
    tsonNumber: null,
    zupNumber: null,
    queueNumber: n,
    benefitQueueNumber: null,
    applicantName: 'ЖАНБЫРБАЕВА Айгүл',
    createdAt: `2021-01-${String(n).padStart(2, '0')}T10:00:00Z`,
    status: 'in_queue',
    benefitType: null,
    ...over,
  };
}

const ids = (rows: readonly JournalRow[]) => rows.map((r) => r.id);

describe('the journal rows', () => {
  it('open newest first, and the same answer sorted the same way is the same array (nothing allocated on opening again)', () => {
    const rows = [row(2), row(10), row(9)];
    const first = journalView(rows, DEFAULT_SORT, undefined, '');
    expect(ids(first)).toEqual(['10', '9', '2']);
    expect(journalView(rows, DEFAULT_SORT, undefined, '  ')).toBe(first);
    expect(journalView([...rows], DEFAULT_SORT, undefined, '')).not.toBe(first);
  });

  it('a header click turns the same column the other way and starts another ascending', () => {
    expect(nextSort({ column: 'createdAt', desc: true }, 'createdAt')).toEqual({ column: 'createdAt', desc: false });
    expect(nextSort({ column: 'createdAt', desc: false }, 'createdAt')).toEqual({ column: 'createdAt', desc: true });
    expect(nextSort({ column: 'createdAt', desc: true }, 'number')).toEqual({ column: 'number', desc: false });
  });

  it('sorts numbers inside text as numbers, and letters without regard to case', () => {
    const rows = [row(10), row(9), row(1)];
    expect(ids(sortRows(rows, { column: 'number', desc: false }))).toEqual(['1', '9', '10']);
    const names = [row(1, { applicantName: 'омарова' }), row(2, { applicantName: 'Әлиева' }), row(3, { applicantName: 'АХМЕТОВА' })];
    expect(ids(sortRows(names, { column: 'applicantName', desc: false }))[0]).toBe('3');
  });

  it('puts empty queue numbers last whichever way the column turns, and keeps the portal order on ties', () => {
    const rows = [row(1, { queueNumber: null }), row(2, { queueNumber: 5 }), row(3, { queueNumber: 5 }), row(4, { queueNumber: 1 })];
    expect(ids(sortRows(rows, { column: 'queueNumber', desc: false }))).toEqual(['4', '2', '3', '1']);
    expect(ids(sortRows(rows, { column: 'queueNumber', desc: true }))).toEqual(['2', '3', '4', '1']);
  });

  it('filters by status and by the search box (number, IIN, names; any case)', () => {
    const rows = [row(1), row(2, { status: 'dequeued' }), row(3, { guardianName: 'Сейтқали Дәурен' })];
    expect(ids(journalView(rows, DEFAULT_SORT, 'dequeued', ''))).toEqual(['2']);
    expect(ids(journalView(rows, DEFAULT_SORT, undefined, 'сейтқали'))).toEqual(['3']);
    expect(ids(journalView(rows, DEFAULT_SORT, undefined, '180101000001'))).toEqual(['1']);
    expect(ids(journalView(rows, DEFAULT_SORT, 'dequeued', 'KDDO.2021.3.'))).toEqual([]);
  });
});
