/** Where SMS go (docs/cabinet.md, Settings): the account's phones, else the registered one, compacted. */
import { describe, expect, it } from 'vitest';
import { notificationPhones } from '../../../portal/notifications/recipients.ts';

describe('notification phones', () => {
  it("are the account's own once set", () => {
    expect(notificationPhones(['+77021234567', '+77031234567'], '+77011234567')).toEqual(['+77021234567', '+77031234567']);
  });

  it('fall back to the registered phone, written as settings take it', () => {
    expect(notificationPhones([], '+7 778 657 94 02')).toEqual(['+77786579402']);
    expect(notificationPhones([], '8 (778) 657-94-02')).toEqual(['+77786579402']);
    expect(notificationPhones([], '+77011234567')).toEqual(['+77011234567']);
  });

  it('leave an unusual registered number as it is, and give none without one', () => {
    expect(notificationPhones([], '12-34')).toEqual(['12-34']);
    expect(notificationPhones([], null)).toEqual([]);
  });
});
