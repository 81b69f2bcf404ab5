/**
 * Record ids on the wire: canonical decimal integers only (1, 42; never 01, 1e0, 0x1, +1, " 1" or
 * 1.0), so one record has exactly one spelling in a URL or a signed document. `Number()` reads all
 * of those as 1; an id that is not canonical is refused, never read as another record's.
 */
import { z } from 'zod';

/** 1 to 999,999,999,999,999: below Number.MAX_SAFE_INTEGER, without a leading zero. */
const CANONICAL_ID = /^[1-9]\d{0,14}$/;

export const RecordId = z.string().regex(CANONICAL_ID, 'an id is a decimal number without leading zeros');

/** The record number `value` names, or null when it is not a canonical id. */
export function parseRecordId(value: string): number | null {
  return CANONICAL_ID.test(value) ? Number(value) : null;
}
