/**
 * The signing library's caches (signing/bounded-cache.ts): bounded, least recently used out first,
 * entries with a time to live gone once it has passed (on a faked monotonic clock, no waiting).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoundedCache } from '../../signing/bounded-cache.ts';

describe('BoundedCache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps at most max entries, dropping the least recently used', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('setting a key again replaces its value and counts as a use', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(10);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('an entry with a time to live is gone once it has passed; one without stays', () => {
    vi.useFakeTimers({ toFake: ['hrtime'] });
    const cache = new BoundedCache<string, number>(10);
    cache.set('short', 1, 1000);
    cache.set('forever', 2);
    vi.advanceTimersByTime(999);
    expect(cache.get('short')).toBe(1);
    vi.advanceTimersByTime(1);
    expect(cache.get('short')).toBeUndefined();
    expect(cache.size).toBe(1);
    vi.advanceTimersByTime(365 * 24 * 3600_000);
    expect(cache.get('forever')).toBe(2);
  });

  it('clear empties it; a max that is not a positive integer is refused', () => {
    const cache = new BoundedCache<string, number>(3);
    cache.set('a', 1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
    expect(() => new BoundedCache(0)).toThrow(RangeError);
    expect(() => new BoundedCache(1.5)).toThrow(RangeError);
  });
});
