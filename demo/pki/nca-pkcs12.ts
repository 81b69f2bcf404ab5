/**
 * Writes a PKCS#12 container the way NCA RK issues them (docs/domain.md, The NCA RK key and certificate profile):
 * SHA-1 MAC with 1024 iterations, the private key in a pkcs8ShroudedKeyBag encrypted with
 * pbeWithSHAAnd3-KeyTripleDES-CBC, and the certificate bag inside an EncryptedData with
 * pbeWithSHAAnd40BitRC2-CBC, so even the certificate needs the password.
 * node-forge's toPkcs12Asn1 leaves certificates unencrypted, hence this small writer (forge for
 * ASN.1 and RC2, which OpenSSL 3 only has in its legacy provider; node:crypto for the rest).
 */
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { pkcs12Kdf } from '../../signing/keystore/pkcs12-kdf.ts';

const { asn1, util } = forge;
const ITERATIONS = 1024;

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  certBag: '1.2.840.113549.1.12.10.1.3',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  pbeWithSHAAnd40BitRC2CBC: '1.2.840.113549.1.12.1.6',
  pbeWithSHAAnd3KeyTripleDESCBC: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
} as const;

type Asn1 = forge.asn1.Asn1;

const seq = (items: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const set = (items: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
const oid = (id: string): Asn1 =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const octets = (bytes: string): Asn1 =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
const int = (n: number): Asn1 =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const explicit0 = (item: Asn1): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [item]);
const der = (item: Asn1): string => asn1.toDer(item).getBytes();
const binary = (buf: Buffer): string => buf.toString('binary');

function localKeyIdAttributes(keyId: string): Asn1 {
  return set([seq([oid(OID.localKeyId), set([octets(keyId)])])]);
}

function pkcs12Key(password: string, salt: string, id: 1 | 2 | 3, length: number): string {
  return binary(pkcs12Kdf(password, Buffer.from(salt, 'binary'), id, ITERATIONS, length));
}

function rc2With40BitKey(password: string, plain: string): { salt: string; encrypted: string } {
  const salt = binary(randomBytes(8));
  const cipher = forge.rc2.createEncryptionCipher(pkcs12Key(password, salt, 1, 5), 40);
  cipher.start(pkcs12Key(password, salt, 2, 8));
  cipher.update(util.createBuffer(plain));
  cipher.finish();
  return { salt, encrypted: cipher.output.getBytes() };
}

export interface NcaPkcs12Input {
  /** DER PKCS#8 PrivateKeyInfo (unencrypted). */
  privateKeyPkcs8: Buffer;
  /** DER certificate of that key. */
  certificate: Buffer;
  password: string;
}

/** The DER bytes of an NCA-format PKCS#12 container holding one key and its certificate. */
export function writeNcaPkcs12({ privateKeyPkcs8, certificate, password }: NcaPkcs12Input): Buffer {
  const keyId = binary(createHash('sha1').update(certificate).digest());

  const certBag = seq([
    oid(OID.certBag),
    explicit0(seq([oid(OID.x509Certificate), explicit0(octets(binary(certificate)))])),
    localKeyIdAttributes(keyId),
  ]);
  const { salt: certSalt, encrypted } = rc2With40BitKey(password, der(seq([certBag])));
  const certContentInfo = seq([
    oid(OID.encryptedData),
    explicit0(
      seq([
        int(0),
        seq([
          oid(OID.data),
          seq([oid(OID.pbeWithSHAAnd40BitRC2CBC), seq([octets(certSalt), int(ITERATIONS)])]),
          asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, encrypted),
        ]),
      ]),
    ),
  ]);

  const keySalt = binary(randomBytes(8));
  const tripleDes = createCipheriv(
    'des-ede3-cbc',
    Buffer.from(pkcs12Key(password, keySalt, 1, 24), 'binary'),
    Buffer.from(pkcs12Key(password, keySalt, 2, 8), 'binary'),
  );
  const encryptedKey = Buffer.concat([tripleDes.update(privateKeyPkcs8), tripleDes.final()]);
  const shroudedKey = seq([
    seq([oid(OID.pbeWithSHAAnd3KeyTripleDESCBC), seq([octets(keySalt), int(ITERATIONS)])]),
    octets(binary(encryptedKey)),
  ]);
  const keyBag = seq([oid(OID.pkcs8ShroudedKeyBag), explicit0(shroudedKey), localKeyIdAttributes(keyId)]);
  const keyContentInfo = seq([oid(OID.data), explicit0(octets(der(seq([keyBag]))))]);

  const authSafe = der(seq([certContentInfo, keyContentInfo]));
  const macSalt = binary(randomBytes(8));
  const mac = createHmac('sha1', Buffer.from(pkcs12Key(password, macSalt, 3, 20), 'binary'))
    .update(Buffer.from(authSafe, 'binary'))
    .digest();

  const pfx = seq([
    int(3),
    seq([oid(OID.data), explicit0(octets(authSafe))]),
    seq([
      seq([
        seq([oid(OID.sha1), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]),
        octets(binary(mac)),
      ]),
      octets(macSalt),
      int(ITERATIONS),
    ]),
  ]);
  return Buffer.from(der(pfx), 'binary');
}
