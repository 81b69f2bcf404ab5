/**
 * What the logins share: the signed login document checked (a refusal logged and audited), the
 * session cookie each sets (scoped to its own path, so no staff or administrator session reaches
 * another's routes), and, for staff and administrators, the logout and who-am-I routes under
 * that path. Logout ends the session and clears the cookie whether or not
 * the token was live; who-am-I answers from the session the hook resolved.
 */
import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { ErrorBody, OkResponse } from '../../protocol/portal-api.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { LoginCheck } from '../auth/certificate-login.ts';
import type { SignerDetails } from '../../signing/index.ts';
import type { DB } from '../db/schema.ts';
import { Refusal } from '../refusal.ts';
import type { PortalContext } from '../server/context.ts';
import { sessionToken } from '../server/session-hook.ts';

type App = Parameters<FastifyPluginAsyncZod>[0];

export interface SessionKind {
  cookie: string;
  /** The cookie's path; for staff and administrators also their routes' prefix. */
  path: string;
}

/**
 * The signer of a login document, as `check` decides (the AUTH signature verified on the portal's
 * clock); a refusal is logged with `refused` and audited as `{action}.refused` with its code.
 */
export async function checkedLogin<Signer>(
  req: FastifyRequest,
  ctx: PortalContext,
  login: { action: string; refused: string; now: Date },
  check: (signedXml: string, c: LoginCheck) => Promise<Signer>,
  signedXml: string,
): Promise<Signer> {
  const { now } = login;
  try {
    return await check(signedXml, { db: ctx.db, origin: ctx.origin, now, verify: (xml) => ctx.verify(xml, { purpose: 'AUTH', at: now }) });
  } catch (e) {
    if (e instanceof Refusal) {
      req.log.info({ code: e.code }, login.refused);
      await appendAudit(ctx.db, { at: now, actorIin: null, action: `${login.action}.refused`, details: { code: e.code } });
    }
    throw e;
  }
}

/** What a signed login route answers besides its 200: ErrorBody for each refusal status. */
export const LOGIN_ERRORS = { 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 429: ErrorBody, 503: ErrorBody };
/** A signed login document is a few KiB; the body limit of the login routes. */
export const LOGIN_BODY_LIMIT = 64 * 1024;

/** The audit record of a staff or administrator login: the organisation, role and certificate. */
export function auditOrganisationLogin(
  ctx: PortalContext,
  action: 'staff.login' | 'admin.login',
  signer: SignerDetails & { iin: string; bin: string },
  now: Date,
): Promise<void> {
  return appendAudit(ctx.db, {
    at: now,
    actorIin: signer.iin,
    action,
    details: { bin: signer.bin, role: signer.role, certificateSerial: signer.serialNumber, issuer: signer.issuer },
  });
}

/** The session cookie a login sets (the applicant's, staff's or administrator's). */
export function setSessionCookie(reply: FastifyReply, ctx: PortalContext, kind: SessionKind, token: string): void {
  void reply.setCookie(kind.cookie, token, {
    httpOnly: true,
    secure: ctx.secureCookies,
    sameSite: 'strict',
    path: kind.path,
    maxAge: Math.floor(ctx.sessionIdleMs / 1000),
  });
}

/** POST `{path}/auth/logout` and GET `{path}/me`. */
export function sessionRoutes<Me extends z.ZodType>(
  app: App,
  db: Kysely<DB>,
  kind: SessionKind & {
    tags: string[];
    security: Array<Record<string, string[]>>;
    end(db: Kysely<DB>, token: string): Promise<void>;
    me: Me;
    whoAmI(req: FastifyRequest): z.input<Me> | Promise<z.input<Me>>;
  },
): void {
  const { tags, security } = kind;
  app.post(`${kind.path}/auth/logout`, { schema: { tags, response: { 200: OkResponse } } }, async (req, reply) => {
    const token = sessionToken(req, kind.cookie);
    if (token) await kind.end(db, token);
    void reply.clearCookie(kind.cookie, { path: kind.path });
    return { ok: true as const };
  });

  // Typed as a plain FastifySchema: the provider cannot resolve a reply type from a type parameter
  // (`whoAmI`'s type above ties the answer to `me`; the response schema still checks it).
  const meSchema: FastifySchema = { tags, security, response: { 200: kind.me, 401: ErrorBody } };
  app.get(`${kind.path}/me`, { schema: meSchema }, async (req) => kind.whoAmI(req));
}
