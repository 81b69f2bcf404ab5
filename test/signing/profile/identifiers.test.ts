import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iinBirthDate, iinCheckDigit, iinSex, isValidBin, isValidIin } from '../../../signing/identifiers.ts';

describe('IIN', () => {
  it('accepts well-formed IINs and reads birth date and sex', () => {
    expect(isValidIin('880314401231')).toBe(true);
    expect(iinBirthDate('880314401231')?.toISOString()).toBe('1988-03-14T00:00:00.000Z');
    expect(iinSex('880314401231')).toBe('female');
    expect(isValidIin('900702304562')).toBe(true);
    expect(iinSex('900702304562')).toBe('male');
    // 2000s (century digit 5/6) and 1800s (1/2)
    expect(iinBirthDate(`${'150203'}5${'0001'}${iinCheckDigit('15020350001')}`)?.getUTCFullYear()).toBe(2015);
    expect(iinBirthDate(`${'990101'}1${'0001'}${iinCheckDigit('99010110001')}`)?.getUTCFullYear()).toBe(1899);
  });

  it('uses the second weight round when the first gives 10', () => {
    // 12345678901: first round sum 296 ≡ 10 (mod 11); second round 377 ≡ 3.
    expect(iinCheckDigit('12345678901')).toBe(3);
  });

  it('has no check digit when both rounds give 10', () => {
    const never = fc.sample(fc.stringMatching(/^\d{11}$/), 20000).find((s) => iinCheckDigit(s) === undefined);
    expect(never).toBeDefined();
    for (let d = 0; d <= 9; d++) expect(isValidIin(`${never}${d}`)).toBe(false);
  });

  it('rejects a wrong check digit, an impossible date, a bad century digit and non-digits', () => {
    expect(isValidIin('880314401232')).toBe(false);
    expect(isValidIin('880230401231'.slice(0, 11) + iinCheckDigit('88023040123'))).toBe(false); // 30 February
    expect(isValidIin('880314001231'.slice(0, 11) + iinCheckDigit('88031400123'))).toBe(false); // century digit 0
    expect(isValidIin('88031440123')).toBe(false);
    expect(isValidIin('88031440123a')).toBe(false);
    expect(isValidIin(' 880314401231')).toBe(false);
    expect(iinBirthDate('880314701231')).toBeUndefined();
    expect(iinSex('880314701231')).toBeUndefined();
  });

  it('accepts exactly one check digit for any real birth date, century digit and serial (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.boolean(),
        fc.stringMatching(/^\d{4}$/),
        (date, female, serial) => {
          const year = date.getUTCFullYear();
          const centuryDigit = (year >= 2000 ? 5 : 3) + (female ? 1 : 0);
          const yymmdd = date.toISOString().slice(2, 10).replaceAll('-', '');
          const first11 = `${yymmdd}${centuryDigit}${serial}`;
          const check = iinCheckDigit(first11);
          const valid = [...'0123456789'].filter((d) => isValidIin(first11 + d));
          if (check === undefined) return valid.length === 0;
          return (
            valid.join() === String(check) &&
            iinBirthDate(first11 + check)
              ?.toISOString()
              .slice(0, 10) === date.toISOString().slice(0, 10) &&
            iinSex(first11 + check) === (female ? 'female' : 'male')
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('BIN', () => {
  it('accepts real, published BINs', () => {
    expect(isValidBin('971240001315')).toBe(true); // Kaspi Bank JSC
    expect(isValidBin('940140000385')).toBe(true); // Halyk Bank JSC
    expect(isValidBin('050540000145')).toBe(true); // demo kindergarten
  });

  it('rejects a wrong check digit, a wrong entity type or month, and IINs', () => {
    expect(isValidBin('971240001316')).toBe(false);
    expect(isValidBin('971270001315'.slice(0, 11) + iinCheckDigit('97127000131'))).toBe(false); // 5th digit 7
    expect(isValidBin('971244001315'.slice(0, 11) + iinCheckDigit('97124400131'))).toBe(false); // 6th digit 4
    expect(isValidBin('971340001315'.slice(0, 11) + iinCheckDigit('97134000131'))).toBe(false); // month 13
    expect(isValidBin('880314401231')).toBe(false); // an IIN: 5th digit is a day digit
    expect(isValidBin('')).toBe(false);
  });
});
