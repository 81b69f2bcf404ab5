/**
 * The web layer's one mapping from failures to answers: every refusal is `{ code, message }` with
 * the status the API's refusal catalogue (protocol/refusals.ts) gives its code; never a stack.
 * Domain code throws codes only (Refusal, QueueError, SignedDocumentError); the codes this
 * handler answers by itself are the catalogue's ANY_ROUTE_REFUSALS.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { REFUSALS, type ANY_ROUTE_REFUSALS, type RefusalCode } from '../../protocol/refusals.ts';
import { SignedDocumentError } from '../../protocol/signed-documents.ts';
import { isSigningError } from '../../signing/index.ts';
import { isQueueError } from '../queue/errors.ts';
import { Refusal } from '../refusal.ts';

type ServerErrorCode = (typeof ANY_ROUTE_REFUSALS)[number];

const errorBody = (code: ServerErrorCode, message: string) => ({ code, message });

/** A domain refusal's code and message, or null for anything else. */
function domainRefusal(error: unknown): { code: RefusalCode; message: string } | null {
  if (error instanceof Refusal || isQueueError(error)) return { code: error.code, message: error.message };
  if (error instanceof SignedDocumentError) return { code: error.code, message: error.message };
  return null;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send(errorBody('NOT_FOUND', 'No such resource.'));
  });
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const refusal = domainRefusal(error);
    if (refusal) return reply.code(REFUSALS[refusal.code].status).send(refusal);
    if (isSigningError(error)) {
      // Malformed, oversized or hostile XML refused by signing/ before any signature check.
      return error.code === 'XML_TOO_LARGE'
        ? reply.code(413).send(errorBody('PAYLOAD_TOO_LARGE', error.message))
        : reply.code(400).send({ code: 'XML_INVALID', message: error.message });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const where = first ? `${error.validationContext ?? 'request'}${first.instancePath}` : 'request';
      return reply.code(400).send(errorBody('BAD_REQUEST', `Invalid ${where}: ${first?.message ?? 'invalid'}.`));
    }
    if (isResponseSerializationError(error)) {
      req.log.error({ err: error }, 'response does not match its schema');
      return reply.code(500).send(errorBody('INTERNAL', 'Internal error.'));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(errorBody('PAYLOAD_TOO_LARGE', 'The request body is too large.'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(errorBody('UNSUPPORTED_MEDIA_TYPE', 'Send JSON.'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.code(400).send(errorBody('BAD_REQUEST', 'The request body is missing or invalid.'));
    }
    if (error.statusCode === 429) {
      return reply.code(429).send(errorBody('RATE_LIMITED', 'Too many requests; try again later.'));
    }
    if (error instanceof SyntaxError || error.statusCode === 400) {
      return reply.code(400).send(errorBody('BAD_REQUEST', 'The request body is not valid JSON.'));
    }
    req.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('INTERNAL', 'Internal error.'));
  });
}
