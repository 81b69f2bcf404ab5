/** The strict DER reader (signing/der.ts): what it reads, and every shape of bad input it refuses. */
import { describe, expect, it } from 'vitest';
import {
  childrenOf,
  DerError,
  readBitString,
  readBoolean,
  readElement,
  readOid,
  readString,
  readTime,
  readUnsigned,
  readWhole,
  TAG,
} from '../../../signing/der.ts';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const tlv = (tag: number, content: Uint8Array): Uint8Array => {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return new Uint8Array([tag, ...length, ...content]);
};
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('element framing', () => {
  it('reads short and long definite lengths and the contents they frame', () => {
    const short = readWhole(tlv(TAG.OCTET_STRING, bytes(1, 2, 3)));
    expect([short.contentStart, short.end]).toEqual([2, 5]);
    const long = readWhole(tlv(TAG.OCTET_STRING, new Uint8Array(300)));
    expect([long.contentStart, long.end]).toEqual([4, 304]);
  });

  it.each([
    ['an indefinite length', bytes(0x30, 0x80, 0, 0)],
    ['a long length that fits the short form', bytes(0x04, 0x81, 0x05, 1, 2, 3, 4, 5)],
    ['a long length with a leading zero byte', bytes(0x04, 0x82, 0x00, 0x81, ...new Uint8Array(0x81))],
    ['a length running past the input', bytes(0x04, 0x05, 1, 2)],
    ['a truncated length', bytes(0x04, 0x82, 0x01)],
    ['a high tag number', bytes(0x1f, 0x81, 0x00, 0x00)],
    ['bytes after the element', bytes(0x05, 0x00, 0x00)],
    ['a lone tag', bytes(0x30)],
  ])('refuses %s', (_, der) => {
    expect(() => readWhole(der)).toThrow(DerError);
  });

  it('refuses a child that runs past its parent, and a primitive read as constructed', () => {
    // SEQUENCE of length 3 holding an OCTET STRING that claims 4 bytes.
    const parent = readElement(bytes(0x30, 0x03, 0x04, 0x04, 1, 2, 3), 0, 7);
    expect(() => childrenOf(parent)).toThrow(/runs past its end/);
    expect(() => childrenOf(readWhole(tlv(TAG.OCTET_STRING, bytes(0x05, 0x00))))).toThrow(DerError);
  });

  it('reads the children of a SEQUENCE in order', () => {
    const der = tlv(TAG.SEQUENCE, new Uint8Array([...tlv(TAG.INTEGER, bytes(5)), ...tlv(TAG.NULL, bytes())]));
    expect(childrenOf(readWhole(der)).map((c) => c.tag)).toEqual([TAG.INTEGER, TAG.NULL]);
  });
});

describe('values', () => {
  it('object identifiers, including large arcs and the 2.x first arc', () => {
    expect(readOid(readWhole(bytes(0x06, 0x03, 0x55, 0x1d, 0x0f)))).toBe('2.5.29.15');
    expect(readOid(readWhole(bytes(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b)))).toBe('1.2.840.113549.1.1.11');
    expect(readOid(readWhole(bytes(0x06, 0x02, 0x88, 0x37)))).toBe('2.999');
    expect(() => readOid(readWhole(bytes(0x06, 0x02, 0x2a, 0x86)))).toThrow(/truncated/);
    expect(() => readOid(readWhole(bytes(0x06, 0x03, 0x2a, 0x80, 0x01)))).toThrow(/shortest/);
    // A 128-bit UUID arc (19 bytes) reads; a longer arc is refused, so an OID costs linear time.
    const uuidArc = [...new Array(18).fill(0xff), 0x7f];
    expect(readOid(readWhole(tlv(TAG.OID, bytes(0x69, ...uuidArc))))).toBe(`2.25.${(2n ** 133n - 1n).toString()}`);
    expect(() => readOid(readWhole(tlv(TAG.OID, bytes(0x69, ...new Array(20).fill(0xff), 0x7f))))).toThrow(/too long/);
  });

  it('integers as unsigned big integers; a negative one is refused', () => {
    const twentyBytes = new Uint8Array(20).fill(0x7f);
    expect(readUnsigned(readWhole(tlv(TAG.INTEGER, twentyBytes)))).toBe(BigInt(`0x${'7f'.repeat(20)}`));
    expect(readUnsigned(readWhole(tlv(TAG.ENUMERATED, bytes(8))), TAG.ENUMERATED)).toBe(8n);
    expect(() => readUnsigned(readWhole(tlv(TAG.INTEGER, bytes(0x80))))).toThrow(/negative/);
    expect(() => readUnsigned(readWhole(tlv(TAG.ENUMERATED, bytes(1))))).toThrow(/tag/);
  });

  it('booleans, bit strings', () => {
    expect(readBoolean(readWhole(bytes(0x01, 0x01, 0xff)))).toBe(true);
    expect(readBoolean(readWhole(bytes(0x01, 0x01, 0x00)))).toBe(false);
    expect(() => readBoolean(readWhole(bytes(0x01, 0x02, 0xff, 0xff)))).toThrow(DerError);
    expect(readBitString(readWhole(bytes(0x03, 0x02, 0x07, 0x80)))).toEqual({ bytes: bytes(0x80), unusedBits: 7 });
    expect(() => readBitString(readWhole(bytes(0x03, 0x02, 0x08, 0x80)))).toThrow(DerError);
    expect(() => readBitString(readWhole(bytes(0x03, 0x00)))).toThrow(DerError);
  });

  it('UTCTime (1950-2049) and GeneralizedTime, in UTC; impossible dates refused', () => {
    expect(readTime(readWhole(tlv(TAG.UTC_TIME, text('261202113000Z')))).toISOString()).toBe('2026-12-02T11:30:00.000Z');
    expect(readTime(readWhole(tlv(TAG.UTC_TIME, text('500101000000Z')))).getUTCFullYear()).toBe(1950);
    expect(readTime(readWhole(tlv(TAG.GENERALIZED_TIME, text('20501231235959Z')))).toISOString()).toBe('2050-12-31T23:59:59.000Z');
    for (const bad of ['261302113000Z', '260230113000Z', '261202113000', '261202113000+0600', '2612021130Z']) {
      expect(() => readTime(readWhole(tlv(TAG.UTC_TIME, text(bad))))).toThrow(DerError);
    }
    expect(() => readTime(readWhole(tlv(TAG.GENERALIZED_TIME, text('261202113000Z'))))).toThrow(DerError);
  });

  it('strings of each type a name uses; other types have no text', () => {
    expect(readString(readWhole(tlv(TAG.UTF8_STRING, text('ЖАНБЫРБАЕВА Айгүл'))))).toBe('ЖАНБЫРБАЕВА Айгүл');
    expect(readString(readWhole(tlv(TAG.PRINTABLE_STRING, text('IIN880314401231'))))).toBe('IIN880314401231');
    expect(readString(readWhole(tlv(TAG.BMP_STRING, bytes(0x04, 0x16, 0x04, 0xaf))))).toBe('Жү');
    expect(readString(readWhole(tlv(TAG.UNIVERSAL_STRING, bytes(0, 0, 0x04, 0x16))))).toBe('Ж');
    expect(readString(readWhole(tlv(TAG.OCTET_STRING, bytes(1))))).toBeUndefined();
    expect(() => readString(readWhole(tlv(TAG.UTF8_STRING, bytes(0xc3))))).toThrow(DerError);
    expect(() => readString(readWhole(tlv(TAG.BMP_STRING, bytes(0x04))))).toThrow(DerError);
  });
});
