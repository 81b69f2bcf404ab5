/**
 * POST /api/auth/challenge, POST /api/auth/login (signed login document), POST /api/auth/logout.
 * Rate limited per IP.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ChallengeResponse,
  ErrorBody,
  LoginRequest,
  LoginResponse,
  OkResponse,
  PasswordLoginRequest,
  PasswordSetRequest,
  PasswordStartRequest,
  PasswordStartResponse,
} from '../../protocol/portal-api.ts';
import type { FastifyReply } from 'fastify';
import type { Me } from '../../protocol/portal-api.ts';
import { passwordLogin, setPasswordWithCode, startPasswordLogin } from '../auth/password-login.ts';
import type { PortalContext } from '../server/context.ts';
import { issueChallenge } from '../auth/challenges.ts';
import { checkCertificateLogin } from '../auth/certificate-login.ts';
import { createSession, endSession } from '../auth/sessions.ts';
import { getMe, upsertAccountOnLogin } from '../auth/accounts.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { SESSION_COOKIE, sessionToken } from '../server/session-hook.ts';
import { Refusal } from '../refusal.ts';
import { checkedLogin, LOGIN_BODY_LIMIT, LOGIN_ERRORS, setSessionCookie } from './session-routes.ts';

export const authRoutes =
  (ctx: PortalContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { rateLimit } = ctx;

    app.post(
      '/api/auth/challenge',
      { config: { rateLimit }, schema: { tags: ['auth'], response: { 200: ChallengeResponse, 429: ErrorBody } } },
      async () => {
        const issuedAt = ctx.now();
        const { nonce, expiresAt } = await issueChallenge(ctx.db, issuedAt);
        return { nonce, origin: ctx.origin, issuedAt: issuedAt.toISOString(), expiresAt: expiresAt.toISOString() };
      },
    );

    app.post(
      '/api/auth/login',
      {
        bodyLimit: LOGIN_BODY_LIMIT,
        config: { rateLimit },
        schema: { tags: ['auth'], body: LoginRequest, response: { 200: LoginResponse, ...LOGIN_ERRORS } },
      },
      async (req, reply) => {
        const now = ctx.now();
        const signer = await checkedLogin(
          req,
          ctx,
          { action: 'login', refused: 'certificate login refused', now },
          checkCertificateLogin,
          req.body.signedXml,
        );
        const me = await upsertAccountOnLogin(ctx.db, signer.iin, signer.commonName, now);
        await appendAudit(ctx.db, {
          at: now,
          actorIin: signer.iin,
          action: 'login',
          details: { method: 'certificate', certificateSerial: signer.serialNumber, issuer: signer.issuer },
        });
        return issueSession(reply, signer.iin, now, me);
      },
    );

    const passwordErrors = { 400: ErrorBody, 401: ErrorBody, 429: ErrorBody };

    app.post(
      '/api/auth/password/start',
      { config: { rateLimit }, schema: { tags: ['auth'], body: PasswordStartRequest, response: { 200: PasswordStartResponse, ...passwordErrors } } },
      async (req) => startPasswordLogin(ctx.db, req.body.iin, ctx.now()),
    );

    app.post(
      '/api/auth/password/set',
      { config: { rateLimit }, schema: { tags: ['auth'], body: PasswordSetRequest, response: { 200: LoginResponse, ...passwordErrors } } },
      async (req, reply) => {
        const now = ctx.now();
        await setPasswordWithCode(ctx.db, req.body.iin, req.body.code, req.body.password, now);
        await appendAudit(ctx.db, { at: now, actorIin: req.body.iin, action: 'login', details: { method: 'sms_code' } });
        return issueSession(reply, req.body.iin, now);
      },
    );

    app.post(
      '/api/auth/password/login',
      { config: { rateLimit }, schema: { tags: ['auth'], body: PasswordLoginRequest, response: { 200: LoginResponse, ...passwordErrors } } },
      async (req, reply) => {
        const now = ctx.now();
        try {
          await passwordLogin(ctx.db, req.body.iin, req.body.password, now);
        } catch (e) {
          if (e instanceof Refusal) await appendAudit(ctx.db, { at: now, actorIin: null, action: 'login.refused', details: { code: e.code, method: 'password' } });
          throw e;
        }
        await appendAudit(ctx.db, { at: now, actorIin: req.body.iin, action: 'login', details: { method: 'password' } });
        return issueSession(reply, req.body.iin, now);
      },
    );

    /**
     * A new session: the bearer token in the body (desktop) and an HttpOnly SameSite=Strict cookie
     * (browser). `known`: the account as the login just wrote it (saves reading it back). No
     * transaction on purpose: one around the account upsert held its row lock across the other
     * writes, and concurrent logins of one person queued on it (half the logins/s on PostgreSQL).
     */
    async function issueSession(reply: FastifyReply, iin: string, now: Date, known?: Me) {
      const session = await createSession(ctx.db, iin, now, ctx.sessionIdleMs);
      const me = known ?? (await getMe(ctx.db, iin));
      setSessionCookie(reply, ctx, { cookie: SESSION_COOKIE, path: '/' }, session.token);
      if (!me) throw new Error('the account just created or updated is missing');
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), me };
    }

    app.post('/api/auth/logout', { schema: { tags: ['auth'], response: { 200: OkResponse } } }, async (req, reply) => {
      const token = sessionToken(req);
      if (token) await endSession(ctx.db, token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    });
  };
