/**
 * The portal's typed errors: a stable code (the UI translates it), an HTTP status and an English
 * message. The error handler turns every failure into `{ code, message }`, never a stack.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isSigningError } from '../../signing/index.ts';
import { SignedDocumentError } from '../../protocol/signed-documents.ts';
import { isQueueError } from '../queue/errors.ts';

export class PortalError extends Error {
  override readonly name = 'PortalError';
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The codes the error handler answers by itself, on any route (unknown route, invalid or oversized
 * body, rate limit, internal error). The one list of them: the desktop app translates these.
 */
export const SERVER_ERROR_CODES = ['NOT_FOUND', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'INTERNAL'] as const;
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

const errorBody = (code: ServerErrorCode, message: string) => ({ code, message });

export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send(errorBody('NOT_FOUND', 'No such resource.'));
  });
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof PortalError) {
      return reply.code(error.statusCode).send({ code: error.code, message: error.message });
    }
    if (error instanceof SignedDocumentError) {
      return reply.code(400).send({ code: error.code, message: error.message });
    }
    if (isQueueError(error)) {
      // The queue's own refusals (PLACE_TAKEN, OFFER_NOT_ACTIVE, CHILD_ENROLLED, ...).
      const status = error.code === 'INVALID_INPUT' ? 400 : error.code.endsWith('_NOT_FOUND') ? 404 : error.code === 'NOT_YOUR_APPLICATION' ? 404 : 409;
      return reply.code(status).send({ code: error.code, message: error.message });
    }
    if (isSigningError(error)) {
      // Malformed, oversized or hostile XML refused by signing/ before any signature check.
      const status = error.code === 'XML_TOO_LARGE' ? 413 : 400;
      return reply.code(status).send({ code: error.code, message: error.message });
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
