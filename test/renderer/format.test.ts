import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDeadline, formatValidity, groupHex } from '../../renderer/src/format.ts';

describe('formatDateTime (dd.MM.yyyy HH:mm, Asia/Almaty)', () => {
  it('shows Almaty time: UTC+6 before March 2024', () => {
    expect(formatDateTime('2018-10-20T07:00:00Z')).toBe('20.10.2018 13:00');
  });

  it('shows Almaty time: UTC+5 from March 2024', () => {
    expect(formatDateTime('2025-01-01T00:00:00Z')).toBe('01.01.2025 05:00');
  });

  it('crosses midnight into the next day and pads with zeros', () => {
    expect(formatDateTime('2026-03-08T19:05:00.000Z')).toBe('09.03.2026 00:05');
  });

  it('returns text that is not a date unchanged', () => {
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('formats a validity period as from – to', () => {
    expect(formatValidity('2018-10-20T07:00:00Z', '2019-10-20T07:00:00Z')).toBe('20.10.2018 13:00 – 20.10.2019 13:00');
  });
});

describe('groupHex', () => {
  it('groups a serial number by four', () => {
    expect(groupHex('1A2B3C4D5E')).toBe('1A2B 3C4D 5E');
    expect(groupHex('ABCD')).toBe('ABCD');
  });
});

describe('formatDate and formatDeadline (dd.MM.yyyy)', () => {
  it('writes a calendar date as it is, and an instant as its Almaty date', () => {
    expect(formatDate('2021-05-13')).toBe('13.05.2021');
    expect(formatDate('2026-12-14T19:30:00Z')).toBe('15.12.2026');
    expect(formatDate('no date')).toBe('no date');
  });

  it('gives the last day of a deadline that lapses at the end of that day', () => {
    expect(formatDeadline('2026-12-18T19:00:00.000Z')).toBe('18.12.2026');
  });
});
