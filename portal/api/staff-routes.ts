/**
 * Kindergarten staff (legal-entity keys with the kindergarten's BIN): login and logout, who am I,
 * publish a vacancy, list the published vacancies, withdraw one, referrals awaiting arrival,
 * confirm arrival, mark a child as left, record the age groups and move a child between them. Staff sessions open only these routes (session-hook.ts).
 * Queue refusals are typed by the error handler (CATEGORY_NOT_SERVED, VACANCY_NOT_FOUND,
 * VACANCY_TAKEN, VACANCY_ALREADY_WITHDRAWN, REFERRAL_NOT_FOUND, REFERRAL_NOT_ISSUED,
 * CHILD_NOT_ENROLLED_HERE, ...).
 * Every action is written to the audit log with the staff member's IIN and the BIN.
 * The same login serves PMPK commission staff (docs/pmpk.md, Staff); their routes are in pmpk-routes.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody, LoginRequest } from '../../protocol/portal-api.ts';
import {
  ArrivalResponse,
  AwaitingReferralsResponse,
  ChildLeftRequest,
  ChildLeftResponse,
  PublishedVacanciesQuery,
  PublishedVacanciesResponse,
  PublishVacancyRequest,
  PublishVacancyResponse,
  ReferralIdParams,
  StaffLoginResponse,
  StaffMe,
  VacancyIdParams,
  WithdrawVacancyRequest,
  WithdrawVacancyResponse,
  AgeGroupRequest,
  AgeGroupsResponse,
  MoveToGroupRequest,
} from '../../protocol/staff-api.ts';
import { listAgeGroups, saveAgeGroup } from '../queue/age-groups.ts';
import type { PortalContext } from '../server/context.ts';
import { checkStaffLogin } from '../auth/certificate-login.ts';
import {
  createStaffSession,
  endStaffSession,
  isKindergartenStaff,
  type StaffActor,
} from '../auth/staff-sessions.ts';
import { commissionNames } from '../pmpk/commissions.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { STAFF_SESSION_COOKIE, requireAnyStaff, requireStaff } from '../server/session-hook.ts';
import { auditOrganisationLogin, checkedLogin, LOGIN_BODY_LIMIT, LOGIN_ERRORS, sessionRoutes, setSessionCookie, type SessionKind } from './session-routes.ts';
import {
  applicationNumber,
  awaitingReferrals,
  kindergartenName,
  publishedVacancies,
  publishedVacancy,
} from '../repositories/staff.ts';

const STAFF_SESSIONS: SessionKind = { path: '/api/staff', cookie: STAFF_SESSION_COOKIE };

export const staffRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { rateLimit } = ctx;
    const tags = ['staff'];
    const security: Array<Record<string, string[]>> = [{ bearer: [] }, { staffCookie: [] }];
    const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

    async function staffMe(staff: StaffActor): Promise<StaffMe> {
      const person = { iin: staff.iin, fullName: staff.fullName, bin: staff.bin };
      if (!isKindergartenStaff(staff)) {
        const names = await commissionNames(ctx.db, staff.commissionId);
        return { ...person, commissionId: String(staff.commissionId), commissionName: names.kk, commissionNameRu: names.ru };
      }
      return {
        ...person,
        kindergartenId: String(staff.kindergartenId),
        kindergartenName: await kindergartenName(ctx.db, staff.kindergartenId),
      };
    }

    const audit = (
      staff: StaffActor,
      action: string,
      subject: string | null,
      details: Record<string, unknown> = {},
    ) =>
      appendAudit(ctx.db, {
        at: ctx.now(),
        actorIin: staff.iin,
        action,
        subject,
        details: { bin: staff.bin, ...details },
      });

    // The challenge is the applicants' one (POST /api/auth/challenge): same nonces, burnt once.
    app.post(
      '/api/staff/auth/login',
      {
        bodyLimit: LOGIN_BODY_LIMIT,
        config: { rateLimit },
        schema: { tags, body: LoginRequest, response: { 200: StaffLoginResponse, ...LOGIN_ERRORS } },
      },
      async (req, reply) => {
        const now = ctx.now();
        const signer = await checkedLogin(
          req,
          ctx,
          { action: 'staff.login', refused: 'staff certificate login refused', now },
          checkStaffLogin,
          req.body.signedXml,
        );
        const person = { iin: signer.iin, fullName: signer.commonName, bin: signer.bin };
        const staff: StaffActor =
          'kindergartenId' in signer
            ? { ...person, kindergartenId: signer.kindergartenId }
            : { ...person, commissionId: signer.commissionId };
        const session = await createStaffSession(ctx.db, staff, now, ctx.sessionIdleMs);
        await auditOrganisationLogin(ctx, 'staff.login', signer, now);
        setSessionCookie(reply, ctx, STAFF_SESSIONS, session.token);
        return {
          token: session.token,
          expiresAt: session.expiresAt.toISOString(),
          staff: await staffMe(staff),
        };
      },
    );

    sessionRoutes(app, ctx.db, {
      ...STAFF_SESSIONS,
      tags,
      security,
      end: endStaffSession,
      me: StaffMe,
      whoAmI: (req) => staffMe(requireAnyStaff(req)),
    });

    app.post(
      '/api/staff/vacancies',
      {
        schema: {
          tags,
          security,
          body: PublishVacancyRequest,
          response: { 200: PublishVacancyResponse, ...errors },
        },
      },
      async (req) => {
        const staff = requireStaff(req);
        const result = await ctx.queue.publishVacancy({ bin: staff.bin, ...req.body });
        const published = await publishedVacancy(ctx.db, result.vacancyId, result.offeredTo);
        await audit(staff, 'staff.vacancy.publish', published.vacancyId, {
          ...req.body,
          state: published.state,
          offeredTo: published.offeredTo?.applicationNumber ?? null,
        });
        return published;
      },
    );

    app.get(
      '/api/staff/vacancies',
      {
        schema: {
          tags,
          security,
          querystring: PublishedVacanciesQuery,
          response: { 200: PublishedVacanciesResponse, 400: ErrorBody, 401: ErrorBody },
        },
      },
      async (req) => ({
        items: await publishedVacancies(ctx.db, requireStaff(req).kindergartenId, req.query),
      }),
    );

    // Withdrawing an offered place cancels its offer: the applicant is told and keeps the queue place.
    app.post(
      '/api/staff/vacancies/:vacancyId/withdraw',
      {
        schema: {
          tags,
          security,
          params: VacancyIdParams,
          body: WithdrawVacancyRequest,
          response: { 200: WithdrawVacancyResponse, ...errors },
        },
      },
      async (req) => {
        const staff = requireStaff(req);
        const result = await ctx.queue.withdrawVacancy({
          bin: staff.bin,
          vacancyId: Number(req.params.vacancyId),
          reason: req.body.reason,
        });
        const returnedToQueue =
          result.returnedApplicationId === null
            ? null
            : {
                applicationId: String(result.returnedApplicationId),
                applicationNumber: await applicationNumber(ctx.db, result.returnedApplicationId),
              };
        await audit(staff, 'staff.vacancy.withdraw', req.params.vacancyId, {
          reason: req.body.reason,
          previousState: result.previousState,
          returnedToQueue: returnedToQueue?.applicationNumber ?? null,
        });
        return {
          vacancyId: req.params.vacancyId,
          state: 'withdrawn' as const,
          previousState: result.previousState,
          returnedToQueue,
        };
      },
    );

    // #13: the age groups the August moves move children between (docs/domain.md).
    app.get(
      '/api/staff/groups',
      { schema: { tags, security, response: { 200: AgeGroupsResponse, 401: ErrorBody } } },
      async (req) => ({ items: await listAgeGroups(ctx.db, requireStaff(req).kindergartenId) }),
    );

    app.put(
      '/api/staff/groups',
      { schema: { tags, security, body: AgeGroupRequest, response: { 200: AgeGroupsResponse, ...errors } } },
      async (req) => {
        const staff = requireStaff(req);
        const groupId = await saveAgeGroup(ctx.db, staff.kindergartenId, req.body);
        await audit(staff, 'staff.group.save', String(groupId), { ...req.body });
        return { items: await listAgeGroups(ctx.db, staff.kindergartenId) };
      },
    );

    app.post(
      '/api/staff/groups/move',
      // The child's IIN travels in the body, not the URL, so it stays out of access logs.
      { schema: { tags, security, body: MoveToGroupRequest, response: { 200: AgeGroupsResponse, ...errors } } },
      async (req) => {
        const staff = requireStaff(req);
        const { childIin, groupId } = req.body;
        await ctx.queue.moveToGroup({ bin: staff.bin, kindergartenId: staff.kindergartenId, childIin, groupId: Number(groupId) });
        await audit(staff, 'staff.group.move', childIin, { groupId });
        return { items: await listAgeGroups(ctx.db, staff.kindergartenId) };
      },
    );

    app.get(
      '/api/staff/referrals',
      { schema: { tags, security, response: { 200: AwaitingReferralsResponse, 401: ErrorBody } } },
      async (req) => ({ items: await awaitingReferrals(ctx.db, requireStaff(req).kindergartenId) }),
    );

    app.post(
      '/api/staff/referrals/:referralId/arrival',
      { schema: { tags, security, params: ReferralIdParams, response: { 200: ArrivalResponse, ...errors } } },
      async (req) => {
        const staff = requireStaff(req);
        await ctx.queue.confirmArrival({ bin: staff.bin, referralId: Number(req.params.referralId) });
        await audit(staff, 'staff.referral.arrival', req.params.referralId);
        return { referralId: req.params.referralId, state: 'confirmed' as const };
      },
    );

    app.post(
      '/api/staff/children/left',
      // The child's IIN travels in the body, not the URL, so it stays out of access logs.
      { schema: { tags, security, body: ChildLeftRequest, response: { 200: ChildLeftResponse, ...errors } } },
      async (req) => {
        const staff = requireStaff(req);
        await ctx.queue.markChildLeft({ bin: staff.bin, childIin: req.body.childIin });
        await audit(staff, 'staff.child.left', req.body.childIin);
        return { childIin: req.body.childIin, state: 'left' as const };
      },
    );
  };
