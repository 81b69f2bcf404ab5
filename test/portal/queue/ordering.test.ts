import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { orderQueue, type QueueEntry } from '../../../portal/queue/ordering.ts';

const e = (id: number, benefit_type: QueueEntry['benefit_type'], minute: number): QueueEntry => ({
  id,
  benefit_type,
  registered_at: `2024-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`,
});

describe('queue order', () => {
  it('puts out-of-turn first, then one priority place in four', () => {
    const entries = [
      e(1, 'none', 1),
      e(2, 'none', 2),
      e(3, 'none', 3),
      e(4, 'none', 4),
      e(5, 'none', 5),
      e(6, 'none', 6),
      e(7, 'priority', 7),
      e(8, 'priority', 8),
      e(9, 'priority', 9),
      e(10, 'out_of_turn', 50),
    ];
    const ordered = orderQueue(entries, 4);
    expect(ordered.map((p) => p.entry.id)).toEqual([10, 7, 1, 2, 3, 8, 4, 5, 6, 9]);
    expect(ordered.map((p) => p.queueNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ordered.find((p) => p.entry.id === 8)?.benefitQueueNumber).toBe(2);
    // Without a benefit there is no benefit-category number: 0 (the app shows "—").
    expect(ordered.find((p) => p.entry.id === 5)?.benefitQueueNumber).toBe(0);
  });

  it('honours a configured ratio and breaks time ties by id', () => {
    const entries = [
      e(3, 'none', 1),
      e(2, 'none', 1),
      e(1, 'priority', 9),
      e(4, 'priority', 9),
      e(5, 'none', 2),
    ];
    expect(orderQueue(entries, 2).map((p) => p.entry.id)).toEqual([1, 2, 4, 3, 5]);
  });

  it('keeps every entry exactly once and each benefit type in time order (property)', () => {
    const entry = fc.record({
      benefit_type: fc.constantFrom<QueueEntry['benefit_type']>('none', 'priority', 'out_of_turn'),
      minute: fc.integer({ min: 0, max: 59 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), fc.integer({ min: 2, max: 8 }), (raw, every) => {
        const entries = raw.map((r, i) => e(i + 1, r.benefit_type, r.minute));
        const ordered = orderQueue(entries, every).map((p) => p.entry);
        expect(new Set(ordered.map((x) => x.id)).size).toBe(entries.length);
        const firstNonOot = ordered.findIndex((x) => x.benefit_type !== 'out_of_turn');
        if (firstNonOot >= 0)
          expect(ordered.slice(firstNonOot).some((x) => x.benefit_type === 'out_of_turn')).toBe(false);
        for (const type of ['none', 'priority', 'out_of_turn'] as const) {
          const times = ordered
            .filter((x) => x.benefit_type === type)
            .map((x) => `${x.registered_at}|${String(x.id).padStart(4, '0')}`);
          expect(times).toEqual([...times].sort());
        }
      }),
      { numRuns: 200 },
    );
  });
});
