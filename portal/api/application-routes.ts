/**
 * The applicant's applications: journal, card, change history, general documents (list and
 * download), dequeue with a reason, places this application may choose, and the event feed.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApplicationCard,
  ApplicationParams,
  DequeueRequest,
  DequeueResponse,
  DocumentParams,
  DocumentsResponse,
  ErrorBody,
  FeedQuery,
  FeedResponse,
  HistoryResponse,
  JournalPage,
  JournalQuery,
  OffersResponse,
  VacanciesResponse,
} from '../../protocol/portal-api.ts';
import type { PortalContext } from '../server/context.ts';
import { requireIin } from '../server/session-hook.ts';
import { appendAudit } from '../audit/audit-log.ts';
import * as views from '../repositories/applicant-views.ts';

export const applicationRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    const security: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];
    const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };
    const tags = ['applications'];

    app.get('/api/applications', { schema: { tags, security, querystring: JournalQuery, response: { 200: JournalPage, ...errors } } }, async (req) =>
      views.journal(ctx.db, requireIin(req), req.query.page, req.query.pageSize, ctx.queue.config.priorityEvery, req.query.status),
    );

    app.get('/api/applications/:applicationId', { schema: { tags, security, params: ApplicationParams, response: { 200: ApplicationCard, ...errors } } }, async (req) =>
      views.card(ctx.db, requireIin(req), req.params.applicationId, ctx.now(), ctx.queue.config.priorityEvery),
    );

    app.get(
      '/api/applications/:applicationId/history',
      { schema: { tags, security, params: ApplicationParams, response: { 200: HistoryResponse, ...errors } } },
      async (req) => views.history(ctx.db, requireIin(req), req.params.applicationId),
    );

    app.get(
      '/api/applications/:applicationId/documents',
      { schema: { tags, security, params: ApplicationParams, response: { 200: DocumentsResponse, ...errors } } },
      async (req) => ({ items: await views.documents(ctx.db, requireIin(req), req.params.applicationId) }),
    );

    app.get(
      '/api/applications/:applicationId/documents/:documentId',
      // The body is the document's bytes (PDF or XML); errors are `{ code, message }` as everywhere.
      { schema: { tags, security, params: DocumentParams } },
      async (req, reply) => {
        const doc = await views.documentContent(ctx.db, requireIin(req), req.params.applicationId, req.params.documentId);
        const ascii = doc.filename.replace(/[^\w.-]/g, '_');
        return reply
          .type(doc.contentType)
          .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`)
          .header('x-content-type-options', 'nosniff')
          .send(doc.content);
      },
    );

    app.post(
      '/api/applications/:applicationId/dequeue',
      { schema: { tags, security, params: ApplicationParams, body: DequeueRequest, response: { 200: DequeueResponse, ...errors, 409: ErrorBody } } },
      async (req) => {
        const iin = requireIin(req);
        const a = await views.ownApplication(ctx.db, iin, req.params.applicationId);
        await ctx.queue.dequeue({ applicationId: a.id, applicantIin: iin, reason: req.body.reason });
        await appendAudit(ctx.db, { at: ctx.now(), actorIin: iin, action: 'application.dequeue', subject: a.application.number, details: { reason: req.body.reason } });
        return { id: String(a.id), status: 'dequeued' };
      },
    );

    app.get(
      '/api/applications/:applicationId/vacancies',
      { schema: { tags, security, params: ApplicationParams, response: { 200: VacanciesResponse, ...errors } } },
      async (req) => {
        const now = ctx.now();
        return { items: await views.vacancies(ctx.db, requireIin(req), req.params.applicationId, now), asOf: now.toISOString() };
      },
    );

    app.get('/api/offers', { schema: { tags: ['me'], security, response: { 200: OffersResponse, ...errors } } }, async (req) => ({
      items: await views.liveOffers(ctx.db, requireIin(req), ctx.now()),
    }));

    app.get('/api/feed', { schema: { tags: ['me'], security, querystring: FeedQuery, response: { 200: FeedResponse, ...errors } } }, async (req) => ({
      items: await views.feed(ctx.db, requireIin(req), req.query.limit),
    }));
  };
