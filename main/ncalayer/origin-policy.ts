/**
 * Which web sites may ask Joldama to sign (docs/ncalayer.md, "Sites"). Every request is shown to
 * the user; the policy only says how a site stands:
 * - remembered: the user ticked "remember this site" once; the dialog says it is known;
 * - unknown: any other https site; the dialog warns that it is new, every time;
 * - refused: the user refused the site; its requests are answered without a dialog until the
 *   refusal lapses (default 10 minutes), so a page cannot pester the user with dialogs.
 * Remembered sites are kept by the caller (control.ts, in ncalayer.json) through `onRememberedChange`.
 */

export type OriginStanding = 'remembered' | 'unknown' | 'refused';

export interface OriginPolicyOptions {
  /** Sites remembered earlier (from the settings). */
  remembered?: Iterable<string>;
  /** How long a refusal lasts, in ms (default 10 minutes). */
  refusalMs?: number;
  /** At most this many refusals are kept (the oldest lapse first); default 1,000. */
  maxRefused?: number;
  /** Called with the whole list whenever a site is remembered or forgotten. */
  onRememberedChange?: (origins: string[]) => void;
  now?: () => number;
}

/**
 * The canonical form of a page's Origin header when it is one we serve: https, a host name or
 * address, an optional port. Anything else (http, file, "null", a path, credentials) is undefined.
 */
export function canonicalOrigin(header: string | undefined): string | undefined {
  if (!header || header.length > 300) return undefined;
  let url: URL;
  try {
    url = new URL(header);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.origin === 'null') return undefined;
  // An Origin header is exactly scheme://host[:port]: no path, query or fragment.
  if (header.replace(/\/$/, '').toLowerCase() !== url.origin) return undefined;
  return url.origin;
}

export class OriginPolicy {
  private readonly remembered: Set<string>;
  private readonly refusedUntil = new Map<string, number>();
  private readonly refusalMs: number;
  private readonly maxRefused: number;
  private readonly now: () => number;

  constructor(private readonly options: OriginPolicyOptions = {}) {
    this.remembered = new Set([...(options.remembered ?? [])].map((o) => canonicalOrigin(o)).filter((o) => o !== undefined));
    this.refusalMs = options.refusalMs ?? 10 * 60_000;
    this.maxRefused = options.maxRefused ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  standing(origin: string): OriginStanding {
    const until = this.refusedUntil.get(origin);
    if (until !== undefined) {
      if (this.now() < until) return 'refused';
      this.refusedUntil.delete(origin);
    }
    return this.remembered.has(origin) ? 'remembered' : 'unknown';
  }

  /** When a refusal of `origin` lapses (ms since the epoch), if it is refused now. */
  refusedUntilTime(origin: string): number | undefined {
    return this.standing(origin) === 'refused' ? this.refusedUntil.get(origin) : undefined;
  }

  /** The user refused the site: its requests get no dialog until the refusal lapses. */
  refuse(origin: string): void {
    this.refusedUntil.delete(origin);
    this.refusedUntil.set(origin, this.now() + this.refusalMs);
    // Maps iterate in insertion order: the first key is the oldest refusal.
    while (this.refusedUntil.size > this.maxRefused) this.refusedUntil.delete(this.refusedUntil.keys().next().value as string);
  }

  /** The user asked to remember the site. */
  remember(origin: string): void {
    if (this.remembered.has(origin)) return;
    this.remembered.add(origin);
    this.options.onRememberedChange?.(this.rememberedOrigins());
  }

  forget(origin: string): void {
    if (this.remembered.delete(origin)) this.options.onRememberedChange?.(this.rememberedOrigins());
  }

  rememberedOrigins(): string[] {
    return [...this.remembered].sort();
  }
}
