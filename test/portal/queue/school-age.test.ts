/**
 * The school-age rule (docs/domain.md "The yearly queue update"), one rule for the yearly update
 * and for new applications: a child of school age by the coming 1 September (born on or before
 * 1 September of that year − schoolAge) leaves the queue or may not join it; the day turns at
 * Almaty midnight, not UTC's.
 */
import { describe, expect, it } from 'vitest';
import { childAgeFits, comingFirstSeptember, schoolAgeCutoff } from '../../../protocol/child-age.ts';

const born = (date: string) => new Date(`${date}T00:00:00.000Z`); // as iinBirthDate gives it

describe('the school-age rule', () => {
  it('counts a birthday on 1 September as of school age, the day after not', () => {
    expect(schoolAgeCutoff(2026, 6)).toBe('2020-09-01');
    const june2026 = new Date('2026-06-15T06:00:00.000Z');
    expect(childAgeFits(born('2020-09-01'), june2026, 6)).toBe(false);
    expect(childAgeFits(born('2020-09-02'), june2026, 6)).toBe(true);
  });

  it('treats 29 February births like any date of their year', () => {
    const june2026 = new Date('2026-06-15T06:00:00.000Z');
    expect(childAgeFits(born('2020-02-29'), june2026, 6)).toBe(false); // six on 1 March 2026
    expect(childAgeFits(born('2024-02-29'), june2026, 6)).toBe(true);
    // Only a 1 September cut-off matters, in any year: the rule never asks for 29 February.
    expect(childAgeFits(born('2020-02-29'), new Date('2025-06-15T06:00:00.000Z'), 6)).toBe(true);
  });

  it('moves to the next 1 September at Almaty midnight starting 1 September', () => {
    expect(comingFirstSeptember(new Date('2026-08-31T18:59:59.999Z'))).toBe(2026); // 31 August 23:59 Almaty
    expect(comingFirstSeptember(new Date('2026-08-31T19:00:00.000Z'))).toBe(2027); // 1 September 00:00 Almaty
    // Six on 2 September 2026: may still join on 31 August, no longer from 1 September (Almaty).
    expect(childAgeFits(born('2020-09-02'), new Date('2026-08-31T18:59:59.999Z'), 6)).toBe(true);
    expect(childAgeFits(born('2020-09-02'), new Date('2026-08-31T19:00:00.000Z'), 6)).toBe(false);
  });

  it('takes a child born today in Almaty as born, even while UTC is still on yesterday', () => {
    const earlyMorningAlmaty = new Date('2026-03-01T20:00:00.000Z'); // 2 March 01:00 Almaty
    expect(childAgeFits(born('2026-03-02'), earlyMorningAlmaty, 6)).toBe(true);
    expect(childAgeFits(born('2026-03-03'), earlyMorningAlmaty, 6)).toBe(false);
  });
});
