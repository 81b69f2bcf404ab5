/**
 * Kazakh personal (IIN) and business (BIN) identification numbers: the one place for their rules.
 * Both are 12 digits; the 12th is a check digit over the first 11 (two weight rounds, mod 11).
 */

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

function digitsOf(s: string, length: number): number[] | undefined {
  if (s.length !== length || !/^\d+$/.test(s)) return undefined;
  return [...s].map(Number);
}

function weightedMod11(digits: number[], weights: number[]): number {
  return digits.reduce((sum, d, i) => sum + d * (weights[i] ?? 0), 0) % 11;
}

/**
 * The check digit for the first 11 digits of an IIN or BIN, or undefined when no check digit
 * exists (both rounds give 10: such numbers are never issued) or the input is not 11 digits.
 */
export function iinCheckDigit(first11: string): number | undefined {
  const digits = digitsOf(first11, 11);
  if (!digits) return undefined;
  const first = weightedMod11(digits, FIRST_WEIGHTS);
  if (first !== 10) return first;
  const second = weightedMod11(digits, SECOND_WEIGHTS);
  return second === 10 ? undefined : second;
}

function hasValidCheckDigit(s: string): boolean {
  if (!/^\d{12}$/.test(s)) return false;
  const expected = iinCheckDigit(s.slice(0, 11));
  return expected !== undefined && expected === Number(s[11]);
}

/** Century by the 7th IIN digit: 1/2 → 1800s, 3/4 → 1900s, 5/6 → 2000s (odd = male). */
function centuryOf(digit: number): number | undefined {
  if (digit >= 1 && digit <= 6) return 1800 + Math.floor((digit - 1) / 2) * 100;
  return undefined;
}

/** Birth date (UTC midnight) encoded in an IIN, or undefined when the IIN does not encode a real date. */
export function iinBirthDate(iin: string): Date | undefined {
  if (!/^\d{12}$/.test(iin)) return undefined;
  const century = centuryOf(Number(iin[6]));
  if (century === undefined) return undefined;
  const year = century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 February over into March: a round trip catches impossible dates.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date;
}

/** Sex encoded in an IIN's 7th digit (odd = male), or undefined when the digit is not 1–6. */
export function iinSex(iin: string): 'male' | 'female' | undefined {
  if (!/^\d{12}$/.test(iin)) return undefined;
  const digit = Number(iin[6]);
  if (centuryOf(digit) === undefined) return undefined;
  return digit % 2 === 1 ? 'male' : 'female';
}

/** A valid IIN: 12 digits, a real birth date with a century/sex digit 1–6, and a correct check digit. */
export function isValidIin(s: string): boolean {
  return hasValidCheckDigit(s) && iinBirthDate(s) !== undefined;
}

/**
 * A valid BIN: 12 digits, registration year-month (YYMM, month 01–12), 5th digit the legal entity
 * type (4 resident, 5 non-resident, 6 individual entrepreneur in a joint venture), 6th digit 0–3,
 * and a correct check digit.
 */
export function isValidBin(s: string): boolean {
  if (!hasValidCheckDigit(s)) return false;
  const month = Number(s.slice(2, 4));
  const type = Number(s[4]);
  const sixth = Number(s[5]);
  return month >= 1 && month <= 12 && type >= 4 && type <= 6 && sixth <= 3;
}
