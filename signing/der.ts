/**
 * A strict reader of DER (ITU-T X.690 distinguished encoding), for the few X.509 structures
 * x509-structures.ts needs. Written by hand, not taken from an ASN.1 library: loading asn1js and its
 * schema layer was a fifth of `joldama verify`'s whole run (docs/architecture.md, "Start-up of
 * `joldama verify`"), and a schema parser that skips what it cannot match once read a malformed CRL
 * as revoking nothing. This one refuses anything it does not read completely.
 *
 * Refused: indefinite lengths, lengths not in their shortest form, high tag numbers (X.509 uses
 * none), an element running past its parent, and bytes left over inside a parent or after the whole.
 * Every read is one pass over the bytes it covers: linear in the input.
 */

/** One element: its tag byte and where its contents lie in `bytes`. */
export interface DerElement {
  readonly tag: number;
  /** The whole input this element was read from. */
  readonly bytes: Uint8Array;
  /** Where the element (its tag byte) starts. */
  readonly start: number;
  /** Where its contents start. */
  readonly contentStart: number;
  /** Where it ends (exclusive). */
  readonly end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tags: [n] IMPLICIT primitive and [n] constructed (EXPLICIT or IMPLICIT SEQUENCE). */
export const contextTag = (n: number): number => 0x80 | n;
export const contextConstructed = (n: number): number => 0xa0 | n;

export class DerError extends Error {
  constructor(what: string) {
    super(`not valid DER: ${what}`);
    this.name = 'DerError';
  }
}

/** The element starting at `offset`, which must end by `limit`. */
export function readElement(bytes: Uint8Array, offset: number, limit = bytes.length): DerElement {
  if (offset + 2 > limit) throw new DerError('truncated element');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag number');
  const first = bytes[offset + 1]!;
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0) throw new DerError('indefinite length');
    if (count > 4) throw new DerError('length too large');
    if (contentStart + count > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    if (length < 0x80 || bytes[contentStart] === 0) throw new DerError('length not in its shortest form');
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('element runs past its end');
  return { tag, bytes, start: offset, contentStart, end };
}

/** The one element that is all of `bytes`. */
export function readWhole(bytes: Uint8Array): DerElement {
  const element = readElement(bytes, 0);
  if (element.end !== bytes.length) throw new DerError('bytes after the element');
  return element;
}

/** The elements inside a constructed element, which must fill it exactly. */
export function childrenOf(element: DerElement): DerElement[] {
  if ((element.tag & 0x20) === 0) throw new DerError('a primitive element where a constructed one belongs');
  const children: DerElement[] = [];
  for (let at = element.contentStart; at < element.end; ) {
    const child = readElement(element.bytes, at, element.end);
    children.push(child);
    at = child.end;
  }
  return children;
}

/** Its contents, after checking its tag. */
export function contentOf(element: DerElement, tag: number): Uint8Array {
  expectTag(element, tag);
  return element.bytes.subarray(element.contentStart, element.end);
}

/** The whole element, tag and length included (what a signature covers). */
export function encodingOf(element: DerElement): Uint8Array {
  return element.bytes.subarray(element.start, element.end);
}

export function expectTag(element: DerElement, tag: number): void {
  if (element.tag !== tag) throw new DerError(`tag 0x${element.tag.toString(16)} where 0x${tag.toString(16)} belongs`);
}

/** A SEQUENCE's elements (or another constructed tag's), after checking its tag. */
export function sequenceOf(element: DerElement, tag: number = TAG.SEQUENCE): DerElement[] {
  expectTag(element, tag);
  return childrenOf(element);
}

/** A child at `index` that must exist. */
export function at(children: DerElement[], index: number): DerElement {
  const child = children[index];
  if (!child) throw new DerError('a required element is missing');
  return child;
}

/** 20 bytes hold 140 bits: the 128-bit UUID arcs of 2.25 (RFC 4122 OIDs) are the longest in use. */
const MAX_ARC_BYTES = 20;

export function readOid(element: DerElement): string {
  const content = contentOf(element, TAG.OID);
  if (content.length === 0) throw new DerError('empty object identifier');
  const arcs: string[] = [];
  let value = 0n;
  let arcBytes = 0;
  for (let i = 0; i < content.length; i++) {
    const byte = content[i]!;
    if (value === 0n && byte === 0x80) throw new DerError('object identifier arc not in its shortest form');
    // Each byte shifts the whole arc: a bound keeps an arc's cost constant, the OID's linear.
    if (++arcBytes > MAX_ARC_BYTES) throw new DerError('object identifier arc too long');
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcBytes = 0;
      if (arcs.length === 0) {
        const first = value < 80n ? value / 40n : 2n;
        arcs.push(String(first), String(value - first * 40n));
      } else {
        arcs.push(String(value));
      }
      value = 0n;
    } else if (i === content.length - 1) {
      throw new DerError('truncated object identifier');
    }
  }
  return arcs.join('.');
}

/** DER writes TRUE as 0xFF; any non-zero byte is read as TRUE, as BER allows (old CA software). */
export function readBoolean(element: DerElement, tag: number = TAG.BOOLEAN): boolean {
  const content = contentOf(element, tag);
  if (content.length !== 1) throw new DerError('BOOLEAN of the wrong length');
  return content[0] !== 0;
}

/** An INTEGER (or ENUMERATED) read as unsigned: the value bytes without a sign. */
export function readUnsigned(element: DerElement, tag: number = TAG.INTEGER): bigint {
  const content = contentOf(element, tag);
  if (content.length === 0) throw new DerError('empty INTEGER');
  if (content[0]! & 0x80) throw new DerError('negative INTEGER');
  return BigInt(`0x${Buffer.from(content).toString('hex')}`);
}

/** A small non-negative INTEGER (a path length, say). */
export function readSmallInteger(element: DerElement): number {
  const value = readUnsigned(element);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new DerError('INTEGER too large');
  return Number(value);
}

/** A BIT STRING's bytes and how many bits of the last byte are unused. */
export function readBitString(element: DerElement): { bytes: Uint8Array; unusedBits: number } {
  const content = contentOf(element, TAG.BIT_STRING);
  const unusedBits = content[0];
  if (unusedBits === undefined || unusedBits > 7 || (content.length === 1 && unusedBits !== 0)) {
    throw new DerError('malformed BIT STRING');
  }
  return { bytes: content.subarray(1), unusedBits };
}

const TIME = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3}))?Z$/;

/** UTCTime (years 1950-2049, RFC 5280 section 4.1.2.5.1) or GeneralizedTime, in UTC ("Z"). */
export function readTime(element: DerElement): Date {
  if (element.tag !== TAG.UTC_TIME && element.tag !== TAG.GENERALIZED_TIME) throw new DerError('not a time');
  const text = Buffer.from(contentOf(element, element.tag)).toString('latin1');
  const match = TIME.exec(text);
  const yearDigits = element.tag === TAG.UTC_TIME ? 2 : 4;
  if (!match || match[1]!.length !== yearDigits || (yearDigits === 2 && match[7] !== undefined)) {
    throw new DerError('malformed time');
  }
  let year = Number(match[1]);
  if (yearDigits === 2) year += year < 50 ? 2000 : 1900;
  const [month, day, hour, minute, second] = match.slice(2, 7).map(Number) as [number, number, number, number, number];
  const ms = match[7] ? Number(match[7].padEnd(3, '0')) : 0;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new DerError('impossible time');
  }
  return date;
}

/** Decoders for the string types a name may use; another type prints as its encoding in hex. */
const STRING_DECODERS: Readonly<Record<number, (bytes: Uint8Array) => string>> = {
  [TAG.UTF8_STRING]: (b) => utf8.decode(b),
  [TAG.PRINTABLE_STRING]: latin1,
  [TAG.IA5_STRING]: latin1,
  [TAG.NUMERIC_STRING]: latin1,
  [TAG.VISIBLE_STRING]: latin1,
  [TAG.TELETEX_STRING]: latin1,
  [TAG.BMP_STRING]: (b) => utf16be(b),
  [TAG.UNIVERSAL_STRING]: (b) => utf32be(b),
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

function utf16be(bytes: Uint8Array): string {
  if (bytes.length % 2 !== 0) throw new DerError('BMPString of odd length');
  return Buffer.from(bytes).swap16().toString('utf16le');
}

function utf32be(bytes: Uint8Array): string {
  if (bytes.length % 4 !== 0) throw new DerError('UniversalString of a length not a multiple of 4');
  let text = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const code = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
    if (code > 0x10ffff) throw new DerError('UniversalString character out of range');
    text += String.fromCodePoint(code);
  }
  return text;
}

/** The text of a string element, or undefined when it is not one of the string types. */
export function readString(element: DerElement): string | undefined {
  const decode = STRING_DECODERS[element.tag];
  if (!decode) return undefined;
  try {
    return decode(contentOf(element, element.tag));
  } catch (e) {
    throw e instanceof DerError ? e : new DerError('malformed string');
  }
}
