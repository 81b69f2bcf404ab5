/**
 * Demo mode only: the demo CA's OCSP responder (POST /ocsp), its CRL and its certificate, at the
 * addresses the demo certificates name (http://127.0.0.1:8740/...).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DemoPkiIndex } from '../pki/generate.ts';
import type { OcspResponder } from '../pki/ocsp-responder.ts';

export function demoPkiRoutes(dir: string, index: DemoPkiIndex, responder: OcspResponder) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addContentTypeParser('application/ocsp-request', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    app.post('/ocsp', { schema: { hide: true } }, async (req, reply) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return reply.type('application/ocsp-response').send(await responder.handle(body));
    });
    app.get('/crl/demo-ca.crl', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('application/pkix-crl').send(await readFile(join(dir, index.ca.crl))),
    );
    app.get('/ca/demo-ca.pem', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('application/x-pem-file').send(await readFile(join(dir, index.ca.intermediate))),
    );
  };
}
