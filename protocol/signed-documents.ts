/**
 * The XML documents an applicant signs: the login document (AUTH key) and the referral request
 * (SIGN key). The desktop app builds them here and the portal parses them here, so the format
 * lives in one place. Pure functions: no Fastify, no database.
 *
 * Parsers are called on a verification report's `signedXml` (exactly what the signature covered),
 * never on the raw request body: the portal acts only on signed content.
 */
import { SaxesParser } from 'saxes';
import { z } from 'zod';
import { ApplicationDocument } from './application-document.ts';
import { RecordId } from './ids.ts';

export const LOGIN_NS = 'urn:joldama:auth:1';
export const REFERRAL_NS = 'urn:joldama:referral:1';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** A signed document's content is small; anything bigger is refused before parsing. */
const MAX_DOCUMENT_CHARS = 64 * 1024;
/** Attributes one element may carry: the documents need one namespace declaration. */
const MAX_ATTRIBUTES = 8;

const iin = z.string().regex(/^\d{12}$/, 'an IIN is 12 digits');
const isoTime = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);

export const LoginDocument = z.strictObject({
  /** base64url of 32 random bytes. */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'nonce is 32 bytes in base64url'),
  origin: z.url().max(512),
  timestamp: isoTime,
});
export type LoginDocument = z.infer<typeof LoginDocument>;

export const ReferralRequestDocument = z.strictObject({
  applicationNumber: text(64),
  applicationId: RecordId,
  offerId: RecordId,
  kindergartenId: RecordId,
  kindergartenName: text(500),
  kindergartenAddress: text(500),
  /** Language of instruction of the chosen group, as shown to the applicant ("kk", "ru", ...). */
  language: text(32),
  childIin: iin,
  applicantIin: iin,
  requestedAt: isoTime,
});
export type ReferralRequestDocument = z.infer<typeof ReferralRequestDocument>;

/** Why a signed document could not be read; the portal maps this to an HTTP 400 error body. */
export class SignedDocumentError extends Error {
  override readonly name = 'SignedDocumentError';
  readonly code = 'DOCUMENT_INVALID';
}

export function buildLoginXml(input: LoginDocument): string {
  const doc = LoginDocument.parse(input);
  return buildXml('login', LOGIN_NS, doc, ['nonce', 'origin', 'timestamp']);
}

export function parseLoginXml(signedXml: string): LoginDocument {
  return parseXml(signedXml, 'login', LOGIN_NS, LoginDocument);
}

const REFERRAL_FIELDS = [
  'applicationNumber',
  'applicationId',
  'offerId',
  'kindergartenId',
  'kindergartenName',
  'kindergartenAddress',
  'language',
  'childIin',
  'applicantIin',
  'requestedAt',
] as const satisfies readonly (keyof ReferralRequestDocument)[];

export function buildReferralRequestXml(input: ReferralRequestDocument): string {
  const doc = ReferralRequestDocument.parse(input);
  return buildXml('referralRequest', REFERRAL_NS, doc, REFERRAL_FIELDS);
}

export function parseReferralRequestXml(signedXml: string): ReferralRequestDocument {
  return parseXml(signedXml, 'referralRequest', REFERRAL_NS, ReferralRequestDocument);
}

// ---------------------------------------------------------------------------------------------

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function buildXml<T extends Record<string, string>>(
  root: string,
  ns: string,
  doc: T,
  fields: readonly (keyof T & string)[],
): string {
  const body = fields.map((f) => `<${f}>${escapeXml(doc[f] ?? '')}</${f}>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${ns}">${body}</${root}>`;
}

/**
 * Strict streaming reader: the document element must be `root` in `ns`; each child is a simple text
 * element in the same namespace, appearing once; an enveloped ds:Signature is skipped; anything
 * else (DTDs, processing instructions, unknown or repeated elements, mixed content) is refused.
 * Linear in the text: no DOM (xmldom's attribute map is quadratic in an element's attributes), and
 * at most MAX_ATTRIBUTES attributes on an element, counted before saxes resolves their namespaces
 * (which costs attributes x namespace name length on one start tag). The documents carry only a
 * namespace declaration.
 */
function parseXml<S extends z.ZodType>(xml: string, root: string, ns: string, schema: S): z.infer<S> {
  if (xml.length > MAX_DOCUMENT_CHARS) throw new SignedDocumentError('The signed document is too large.');
  const refuse = (message: string): never => {
    throw new SignedDocumentError(message);
  };
  const fields: Record<string, string> = {};
  const parser = new SaxesParser({ xmlns: true });
  let depth = 0;
  let signatureDepth = 0; // where a skipped ds:Signature opened (0: outside one)
  let field: string | undefined;
  let attributes = 0;
  parser.on('doctype', () => refuse('The signed document must not hold a DTD.'));
  parser.on('processinginstruction', () => refuse(`The ${root} document holds unexpected content.`));
  parser.on('opentagstart', () => {
    attributes = 0;
  });
  parser.on('attribute', () => {
    if (++attributes > MAX_ATTRIBUTES) refuse(`The ${root} document has an element with too many attributes.`);
  });
  parser.on('opentag', (tag) => {
    depth += 1;
    if (signatureDepth > 0) return;
    if (depth === 1) {
      if (tag.local !== root || tag.uri !== ns) refuse(`The signed document is not a ${root} document (${ns}).`);
    } else if (depth === 2 && tag.uri === DSIG_NS && tag.local === 'Signature') {
      signatureDepth = depth;
    } else if (depth === 2) {
      if (tag.uri !== ns) refuse(`Unexpected element ${tag.name}.`);
      if (Object.hasOwn(fields, tag.local)) refuse(`Element ${tag.local} appears twice.`);
      field = tag.local;
      fields[field] = '';
    } else {
      refuse(`Element ${field ?? tag.local} must hold text only.`);
    }
  });
  parser.on('closetag', () => {
    if (signatureDepth === depth) signatureDepth = 0;
    if (depth === 2) field = undefined;
    depth -= 1;
  });
  const onText = (text: string): void => {
    if (signatureDepth > 0 || depth === 0) return;
    if (field !== undefined) fields[field] += text;
    else if (text.trim() !== '') refuse(`The ${root} document holds unexpected content.`);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('comment', () => {
    if (field !== undefined && signatureDepth === 0) refuse(`Element ${field} must hold text only.`);
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    if (e instanceof SignedDocumentError) throw e;
    throw new SignedDocumentError('The signed document is not well-formed XML.');
  }
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || root;
    throw new SignedDocumentError(`The ${root} document is invalid at ${where}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data as z.infer<S>;
}

// --- The application (seed wizard, docs/applications.md) ----------------------------------------

export const APPLICATION_NS = 'urn:joldama:application:1';

// The schema lives apart from the XML code (application-document.ts): the window uses it without the parser.
export { ApplicationDocument };

const APPLICATION_FIELDS = [
  'service',
  'region',
  'consentRules',
  'consentPersonalData',
  'consentContacts',
  'phone',
  'phone2',
  'email',
  'applicantIin',
  'childIin',
  'childLastName',
  'childFirstName',
  'childMiddleName',
  'organisationIds',
  'category',
  'benefitType',
  'benefitKind',
  'benefitProofId',
  'benefitProofSha256',
  'notify',
  'notifySms',
  'notifyEmail',
  'notifyLanguage',
  'requestedAt',
] as const satisfies readonly (keyof ApplicationDocument)[];

/** Absent optional fields are left out of the document (an empty element would not parse back). */
export function buildApplicationXml(input: ApplicationDocument): string {
  const doc = ApplicationDocument.parse(input);
  const present = APPLICATION_FIELDS.filter((f) => doc[f] !== undefined);
  return buildXml('application', APPLICATION_NS, doc as Record<string, string>, present);
}

export function parseApplicationXml(signedXml: string): ApplicationDocument {
  return parseXml(signedXml, 'application', APPLICATION_NS, ApplicationDocument);
}
