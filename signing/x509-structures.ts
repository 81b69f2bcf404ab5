/**
 * The parts of X.509 certificates and CRLs that node:crypto does not expose (extensions, names
 * attribute by attribute, CRLs), read with @peculiar/asn1-x509's RFC 5280 schemas.
 * Only the schemas are used, not @peculiar/x509 or pkijs on top of them: those two cost most of
 * `joldama verify`'s start-up (docs/architecture.md, "Start-up of `joldama verify`").
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, CertificateList, type Extension, type Name } from '@peculiar/asn1-x509';

export { AsnConvert };

/** The certificate's ASN.1 structure. Throws on anything that is not a certificate. */
export function certificateStructure(der: Uint8Array): Certificate {
  return AsnConvert.parse(whole(der, 'The certificate'), Certificate);
}

/**
 * The CRL's ASN.1 structure (with its TBS bytes kept for the signature). Throws on anything else.
 * The schema parser skips an optional part it cannot match instead of failing: a CRL whose entries
 * are malformed would read as one that revokes nothing. Written back, such a structure differs from
 * the bytes given, so only a CRL read whole is returned.
 */
export function crlStructure(der: Uint8Array): CertificateList {
  const crl = AsnConvert.parse(whole(der, 'The CRL'), CertificateList);
  if (!Buffer.from(AsnConvert.serialize(crl)).equals(der)) throw new Error('The CRL holds parts that could not be read');
  return crl;
}

/**
 * A DER header's definite length and where the contents start (at most 4 length bytes: 4 GiB).
 * The ASN.1 parser would ignore bytes after the structure; whole() refuses them.
 */
export function derLength(der: Uint8Array): { length: number; start: number } {
  const first = der[1] ?? 0;
  if ((first & 0x80) === 0) return { length: first, start: 2 };
  const count = first & 0x7f;
  if (count === 0 || count > 4 || der.length < 2 + count) return { length: -1, start: 2 };
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + der[2 + i]!;
  return { length, start: 2 + count };
}

function whole(der: Uint8Array, what: string): Uint8Array {
  const { length, start } = derLength(der);
  if (length < 0 || start + length !== der.length) throw new Error(`${what} is not valid DER`);
  return der;
}

/** An extension's value read as `type`. Throws when it is malformed. */
export function extensionValue<T>(extension: Extension, type: new () => T): T {
  return AsnConvert.parse(extension.extnValue.buffer, type);
}

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

function attributeText(value: { anyValue?: ArrayBuffer; toString(): string }): string {
  return value.anyValue ? `#${Buffer.from(value.anyValue).toString('hex')}` : escapeValue(value.toString());
}

/** "CN=…, SN=…, SERIALNUMBER=IIN…, C=KZ": the name in its own attribute order, as key dialogs show it. */
export function nameText(name: Name): string {
  return name
    .map((rdn) => rdn.map((a) => `${ATTRIBUTE_LABELS[a.type] ?? a.type}=${attributeText(a.value)}`).join('+'))
    .join(', ');
}

/** Every value of the attribute `oid` in the name, in order. */
export function nameValues(name: Name, oid: string): string[] {
  return name.flatMap((rdn) => rdn.filter((a) => a.type === oid).map((a) => a.value.toString()));
}

/**
 * Whether two names are the same name (RFC 5280 section 7.1): the same attributes in the same
 * order, string values compared case-insensitively with spaces collapsed, others byte for byte.
 */
export function sameName(a: Name, b: Name): boolean {
  if (a.length !== b.length) return false;
  return a.every((rdn, i) => {
    const other = b[i]!;
    return (
      rdn.length === other.length &&
      rdn.every((attribute, j) => {
        const peer = other[j]!;
        if (attribute.type !== peer.type) return false;
        if (attribute.value.anyValue || peer.value.anyValue) {
          return (
            attribute.value.anyValue !== undefined &&
            peer.value.anyValue !== undefined &&
            Buffer.from(attribute.value.anyValue).equals(Buffer.from(peer.value.anyValue))
          );
        }
        return comparable(attribute.value.toString()) === comparable(peer.value.toString());
      })
    );
  });
}

function comparable(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}
