/**
 * The whole journal for the window: one portal page of MAX_JOURNAL_ROWS, the applicant's total kept
 * so the window can say what it does not show, and a status filter passed to the portal.
 */
import { describe, expect, it } from 'vitest';
import { MAX_JOURNAL_ROWS } from '../../contract/contract.ts';
import { wholeJournal } from '../../main/handlers/cabinet.ts';
import type { MainContext } from '../../main/context.ts';
import type { JournalRow, JournalStatus } from '../../protocol/portal-api.ts';

const row = (i: number, status: string): JournalRow => ({
  id: String(i + 1),
  number: `KDDO.2021.${i + 1}`,
  guardianName: null,
  childIin: '210101500001',
  childName: 'Бала',
  childBirthDate: '2021-01-01',
  tsonNumber: null,
  zupNumber: null,
  queueNumber: null,
  benefitQueueNumber: null,
  applicantName: 'Ата-ана',
  createdAt: '2024-01-01T00:00:00.000Z',
  status,
  benefitType: 'none',
});

/** A portal holding `n` rows (newest first), every third dequeued, the oldest left; records the pages asked for. */
function portalWith(n: number) {
  const all = Array.from({ length: n }, (_, i) => row(i, i === n - 1 ? 'left' : i % 3 === 0 ? 'dequeued' : 'in_queue'));
  const asked: Array<{ page: number; pageSize: number; status: JournalStatus | undefined }> = [];
  const ctx = {
    auth: { authed: <T>(fn: (token: string) => Promise<T>) => fn('token') },
    portal: {
      applications: async (_token: string, page: number, pageSize: number, status?: JournalStatus) => {
        asked.push({ page, pageSize, status });
        const matching = status ? all.filter((r) => r.status === status) : all;
        return { items: matching.slice((page - 1) * pageSize, page * pageSize), total: matching.length, page, pageSize };
      },
    },
  } as unknown as Pick<MainContext, 'auth' | 'portal'>;
  return { ctx, asked };
}

describe('the whole journal', () => {
  it('gives every row up to the limit with the total; one row more is left out but counted', async () => {
    const exact = portalWith(MAX_JOURNAL_ROWS);
    const all = await wholeJournal(exact.ctx);
    expect(all.items).toHaveLength(MAX_JOURNAL_ROWS);
    expect(all.total).toBe(MAX_JOURNAL_ROWS);

    const over = portalWith(MAX_JOURNAL_ROWS + 1);
    const cut = await wholeJournal(over.ctx);
    expect(cut.items).toHaveLength(MAX_JOURNAL_ROWS);
    expect(cut.total).toBe(MAX_JOURNAL_ROWS + 1);
    // One request, for the first page of the limit's size: one statement, one view of the queue.
    expect(over.asked).toEqual([{ page: 1, pageSize: MAX_JOURNAL_ROWS, status: undefined }]);
  });

  it('asks the portal for one status, which finds rows past the limit', async () => {
    const over = portalWith(MAX_JOURNAL_ROWS + 1);
    const dequeued = await wholeJournal(over.ctx, 'dequeued');
    expect(over.asked.every((a) => a.status === 'dequeued')).toBe(true);
    expect(dequeued.total).toBe(Math.ceil(MAX_JOURNAL_ROWS / 3));
    expect(dequeued.items.every((r) => r.status === 'dequeued')).toBe(true);
    // The oldest row was beyond the unfiltered limit; filtered by its status, it is found.
    expect((await wholeJournal(over.ctx)).items.map((r) => r.id)).not.toContain(String(MAX_JOURNAL_ROWS + 1));
    expect((await wholeJournal(over.ctx, 'left')).items.map((r) => r.id)).toEqual([String(MAX_JOURNAL_ROWS + 1)]);
  });
});
