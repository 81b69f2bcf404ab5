/** Which sites may ask to sign: canonical https origins, remembered on request, refusals that lapse. */
import { describe, expect, it } from 'vitest';
import { OriginPolicy, canonicalOrigin } from '../../../main/ncalayer/origin-policy.ts';

describe('canonicalOrigin', () => {
  it('keeps https origins, host lower-cased, port kept', () => {
    expect(canonicalOrigin('https://egov.kz')).toBe('https://egov.kz');
    expect(canonicalOrigin('https://EGOV.kz')).toBe('https://egov.kz');
    expect(canonicalOrigin('https://portal.test:8443')).toBe('https://portal.test:8443');
  });

  it('refuses what is not an https origin', () => {
    for (const header of [undefined, '', 'null', 'http://egov.kz', 'file://', 'chrome-extension://abc', 'https://egov.kz/path', 'https://u:p@egov.kz', 'https://egov.kz:443', 'not a url', `https://${'a'.repeat(400)}.kz`]) {
      expect(canonicalOrigin(header), String(header)).toBeUndefined();
    }
  });
});

describe('OriginPolicy', () => {
  it('an unknown site stays unknown (asked every time) until the user asks to remember it', () => {
    const saved: string[][] = [];
    const policy = new OriginPolicy({ onRememberedChange: (o) => saved.push(o) });
    expect(policy.standing('https://egov.kz')).toBe('unknown');
    expect(policy.standing('https://egov.kz')).toBe('unknown');
    policy.remember('https://egov.kz');
    policy.remember('https://egov.kz');
    expect(policy.standing('https://egov.kz')).toBe('remembered');
    expect(saved).toEqual([['https://egov.kz']]);
    policy.forget('https://egov.kz');
    expect(policy.standing('https://egov.kz')).toBe('unknown');
    expect(saved).toEqual([['https://egov.kz'], []]);
  });

  it('starts from the remembered sites it is given, dropping any that are not origins', () => {
    const policy = new OriginPolicy({ remembered: ['https://egov.kz', 'http://bad.kz', 'https://b.kz'] });
    expect(policy.rememberedOrigins()).toEqual(['https://b.kz', 'https://egov.kz']);
  });

  it('a refusal holds for its period, then lapses; it overrides remembering meanwhile', () => {
    let now = 1_000_000;
    const policy = new OriginPolicy({ refusalMs: 60_000, now: () => now, remembered: ['https://egov.kz'] });
    policy.refuse('https://egov.kz');
    expect(policy.standing('https://egov.kz')).toBe('refused');
    expect(policy.refusedUntilTime('https://egov.kz')).toBe(1_060_000);
    now += 59_999;
    expect(policy.standing('https://egov.kz')).toBe('refused');
    now += 1;
    expect(policy.standing('https://egov.kz')).toBe('remembered');
    expect(policy.refusedUntilTime('https://egov.kz')).toBeUndefined();
  });

  it('keeps at most maxRefused refusals, the oldest lapsing first', () => {
    const policy = new OriginPolicy({ maxRefused: 2 });
    policy.refuse('https://a.kz');
    policy.refuse('https://b.kz');
    policy.refuse('https://a.kz');
    policy.refuse('https://c.kz');
    expect(['https://a.kz', 'https://b.kz', 'https://c.kz'].map((o) => policy.standing(o))).toEqual(['refused', 'unknown', 'refused']);
  });
});
