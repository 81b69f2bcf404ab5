/**
 * The shapes NCALayer answers in (docs/ncalayer.md, "Replies"), and our error codes.
 * kz.gov.pki.knca.basics: `{ status: true, body: { result } }`, cancelled `{ status: true, body: {} }`,
 * failed `{ status: false, code, message, details? }`.
 * kz.gov.pki.knca.commonUtils: `{ code: "200", responseObject }`, failed `{ code: "500", message }`,
 * cancelled `{ code: "500", message: "action.canceled" }`.
 * A failure for a message we cannot place (not JSON, unknown module) takes the basics shape: its
 * `status: false` and its `code` other than "200" make both kinds of client see an error.
 */

/** What NCALayer says first on every connection. */
export const GREETING = { result: { version: '1.2' } } as const;

export type ReplyStyle = 'basics' | 'common';

export const FAILURE_CODES = [
  'INVALID_JSON',
  'MODULE_NOT_FOUND',
  'METHOD_NOT_FOUND',
  'INVALID_PARAMETERS',
  'UNSUPPORTED',
  'ORIGIN_NOT_SECURE',
  'ORIGIN_REFUSED',
  'BUSY',
  'NO_WINDOW',
  'RATE_LIMITED',
  'KEY_NOT_ACCEPTED',
  'SIGNING_FAILED',
  'INTERNAL_ERROR',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** A request we answer with an error: a code from FAILURE_CODES (or signing's), a plain message. */
export class NcaLayerFailure extends Error {
  override readonly name = 'NcaLayerFailure';
  constructor(
    readonly code: FailureCode | (string & {}),
    message: string,
    readonly details?: string,
  ) {
    super(message);
  }
}

export type Reply = Record<string, unknown>;

export function success(style: ReplyStyle, result: unknown): Reply {
  return style === 'basics' ? { status: true, body: { result } } : { code: '200', responseObject: result };
}

/** commonUtils' changeLocale answers a bare `{ code: "200" }`. */
export const COMMON_DONE: Reply = { code: '200' };

export function cancelled(style: ReplyStyle): Reply {
  return style === 'basics' ? { status: true, body: {} } : { code: '500', message: 'action.canceled' };
}

export function failure(style: ReplyStyle, error: NcaLayerFailure): Reply {
  if (style === 'common') return { code: '500', message: `${error.code}: ${error.message}` };
  return { status: false, code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
}
