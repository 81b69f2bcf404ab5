/**
 * The parts of X.509 certificates and CRLs (RFC 5280) that node:crypto does not expose: names
 * attribute by attribute, extensions, CRLs. Read with der.ts, which refuses anything it does not
 * read completely; the structures follow RFC 5280 section 4.1 (certificates) and 5.1 (CRLs).
 */
import {
  TAG,
  at,
  contentOf,
  contextConstructed,
  contextTag,
  DerError,
  type DerElement,
  encodingOf,
  readBitString,
  readBoolean,
  readOid,
  readSmallInteger,
  readString,
  readTime,
  readUnsigned,
  readWhole,
  sequenceOf,
} from './der.ts';

/** One attribute of a name: `text` for the string types, else only its encoding. */
export interface NameAttribute {
  readonly type: string;
  readonly text: string | undefined;
  /** The value's whole encoding (RFC 4514 prints a non-string value as its hex). */
  readonly encoding: Uint8Array;
}

/** A distinguished name: its relative names in order, each one or more attributes. */
export type Name = readonly (readonly NameAttribute[])[];

export interface Extension {
  readonly id: string;
  readonly critical: boolean;
  /** The contents of extnValue: the extension's own DER. */
  readonly value: Uint8Array;
}

export interface CertificateFields {
  readonly issuer: Name;
  readonly subject: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The subject public key's algorithm OID. */
  readonly keyAlgorithm: string;
  readonly extensions: readonly Extension[];
}

export interface RevokedEntry {
  /** The serial number INTEGER's content bytes. */
  readonly serial: Uint8Array;
  readonly revokedAt: Date;
  readonly extensions: readonly Extension[];
}

export interface CrlFields {
  /** The TBSCertList's whole encoding: what the CRL's signature covers. */
  readonly signed: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  readonly issuer: Name;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly revoked: readonly RevokedEntry[];
  readonly extensions: readonly Extension[];
}

/** Reads a SEQUENCE's elements in order: required ones, optional ones by tag, nothing left over. */
class Fields {
  private index = 0;
  constructor(private readonly elements: DerElement[]) {}

  next(): DerElement {
    return at(this.elements, this.index++);
  }

  optional(...tags: number[]): DerElement | undefined {
    const element = this.elements[this.index];
    if (element === undefined || !tags.includes(element.tag)) return undefined;
    this.index++;
    return element;
  }

  /** Also takes one element of each tag in `tags` that follows, in order, without reading it. */
  skip(...tags: number[]): void {
    for (const tag of tags) this.optional(tag);
  }

  done(): void {
    if (this.index !== this.elements.length) throw new DerError('unexpected element');
  }
}

/** The one element inside an EXPLICIT tag. */
function explicit(element: DerElement): DerElement {
  const children = sequenceOf(element, element.tag);
  if (children.length !== 1) throw new DerError('malformed explicit tag');
  return children[0]!;
}

function algorithmOf(element: DerElement): string {
  return readOid(at(sequenceOf(element), 0));
}

/** A Name on its own (RFC 5280 section 4.1.2.4). */
export function readName(der: Uint8Array): Name {
  return nameOf(readWhole(der));
}

function nameOf(element: DerElement): Name {
  return sequenceOf(element).map((rdn) => {
    const attributes = sequenceOf(rdn, TAG.SET);
    if (attributes.length === 0) throw new DerError('empty relative name');
    return attributes.map((attribute) => {
      const [type, value, ...rest] = sequenceOf(attribute);
      if (!type || !value || rest.length > 0) throw new DerError('malformed name attribute');
      return { type: readOid(type), text: readString(value), encoding: encodingOf(value) };
    });
  });
}

/**
 * RFC 5280 wants at least one extension wherever the list is present. In a certificate an empty
 * list (some generators write one, and OpenSSL accepts it) reads as none; in a CRL, where a
 * schema parser once dropped every entry after one, it is refused (`strict`).
 */
function extensionsOf(element: DerElement, strict = false): Extension[] {
  if (strict && element.contentStart === element.end) throw new DerError('empty extension list');
  return sequenceOf(element).map((extension) => {
    const fields = new Fields(sequenceOf(extension));
    const id = readOid(fields.next());
    const critical = fields.optional(TAG.BOOLEAN);
    const value = contentOf(fields.next(), TAG.OCTET_STRING);
    fields.done();
    return { id, critical: critical ? readBoolean(critical) : false, value };
  });
}

/** The certificate's names, validity, key algorithm and extensions. Throws a DerError on anything malformed. */
export function readCertificate(der: Uint8Array): CertificateFields {
  const [tbs, signatureAlgorithm, signature, ...rest] = sequenceOf(readWhole(der));
  if (!tbs || !signatureAlgorithm || !signature || rest.length > 0) throw new DerError('malformed certificate');
  const fields = new Fields(sequenceOf(tbs));
  fields.skip(contextConstructed(0));
  contentOf(fields.next(), TAG.INTEGER); // the serial number: node:crypto gives it
  algorithmOf(fields.next());
  const issuer = nameOf(fields.next());
  const validity = sequenceOf(fields.next());
  const subject = nameOf(fields.next());
  const keyAlgorithm = algorithmOf(at(sequenceOf(fields.next()), 0));
  fields.skip(contextTag(1), contextTag(2));
  const extensions = fields.optional(contextConstructed(3));
  fields.done();
  if (validity.length !== 2) throw new DerError('malformed validity');
  return {
    issuer,
    subject,
    notBefore: readTime(validity[0]!),
    notAfter: readTime(validity[1]!),
    keyAlgorithm,
    extensions: extensions ? extensionsOf(explicit(extensions)) : [],
  };
}

/** The CRL's signed part, issuer, dates, entries and extensions. Throws a DerError on anything malformed. */
export function readCrl(der: Uint8Array): CrlFields {
  const [tbs, signatureAlgorithm, signature, ...rest] = sequenceOf(readWhole(der));
  if (!tbs || !signatureAlgorithm || !signature || rest.length > 0) throw new DerError('malformed CRL');
  const fields = new Fields(sequenceOf(tbs));
  fields.skip(TAG.INTEGER);
  algorithmOf(fields.next());
  const issuer = nameOf(fields.next());
  const thisUpdate = readTime(fields.next());
  const nextUpdate = fields.optional(TAG.UTC_TIME, TAG.GENERALIZED_TIME);
  const list = fields.optional(TAG.SEQUENCE);
  const extensions = fields.optional(contextConstructed(0));
  fields.done();
  const revoked = (list ? sequenceOf(list) : []).map((entry) => {
    const entryFields = new Fields(sequenceOf(entry));
    const serial = contentOf(entryFields.next(), TAG.INTEGER);
    const revokedAt = readTime(entryFields.next());
    const entryExtensions = entryFields.optional(TAG.SEQUENCE);
    entryFields.done();
    return { serial, revokedAt, extensions: entryExtensions ? extensionsOf(entryExtensions, true) : [] };
  });
  const bits = readBitString(signature);
  if (bits.unusedBits !== 0) throw new DerError('signature is not whole bytes');
  return {
    signed: encodingOf(tbs),
    signatureAlgorithm: algorithmOf(signatureAlgorithm),
    signature: bits.bytes,
    issuer,
    thisUpdate,
    ...(nextUpdate ? { nextUpdate: readTime(nextUpdate) } : {}),
    revoked,
    extensions: extensions ? extensionsOf(explicit(extensions), true) : [],
  };
}


// Extension values (RFC 5280 section 4.2). Each reads the whole value or throws a DerError.

export function readSubjectKeyIdentifier(value: Uint8Array): Uint8Array {
  return contentOf(readWhole(value), TAG.OCTET_STRING);
}

/** AuthorityKeyIdentifier's keyIdentifier [0], when present. */
export function readAuthorityKeyIdentifier(value: Uint8Array): Uint8Array | undefined {
  const fields = new Fields(sequenceOf(readWhole(value)));
  const keyId = fields.optional(contextTag(0));
  fields.skip(contextConstructed(1), contextTag(2));
  fields.done();
  return keyId ? contentOf(keyId, keyId.tag) : undefined;
}

export function readBasicConstraints(value: Uint8Array): { isCa: boolean; pathLength?: number } {
  const fields = new Fields(sequenceOf(readWhole(value)));
  const ca = fields.optional(TAG.BOOLEAN);
  const pathLength = fields.optional(TAG.INTEGER);
  fields.done();
  return { isCa: ca ? readBoolean(ca) : false, ...(pathLength ? { pathLength: readSmallInteger(pathLength) } : {}) };
}

/** GeneralName uniformResourceIdentifier: [6] IMPLICIT IA5String. */
const URI_NAME = contextTag(6);

/** The URIs of the AuthorityInfoAccess entries whose method is `method` (id-ad-ocsp, say). */
export function readAccessUris(value: Uint8Array, method: string): string[] {
  return sequenceOf(readWhole(value)).flatMap((description) => {
    const [accessMethod, location, ...rest] = sequenceOf(description);
    if (!accessMethod || !location || rest.length > 0) throw new DerError('malformed access description');
    return readOid(accessMethod) === method && location.tag === URI_NAME ? [latin1Text(location)] : [];
  });
}

/** The fullName URIs of CRLDistributionPoints (and FreshestCRL, which has the same syntax). */
export function readDistributionPointUris(value: Uint8Array): string[] {
  return sequenceOf(readWhole(value)).flatMap((point) => {
    const fields = new Fields(sequenceOf(point));
    const name = fields.optional(contextConstructed(0));
    fields.skip(contextTag(1), contextConstructed(2));
    fields.done();
    return name ? fullNameUris(name) : [];
  });
}

/** DistributionPointName: fullName [0] GeneralNames, or nameRelativeToCRLIssuer [1] (no URI). */
function fullNameUris(name: DerElement): string[] {
  const choice = explicit(name);
  if (choice.tag !== contextConstructed(0)) return [];
  return sequenceOf(choice, choice.tag).flatMap((general) => (general.tag === URI_NAME ? [latin1Text(general)] : []));
}

export function readPolicies(value: Uint8Array): string[] {
  return sequenceOf(readWhole(value)).map((policy) => readOid(at(sequenceOf(policy), 0)));
}

export function readExtendedKeyUsage(value: Uint8Array): string[] {
  return sequenceOf(readWhole(value)).map(readOid);
}

/** KeyUsage bits in order, as RFC 5280 names them (encipherOnly and decipherOnly left out). */
const KEY_USAGE_NAMES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'];

export function readKeyUsage(value: Uint8Array): string[] {
  const { bytes } = readBitString(readWhole(value));
  return KEY_USAGE_NAMES.filter((_, bit) => ((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
}

export interface IssuingDistributionPoint {
  onlyContainsUserCerts: boolean;
  onlyContainsCACerts: boolean;
  onlySomeReasons: boolean;
  indirectCRL: boolean;
  onlyContainsAttributeCerts: boolean;
}

export function readIssuingDistributionPoint(value: Uint8Array): IssuingDistributionPoint {
  const fields = new Fields(sequenceOf(readWhole(value)));
  fields.skip(contextConstructed(0));
  const flag = (n: number): boolean => {
    const element = fields.optional(contextTag(n));
    return element ? readBoolean(element, element.tag) : false;
  };
  const onlyContainsUserCerts = flag(1);
  const onlyContainsCACerts = flag(2);
  const onlySomeReasons = fields.optional(contextTag(3)) !== undefined;
  const indirectCRL = flag(4);
  const onlyContainsAttributeCerts = flag(5);
  fields.done();
  return { onlyContainsUserCerts, onlyContainsCACerts, onlySomeReasons, indirectCRL, onlyContainsAttributeCerts };
}

/** The one INTEGER or ENUMERATED an extension holds (CRL number, delta base, reason code), unsigned. */
export function readExtensionNumber(value: Uint8Array): bigint {
  const element = readWhole(value);
  return readUnsigned(element, element.tag === TAG.ENUMERATED ? TAG.ENUMERATED : TAG.INTEGER);
}

function latin1Text(element: DerElement): string {
  return Buffer.from(contentOf(element, element.tag)).toString('latin1');
}

// Names

/** Short names for the attributes a Kazakh certificate carries; others print as their OID. */
const ATTRIBUTE_LABELS: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

/** RFC 4514 escaping of one attribute value. */
function escapeValue(value: string): string {
  return value
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ')
    .replace(/[\r\n\t]/g, (c) => `\\${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function attributeText(attribute: NameAttribute): string {
  return attribute.text === undefined ? `#${Buffer.from(attribute.encoding).toString('hex')}` : escapeValue(attribute.text);
}

/** "CN=…, SN=…, SERIALNUMBER=IIN…, C=KZ": the name in its own attribute order, as key dialogs show it. */
export function nameText(name: Name): string {
  return name
    .map((rdn) => rdn.map((a) => `${ATTRIBUTE_LABELS[a.type] ?? a.type}=${attributeText(a)}`).join('+'))
    .join(', ');
}

/** Every string value of the attribute `oid` in the name, in order. */
export function nameValues(name: Name, oid: string): string[] {
  return name.flatMap((rdn) => rdn.flatMap((a) => (a.type === oid && a.text !== undefined ? [a.text] : [])));
}

/**
 * Whether two names are the same name (RFC 5280 section 7.1): the same attributes in the same
 * order, string values compared case-insensitively with spaces collapsed, others byte for byte.
 */
export function sameName(a: Name, b: Name): boolean {
  return (
    a.length === b.length &&
    a.every((rdn, i) => {
      const other = b[i]!;
      return rdn.length === other.length && rdn.every((attribute, j) => sameAttribute(attribute, other[j]!));
    })
  );
}

function sameAttribute(a: NameAttribute, b: NameAttribute): boolean {
  if (a.type !== b.type) return false;
  if (a.text === undefined || b.text === undefined) return Buffer.from(a.encoding).equals(b.encoding);
  return comparable(a.text) === comparable(b.text);
}

function comparable(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}
