/**
 * A bounded least-recently-used cache on a Map (insertion order is recency order), with an optional
 * time to live per entry. What the signing library's caches need and no more: lru-cache, used
 * before, reads the `performance` global when loaded, which makes Node load perf_hooks, a
 * noticeable part of `joldama verify`'s start-up (docs/architecture.md, "Start-up of `joldama verify`").
 * Ages are measured on a monotonic clock (process.hrtime), so a wall-clock change neither keeps an
 * answer past its time nor drops it early.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  /** `max`: entries kept at most; adding one more drops the least recently used. */
  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`BoundedCache: max must be a positive integer, not ${max}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, or undefined when absent or expired (an expired entry is dropped). Counts as a use. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= monotonicMs()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** `ttlMs`: how long the entry may be used (default: until evicted). */
  set(key: K, value: V, ttlMs?: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: ttlMs === undefined ? Infinity : monotonicMs() + ttlMs });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }

  clear(): void {
    this.entries.clear();
  }
}

function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1000 + nanoseconds / 1e6;
}
