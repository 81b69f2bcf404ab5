import { describe, expect, it } from 'vitest';
import { MAX_JOURNAL_ROWS } from '../../contract/contract.ts';
import { portalStatusFor, truncation } from '../../renderer/src/features/journal/journal-limit.ts';

const rows = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('a journal longer than the window is given', () => {
  it('says how many of how many at the boundary, and nothing when all are shown', () => {
    expect(truncation({ items: rows(MAX_JOURNAL_ROWS), total: MAX_JOURNAL_ROWS })).toBeNull();
    expect(truncation({ items: rows(MAX_JOURNAL_ROWS), total: MAX_JOURNAL_ROWS + 1 })).toEqual({ shown: MAX_JOURNAL_ROWS, total: MAX_JOURNAL_ROWS + 1 });
    expect(truncation({ items: [], total: 0 })).toBeNull();
  });

  it('asks the portal to filter by status once the journal was cut, and back to the whole journal for "all"', () => {
    expect(portalStatusFor('in_queue', false, false)).toBeUndefined();
    expect(portalStatusFor('in_queue', true, false)).toBe('in_queue');
    // Filtered at the portal already (that answer was not cut): another status is asked there too.
    expect(portalStatusFor('dequeued', false, true)).toBe('dequeued');
    expect(portalStatusFor(undefined, false, true)).toBeUndefined();
  });
});
