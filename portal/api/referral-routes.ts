/**
 * POST /api/applications/:applicationId/referral: the signed referral request (Idempotency-Key
 * honoured); a Server-Timing header says where the time went. Rate limited per client like the
 * logins: every route that verifies a signature is.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApplicationParams, ErrorBody, ReferralRequest, ReferralResult } from '../../protocol/portal-api.ts';
import type { PortalContext } from '../server/context.ts';
import { requireIin } from '../server/session-hook.ts';
import { submitReferral } from '../documents/referral-submission.ts';
import { renderReferralPdfDocument } from '../documents/pending-referral-pdfs.ts';

const Headers = z.object({ 'idempotency-key': z.string().regex(/^[\w.:-]{8,128}$/, 'an Idempotency-Key is 8–128 letters, digits, . : _ -').optional() });

export const referralRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/applications/:applicationId/referral',
      {
        bodyLimit: 64 * 1024,
        config: { rateLimit: ctx.rateLimit },
        schema: {
          tags: ['applications'],
          security: [{ bearer: [] }, { cookie: [] }],
          params: ApplicationParams,
          headers: Headers,
          body: ReferralRequest,
          response: { 200: ReferralResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 422: ErrorBody, 429: ErrorBody, 503: ErrorBody },
        },
      },
      async (req, reply) => {
        const timings: Array<{ step: string; ms: number }> = [];
        const result = await submitReferral(ctx, {
          iin: requireIin(req),
          applicationId: req.params.applicationId,
          signedXml: req.body.signedXml,
          idempotencyKey: req.headers['idempotency-key'],
          timings,
        });
        // Where the time went (the desktop app's benchmark reads it): verify, allocate, store.
        void reply.header('server-timing', timings.map((t) => `${t.step};dur=${t.ms.toFixed(1)}`).join(', '));
        // The PDF once the answer is out; if this fails, the download or the next tick renders it.
        const pdf = result.documents.find((d) => d.kind === 'referral_pdf');
        if (pdf) {
          reply.raw.once('finish', () => {
            renderReferralPdfDocument(ctx.db, Number(pdf.id)).catch((e: unknown) => req.log.error({ err: e }, 'the referral PDF could not be rendered'));
          });
        }
        return result;
      },
    );
  };
