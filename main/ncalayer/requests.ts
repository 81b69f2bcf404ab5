/**
 * Incoming NCALayer requests (docs/ncalayer.md, "Requests"): validated with zod and turned into
 * jobs that say what to sign, which keys the site accepts, and how to shape the answer. Nothing
 * here signs or asks the user; a malformed request becomes NcaLayerFailure INVALID_PARAMETERS
 * naming the fields at fault (never echoing their content).
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { cmsToPem, readCertificates, type Purpose } from '../../signing/index.ts';
import { NcaLayerFailure, type ReplyStyle } from './replies.ts';
import type { KeyFilter } from './user.ts';

export const BASICS = 'kz.gov.pki.knca.basics';
export const COMMON_UTILS = 'kz.gov.pki.knca.commonUtils';
/** Most documents one request may carry. */
export const MAX_DOCUMENTS = 100;

export const Envelope = z.object({
  module: z.string().max(128),
  method: z.string().max(128),
  args: z.unknown().optional(),
  /** Some pages number their requests; the answer repeats it. */
  uuid: z.union([z.string().max(128), z.number()]).optional(),
});
export type Envelope = z.infer<typeof Envelope>;

/** NCALayer's own sample page sends its flags as "true"/"false" strings. */
const Flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
/** Pages send "" for a filter they do not use. */
const optionalText = (pattern: RegExp) =>
  z
    .string()
    .max(128)
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .pipe(z.string().regex(pattern).optional());
const Oid = z.string().regex(/^\d+(\.\d+){1,30}$/);
const Storage = z.string().max(64);
const KeyType = z.string().max(64);

const BasicsSignArgs = z.object({
  allowedStorages: z.array(Storage).max(32).nullish(),
  format: z.enum(['xml', 'cms', 'raw']),
  data: z.union([z.string(), z.array(z.string()).min(1).max(MAX_DOCUMENTS)]),
  signingParams: z.object({
    decode: Flag.optional(),
    encapsulate: Flag.optional(),
    digested: Flag.optional(),
    tsaProfile: z.record(z.string(), z.unknown()).nullish(),
    outputCert: Flag.optional(),
    // Test switches of NCALayer; Joldama never signs with an expired or revoked key.
    allowExpired: Flag.optional(),
    allowRevoked: Flag.optional(),
  }),
  signerParams: z.object({
    extKeyUsageOids: z.array(Oid).max(16).default([]),
    iin: optionalText(/^\d{12}$/),
    bin: optionalText(/^\d{12}$/),
    serialNumber: optionalText(/^[0-9A-Fa-f]{1,64}$/),
    chain: z.array(z.string().max(20_000)).max(16).nullish(),
  }),
  locale: z.string().max(16).optional(),
  // A site's own logo in our dialog could pass for a government one: accepted, never shown.
  logo: z.string().max(50_000).optional(),
});

const XPath = z.string().max(1024).optional();
const COMMON_ARGS = {
  getActiveTokens: z.union([z.undefined(), z.null(), z.tuple([])]),
  getKeyInfo: z.tuple([Storage]),
  signXml: z.tuple([Storage, KeyType, z.string(), XPath, XPath]),
  signXmls: z.tuple([Storage, KeyType, z.array(z.string()).min(1).max(MAX_DOCUMENTS), XPath, XPath]),
  createCAdESFromBase64: z.tuple([Storage, KeyType, z.string(), z.boolean().optional()]),
  createCAdESFromBase64Hash: z.tuple([Storage, KeyType, z.string()]),
  changeLocale: z.tuple([z.string().max(16)]),
} as const;
type CommonMethod = keyof typeof COMMON_ARGS;

export type Locale = 'kk' | 'ru' | 'en';

/** Which keys the site accepts: what the dialog shows, plus the issuers to check against. */
export interface KeyRequirements {
  filter: KeyFilter;
  chain?: X509Certificate[];
}

/** A CMS document: its bytes, or only its SHA-256 (the site hashed it). */
export type CmsDocument = { bytes: Buffer } | { sha256: Buffer };

interface SignJobBase {
  kind: 'sign';
  style: ReplyStyle;
  key: KeyRequirements;
  locale: Locale;
  timestampRequested: boolean;
}

export type SignJob =
  | (SignJobBase & { format: 'xml'; documents: string[]; answer(signed: string[]): unknown })
  | (SignJobBase & { format: 'cms'; documents: CmsDocument[]; attached: boolean; answer(signatures: Buffer[]): unknown })
  | (SignJobBase & {
      format: 'raw';
      documents: Buffer[];
      answer(signatures: Buffer[], certificate: X509Certificate): unknown;
    });

export type Job =
  | SignJob
  | { kind: 'keyInfo'; style: 'common'; key: KeyRequirements; locale: Locale }
  | { kind: 'activeTokens'; style: 'common' }
  | { kind: 'changeLocale'; style: 'common' };

function parseArgs<T extends z.ZodType>(schema: T, args: unknown, method: string): z.output<T> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'args'))].join(', ');
  throw new NcaLayerFailure('INVALID_PARAMETERS', `The arguments of ${method} are not valid: ${fields}.`, fields);
}

function locale(value: string | undefined): Locale {
  const lower = value?.toLowerCase();
  if (lower === 'ru' || lower === 'en') return lower;
  return 'kk'; // NCALayer's default, also for "kz"
}

/**
 * Strict base64 (MIME line breaks allowed, as Java's encoder writes them). Node's decoder skips
 * what is not base64 and stops at "=", so a decoded length short of what the text promises means
 * a foreign character: checked without a pass of a regular expression over megabytes.
 */
function fromBase64(text: string, what: string): Buffer {
  const compact = text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]/g, '') : text;
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  const decoded = Buffer.from(compact, 'base64');
  if (compact.length % 4 !== 0 || decoded.length !== (compact.length / 4) * 3 - padding) {
    throw new NcaLayerFailure('INVALID_PARAMETERS', `${what} is not valid base64.`, what);
  }
  return decoded;
}

function sha256Document(bytes: Buffer): { sha256: Buffer } {
  if (bytes.length !== 32) {
    throw new NcaLayerFailure('INVALID_PARAMETERS', 'A hash to sign must be a SHA-256 digest (32 bytes).', 'data');
  }
  return { sha256: bytes };
}

/** The purpose a set of extended key usages asks for (emailProtection: SIGN, clientAuth: AUTH). */
function purposeOfOids(oids: string[]): Purpose | undefined {
  if (oids.includes('1.3.6.1.5.5.7.3.4')) return 'SIGN';
  if (oids.includes('1.3.6.1.5.5.7.3.2')) return 'AUTH';
  return undefined;
}

/** commonUtils' key type: SIGNATURE or AUTHENTICATION; anything else lets the user pick any key. */
function purposeOfKeyType(keyType: string): Purpose | undefined {
  return keyType === 'SIGNATURE' ? 'SIGN' : keyType === 'AUTHENTICATION' ? 'AUTH' : undefined;
}

function chainOf(pems: string[] | null | undefined): X509Certificate[] | undefined {
  // Absent or empty: any issuer, as in NCALayer (the app's trust store is not consulted yet).
  if (!pems || pems.length === 0) return undefined;
  try {
    return pems.flatMap((pem) => readCertificates(Buffer.from(pem, 'latin1')));
  } catch {
    throw new NcaLayerFailure('INVALID_PARAMETERS', 'signerParams.chain holds something that is not a certificate.', 'signerParams.chain');
  }
}

function commonKey(storage: string, keyType: string): KeyRequirements {
  const purpose = purposeOfKeyType(keyType);
  return { filter: { extKeyUsageOids: [], storages: [storage], ...(purpose ? { purpose } : {}) } };
}

function noXPath(...paths: Array<string | undefined>): void {
  if (paths.some((p) => p && p.trim() !== '')) {
    throw new NcaLayerFailure(
      'UNSUPPORTED',
      'Joldama signs whole documents only (the signature goes last in the document element, as Kalkan does); an XPath to part of the document is not supported.',
    );
  }
}

function basicsSign(args: unknown): SignJob {
  const a = parseArgs(BasicsSignArgs, args, 'sign');
  const many = Array.isArray(a.data);
  const data = Array.isArray(a.data) ? a.data : [a.data];
  const { decode = false, encapsulate = true, digested = false, outputCert = false } = a.signingParams;
  const oids = a.signerParams.extKeyUsageOids;
  const purpose = purposeOfOids(oids);
  const chain = chainOf(a.signerParams.chain);
  const key: KeyRequirements = {
    filter: {
      extKeyUsageOids: oids,
      ...(purpose ? { purpose } : {}),
      ...(a.signerParams.iin ? { iin: a.signerParams.iin } : {}),
      ...(a.signerParams.bin ? { bin: a.signerParams.bin } : {}),
      ...(a.signerParams.serialNumber ? { serialNumber: a.signerParams.serialNumber.toUpperCase().replace(/^0+(?=.)/, '') } : {}),
      ...(chain ? { issuers: chain.map((c) => c.subject) } : {}),
      ...(a.allowedStorages ? { storages: a.allowedStorages } : {}),
    },
    ...(chain ? { chain } : {}),
  };
  const base = { kind: 'sign', style: 'basics', key, locale: locale(a.locale), timestampRequested: a.signingParams.tsaProfile != null } as const;
  const bytes = (d: string, i: number): Buffer => (decode ? fromBase64(d, many ? `data.${i}` : 'data') : Buffer.from(d, 'utf8'));

  switch (a.format) {
    case 'xml':
      // NCALayer answers XML with a list, even for one document.
      return { ...base, format: 'xml', documents: decode ? data.map((d, i) => bytes(d, i).toString('utf8')) : data, answer: (signed) => signed };
    case 'cms':
      return {
        ...base,
        format: 'cms',
        documents: data.map((d, i) => (digested ? sha256Document(bytes(d, i)) : { bytes: bytes(d, i) })),
        // A signature made from a hash cannot carry the document: digested means detached.
        attached: encapsulate && !digested,
        answer: (signatures) => (many ? signatures.map(cmsToPem) : cmsToPem(signatures[0]!)),
      };
    case 'raw': {
      if (digested) throw new NcaLayerFailure('UNSUPPORTED', 'A raw signature of a ready hash is not supported; send the data itself.');
      return {
        ...base,
        format: 'raw',
        documents: data.map(bytes),
        answer: (signatures, certificate) => {
          const encoded = signatures.map((s) => s.toString('base64'));
          if (outputCert) return { signatures: encoded, certificate: certificate.toString() };
          return many ? encoded : encoded[0];
        },
      };
    }
  }
}

function commonJob(method: CommonMethod, args: unknown): Job {
  const style = 'common' as const;
  const defaults = { locale: 'kk' as Locale, timestampRequested: false };
  // createCAdESFromBase64 and ...Hash: one CMS signature, answered as base64.
  const oneCms = (storage: string, keyType: string, document: CmsDocument, attached: boolean): Job => ({
    kind: 'sign',
    style,
    format: 'cms',
    ...defaults,
    key: commonKey(storage, keyType),
    documents: [document],
    attached,
    answer: (s) => s[0]!.toString('base64'),
  });
  switch (method) {
    case 'getActiveTokens':
      parseArgs(COMMON_ARGS.getActiveTokens, args, method);
      return { kind: 'activeTokens', style };
    case 'changeLocale':
      parseArgs(COMMON_ARGS.changeLocale, args, method);
      return { kind: 'changeLocale', style };
    case 'getKeyInfo': {
      const [storage] = parseArgs(COMMON_ARGS.getKeyInfo, args, method);
      return { kind: 'keyInfo', style, key: commonKey(storage, ''), locale: 'kk' };
    }
    case 'signXml': {
      const [storage, keyType, xml, tbs, parent] = parseArgs(COMMON_ARGS.signXml, args, method);
      noXPath(tbs, parent);
      return { kind: 'sign', style, format: 'xml', ...defaults, key: commonKey(storage, keyType), documents: [xml], answer: (s) => s[0] };
    }
    case 'signXmls': {
      const [storage, keyType, xmls, tbs, parent] = parseArgs(COMMON_ARGS.signXmls, args, method);
      noXPath(tbs, parent);
      return { kind: 'sign', style, format: 'xml', ...defaults, key: commonKey(storage, keyType), documents: xmls, answer: (s) => s };
    }
    case 'createCAdESFromBase64': {
      const [storage, keyType, data, attach = false] = parseArgs(COMMON_ARGS.createCAdESFromBase64, args, method);
      return oneCms(storage, keyType, { bytes: fromBase64(data, 'args.2') }, attach);
    }
    case 'createCAdESFromBase64Hash': {
      const [storage, keyType, hash] = parseArgs(COMMON_ARGS.createCAdESFromBase64Hash, args, method);
      return oneCms(storage, keyType, sha256Document(fromBase64(hash, 'args.2')), false);
    }
  }
}

/** The job a request asks for, or NcaLayerFailure (unknown module or method, invalid arguments). */
export function jobOf(envelope: Envelope): Job {
  if (envelope.module === BASICS) {
    if (envelope.method !== 'sign') throw new NcaLayerFailure('METHOD_NOT_FOUND', `${BASICS} has no method "${envelope.method}" here.`);
    return basicsSign(envelope.args);
  }
  if (envelope.module === COMMON_UTILS) {
    if (!Object.hasOwn(COMMON_ARGS, envelope.method)) {
      throw new NcaLayerFailure('METHOD_NOT_FOUND', `${COMMON_UTILS} has no method "${envelope.method}" here.`);
    }
    return commonJob(envelope.method as CommonMethod, envelope.args);
  }
  throw new NcaLayerFailure('MODULE_NOT_FOUND', `Joldama does not serve the module "${envelope.module}".`);
}

/** The reply style of a module, for errors before a job exists. */
export function styleOf(module: string | undefined): ReplyStyle {
  return module === COMMON_UTILS ? 'common' : 'basics';
}

export const sha256Hex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex').toUpperCase();
