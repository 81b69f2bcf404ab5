/**
 * The portal's HTTP API as main uses it. The bearer token lives here only (never in a renderer).
 * Every response is validated; failures become typed codes:
 *   network error / timeout → PORTAL_UNREACHABLE; 401 on an authenticated call → SESSION_EXPIRED;
 *   a portal error body `{ code }` → that code (AUTH_* ...); anything unexpected → PORTAL_ERROR.
 */
import { z } from 'zod';
import {
  ApplicationCard,
  ChallengeResponse,
  ErrorBody,
  FeedResponse,
  JournalPage,
  LoginResponse,
  Me,
  ReferralResult,
  VacanciesResponse,
} from '../protocol/portal-api.ts';
import { AppFailure } from './errors.ts';

/** Error bodies: the portal's `{ code, message }`; only a well-formed code is passed on. */
const PortalErrorBody = ErrorBody.extend({ code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/) });

export type PortalUser = Me;

export interface PortalClientOptions {
  /** The portal's address (settings: the installer's configuration or the policy). */
  baseUrl: () => string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

type Method = 'GET' | 'POST' | 'PUT';

export class PortalClient {
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: PortalClientOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** The origin requests go to now; a session is bound to the one that issued it (AuthService). Not a portal route, so not on the prototype. */
  readonly origin = (): string => new URL(this.options.baseUrl()).origin;

  challenge() {
    return this.request('POST', '/api/auth/challenge', ChallengeResponse, { body: {} });
  }

  login(signedXml: string) {
    return this.request('POST', '/api/auth/login', LoginResponse, { body: { signedXml } });
  }

  me(token: string): Promise<Me> {
    return this.request('GET', '/api/me', Me, { token });
  }

  setEmail(token: string, email: string): Promise<Me> {
    return this.request('PUT', '/api/me/email', Me, { token, body: { email } });
  }

  applications(token: string, page: number, pageSize: number) {
    return this.request('GET', `/api/applications?page=${page}&pageSize=${pageSize}`, JournalPage, { token });
  }

  application(token: string, applicationId: string) {
    return this.request('GET', `/api/applications/${encodeURIComponent(applicationId)}`, ApplicationCard, { token });
  }

  vacancies(token: string, applicationId: string) {
    return this.request('GET', `/api/applications/${encodeURIComponent(applicationId)}/vacancies`, VacanciesResponse, { token });
  }

  /** The idempotency key makes a retried submission (lost answer) safe. */
  submitReferral(token: string, applicationId: string, signedXml: string, idempotencyKey: string) {
    return this.request('POST', `/api/applications/${encodeURIComponent(applicationId)}/referral`, ReferralResult, {
      token,
      body: { signedXml },
      headers: { 'idempotency-key': idempotencyKey },
    });
  }

  /** The newest `limit` entries of the applicant's event feed. */
  feed(token: string, limit: number) {
    return this.request('GET', `/api/feed?limit=${limit}`, FeedResponse, { token });
  }

  async logout(token: string): Promise<void> {
    await this.request('POST', '/api/auth/logout', z.unknown(), { token, body: {} });
  }

  private async request<T extends z.ZodType>(
    method: Method,
    path: string,
    schema: T,
    opts: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<z.output<T>> {
    const url = new URL(path, this.options.baseUrl());
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch {
      throw new AppFailure('PORTAL_UNREACHABLE', `portal ${url.origin} unreachable`);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      if (response.status === 401 && opts.token) throw new AppFailure('SESSION_EXPIRED');
      const body = PortalErrorBody.safeParse(json);
      if (body.success) throw new AppFailure(body.data.code, `portal refused: ${body.data.code}`);
      throw new AppFailure('PORTAL_ERROR', `portal answered HTTP ${response.status}`, { status: String(response.status) });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new AppFailure('PORTAL_ERROR', `unexpected response from ${path}`);
    return parsed.data;
  }
}
