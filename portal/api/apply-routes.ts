/**
 * The application wizard (docs/applications.md): regions and services (public), the organisations
 * of step 3, contact codes of step 1, the benefit proof of step 4, and the signed application of
 * step 6 (rate limited per client like every route that verifies a signature).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../protocol/portal-api.ts';
import {
  ApplicationSubmitRequest,
  ApplicationSubmitResponse,
  ContactCodeRequest,
  ContactCodeResponse,
  ContactConfirmRequest,
  ContactConfirmResponse,
  OrganisationsQuery,
  OrganisationsResponse,
  PROOF_MAX_BYTES,
  ProofUploadRequest,
  ProofUploadResponse,
  RegionsResponse,
  ServicesQuery,
  ServicesResponse,
  type OrganisationKind,
} from '../../protocol/application-api.ts';
import type { PortalContext } from '../server/context.ts';
import { requireIin } from '../server/session-hook.ts';
import { Refusal } from '../refusal.ts';
import { REGIONS, SERVICES, regionById } from '../applications/catalogue.ts';
import { confirmContactCode, sendContactCode } from '../applications/contact-codes.ts';
import { storeBenefitProof } from '../applications/benefit-proofs.ts';
import { submitApplication } from '../applications/submission.ts';

export const applyRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    const security: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];
    const tags = ['apply'];
    const errors = {
      400: ErrorBody,
      401: ErrorBody,
      404: ErrorBody,
      409: ErrorBody,
      413: ErrorBody,
      422: ErrorBody,
      429: ErrorBody,
      503: ErrorBody,
    };

    app.get('/api/regions', { schema: { tags, response: { 200: RegionsResponse } } }, async () => ({
      items: [...REGIONS],
      asOf: ctx.now().toISOString(),
      schoolAge: ctx.queue.config.schoolAge,
    }));

    app.get(
      '/api/services',
      {
        schema: {
          tags,
          querystring: ServicesQuery,
          response: { 200: ServicesResponse, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => {
        const region = regionById(req.query.region);
        if (!region) throw new Refusal('UNKNOWN_REGION', `No region ${req.query.region}.`);
        return { region, items: [...SERVICES] };
      },
    );

    app.get(
      '/api/organisations',
      {
        schema: {
          tags,
          security,
          querystring: OrganisationsQuery,
          response: { 200: OrganisationsResponse, ...errors },
        },
      },
      async (req) => {
        requireIin(req);
        let q = ctx.db
          .selectFrom('kindergartens')
          .select(['id', 'name_kk', 'name_ru', 'kind', 'district', 'address', 'district_ru', 'address_ru', 'language'])
          .orderBy('name_kk')
          .orderBy('id');
        if (req.query.language) q = q.where('language', '=', req.query.language);
        if (req.query.district) q = q.where('district', '=', req.query.district);
        const rows = await q.execute();
        const cats = rows.length
          ? await ctx.db
              .selectFrom('kindergarten_categories')
              .select(['kindergarten_id', 'category'])
              .where(
                'kindergarten_id',
                'in',
                rows.map((r) => r.id),
              )
              .execute()
          : [];
        // One per Kazakh district (the filter's key), with its Russian name where any of its places has one.
        const districts = await ctx.db
          .selectFrom('kindergartens')
          .select((eb) => ['district', eb.fn.max('district_ru').as('district_ru')])
          .groupBy('district')
          .orderBy('district')
          .execute();
        return {
          items: rows.map((r) => ({
            id: String(r.id),
            nameKk: r.name_kk,
            nameRu: r.name_ru,
            kind: r.kind as OrganisationKind,
            district: r.district,
            address: r.address,
            districtRu: r.district_ru,
            addressRu: r.address_ru,
            language: r.language,
            categories: cats
              .filter((c) => c.kindergarten_id === r.id)
              .map((c) => c.category)
              .sort(),
          })),
          districts: districts.map((d) => ({ district: d.district, districtRu: d.district_ru })),
        };
      },
    );

    app.post(
      '/api/contact-codes',
      {
        config: { rateLimit: ctx.rateLimit },
        schema: {
          tags,
          security,
          body: ContactCodeRequest,
          response: { 200: ContactCodeResponse, ...errors },
        },
      },
      async (req) => ({
        sentTo: await sendContactCode(ctx.db, requireIin(req), req.body.channel, req.body.target, ctx.now()),
      }),
    );

    app.post(
      '/api/contact-codes/confirm',
      {
        config: { rateLimit: ctx.rateLimit },
        schema: {
          tags,
          security,
          body: ContactConfirmRequest,
          response: { 200: ContactConfirmResponse, ...errors },
        },
      },
      async (req) => {
        await confirmContactCode(
          ctx.db,
          requireIin(req),
          req.body.channel,
          req.body.target,
          req.body.code,
          ctx.now(),
        );
        return { confirmed: true as const };
      },
    );

    app.post(
      '/api/benefit-proofs',
      {
        bodyLimit: Math.ceil(PROOF_MAX_BYTES / 3) * 4 + 64 * 1024,
        schema: {
          tags,
          security,
          body: ProofUploadRequest,
          response: { 200: ProofUploadResponse, ...errors },
        },
      },
      async (req) =>
        storeBenefitProof(ctx.db, requireIin(req), req.body.filename, req.body.contentBase64, ctx.now()),
    );

    app.post(
      '/api/applications',
      {
        bodyLimit: 80 * 1024,
        config: { rateLimit: ctx.rateLimit },
        schema: {
          tags,
          security,
          body: ApplicationSubmitRequest,
          response: { 200: ApplicationSubmitResponse, ...errors, 403: ErrorBody },
        },
      },
      async (req) => submitApplication(ctx, requireIin(req), req.body.signedXml),
    );
  };
