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
  DequeueResponse,
  DocumentsResponse,
  ErrorBody,
  FeedResponse,
  HistoryResponse,
  JournalPage,
  JournalStatus,
  LoginResponse,
  Me,
  OffersResponse,
  PortalInfo,
  ReferralResult,
  VacanciesResponse,
  OkResponse,
  PasswordStartResponse,
  ReferralsResponse,
  type NotificationSettings,
} from '../protocol/portal-api.ts';
import {
  PmpkBooking,
  PmpkBookingsResponse,
  PmpkCommissionSchedule,
  PmpkCommissionsResponse,
  PmpkConclusionResponse,
  PmpkSlotsResponse,
  type PmpkBookRequest,
  type PmpkConclusionRequest,
} from '../protocol/pmpk-api.ts';
import { StaffLoginResponse, StaffMe } from '../protocol/staff-api.ts';
import {
  ApplicationSubmitResponse,
  ContactCodeResponse,
  ContactConfirmResponse,
  OrganisationsResponse,
  ProofUploadResponse,
  RegionsResponse,
  ServicesResponse,
  type ContactChannel,
} from '../protocol/application-api.ts';
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
type RequestOptions = { token?: string; body?: unknown; headers?: Record<string, string> };

/** The largest document main downloads (a referral PDF is tens of KiB). */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

export interface DownloadedDocument {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** "verify;dur=12.3, pdf;dur=4" → [{ step: 'verify', ms: 12.3 }, ...]; anything else is skipped. */
export function parseServerTiming(header: string | null): Array<{ step: string; ms: number }> {
  if (!header) return [];
  const out: Array<{ step: string; ms: number }> = [];
  for (const part of header.split(',').slice(0, 8)) {
    const match = /^\s*([a-z][a-z0-9_-]{0,31})\s*;\s*dur=(\d{1,9}(?:\.\d{1,3})?)\s*$/i.exec(part);
    if (match) out.push({ step: match[1] as string, ms: Number(match[2]) });
  }
  return out;
}

/** The file name of a Content-Disposition header (RFC 6266: filename* first), letters kept, path parts dropped. */
export function dispositionFilename(header: string | null, fallback: string): string {
  const star = header ? /filename\*=UTF-8''([^;]+)/i.exec(header) : null;
  const plain = header ? /filename="([^"]+)"/i.exec(header) : null;
  let name: string | undefined;
  try {
    name = star?.[1] ? decodeURIComponent(star[1]) : plain?.[1];
  } catch {
    name = plain?.[1];
  }
  const base = [...((name ?? '').split(/[\\/]/).pop() ?? '')]
    .map((c) => (c.charCodeAt(0) < 0x20 || '<>:"|?*'.includes(c) ? '_' : c))
    .join('')
    .trim()
    .slice(0, 255);
  return base && base !== '.' && base !== '..' ? base : fallback;
}

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

  info() {
    return this.request('GET', '/api/info', PortalInfo, {});
  }

  offers(token: string) {
    return this.request('GET', '/api/offers', OffersResponse, { token });
  }

  history(token: string, applicationId: string) {
    return this.request('GET', `/api/applications/${encodeURIComponent(applicationId)}/history`, HistoryResponse, { token });
  }

  documents(token: string, applicationId: string) {
    return this.request('GET', `/api/applications/${encodeURIComponent(applicationId)}/documents`, DocumentsResponse, { token });
  }

  dequeue(token: string, applicationId: string, reason: string) {
    return this.request('POST', `/api/applications/${encodeURIComponent(applicationId)}/dequeue`, DequeueResponse, {
      token,
      body: { reason },
    });
  }

  /** A document's bytes (PDF, signed XML), at most MAX_DOCUMENT_BYTES. */
  async document(token: string, applicationId: string, documentId: string): Promise<DownloadedDocument> {
    const path = `/api/applications/${encodeURIComponent(applicationId)}/documents/${encodeURIComponent(documentId)}`;
    const response = await this.send('GET', path, { token });
    if (!response.ok) return this.refusal(response, true);
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_DOCUMENT_BYTES) throw new AppFailure('PORTAL_ERROR', 'document too large');
    const bytes = Buffer.from(await response.arrayBuffer().catch(() => {
      throw new AppFailure('PORTAL_UNREACHABLE', 'download interrupted');
    }));
    if (bytes.length > MAX_DOCUMENT_BYTES) throw new AppFailure('PORTAL_ERROR', 'document too large');
    const contentType = (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]?.trim() ?? '';
    return { filename: dispositionFilename(response.headers.get('content-disposition'), `document-${documentId}`), contentType, bytes };
  }

  applications(token: string, page: number, pageSize: number, status?: JournalStatus) {
    const only = status ? `&status=${encodeURIComponent(status)}` : '';
    return this.request('GET', `/api/applications?page=${page}&pageSize=${pageSize}${only}`, JournalPage, { token });
  }

  application(token: string, applicationId: string) {
    return this.request('GET', `/api/applications/${encodeURIComponent(applicationId)}`, ApplicationCard, { token });
  }

  vacancies(token: string, applicationId: string) {
    return this.request('GET', `/api/applications/${encodeURIComponent(applicationId)}/vacancies`, VacanciesResponse, { token });
  }

  /** The idempotency key makes a retried submission (lost answer) safe. The portal's Server-Timing comes back as `timings`. */
  async submitReferral(token: string, applicationId: string, signedXml: string, idempotencyKey: string) {
    let serverTiming: string | null = null;
    const referral = await this.request('POST', `/api/applications/${encodeURIComponent(applicationId)}/referral`, ReferralResult, {
      token,
      body: { signedXml },
      headers: { 'idempotency-key': idempotencyKey },
      onHeaders: (headers) => (serverTiming = headers.get('server-timing')),
    });
    return { referral, timings: parseServerTiming(serverTiming) };
  }

  /** The newest `limit` entries of the applicant's event feed. */
  feed(token: string, limit: number) {
    return this.request('GET', `/api/feed?limit=${limit}`, FeedResponse, { token });
  }

  // PMPK examinations (docs/pmpk.md)
  pmpkCommissions(token: string) {
    return this.request('GET', '/api/pmpk/commissions', PmpkCommissionsResponse, { token });
  }

  pmpkSlots(token: string, commissionId: string) {
    return this.request('GET', `/api/pmpk/commissions/${encodeURIComponent(commissionId)}/slots`, PmpkSlotsResponse, { token });
  }

  pmpkBookings(token: string) {
    return this.request('GET', '/api/pmpk/bookings', PmpkBookingsResponse, { token });
  }

  pmpkBook(token: string, body: PmpkBookRequest) {
    return this.request('POST', '/api/pmpk/bookings', PmpkBooking, { token, body });
  }

  async pmpkCancel(token: string, bookingId: string): Promise<void> {
    await this.request('POST', `/api/pmpk/bookings/${encodeURIComponent(bookingId)}/cancel`, z.unknown(), { token, body: {} });
  }

  // IIN + password login and the cabinet's sections (docs/cabinet.md). Passwords go in the body only.

  passwordStart(iin: string) {
    return this.request('POST', '/api/auth/password/start', PasswordStartResponse, { body: { iin } });
  }

  passwordSet(iin: string, code: string, password: string) {
    return this.request('POST', '/api/auth/password/set', LoginResponse, { body: { iin, code, password } });
  }

  passwordLogin(iin: string, password: string) {
    return this.request('POST', '/api/auth/password/login', LoginResponse, { body: { iin, password } });
  }

  changePassword(token: string, currentPassword: string, newPassword: string) {
    return this.request('POST', '/api/me/password', OkResponse, { token, body: { currentPassword, newPassword } });
  }

  setPhones(token: string, phones: string[]): Promise<Me> {
    return this.request('PUT', '/api/me/phones', Me, { token, body: { phones } });
  }

  setNotifications(token: string, settings: NotificationSettings): Promise<Me> {
    return this.request('PUT', '/api/me/notifications', Me, { token, body: settings });
  }

  feedRead(token: string, upTo: string) {
    return this.request('POST', '/api/feed/read', OkResponse, { token, body: { upTo } });
  }

  referrals(token: string) {
    return this.request('GET', '/api/referrals', ReferralsResponse, { token });
  }

  // --- The application wizard (docs/applications.md) ---

  regions() {
    return this.request('GET', '/api/regions', RegionsResponse, {});
  }

  services(region: string) {
    return this.request('GET', `/api/services?region=${encodeURIComponent(region)}`, ServicesResponse, {});
  }

  organisations(token: string, filter: { language?: string; district?: string }) {
    const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])));
    return this.request('GET', `/api/organisations?${query.toString()}`, OrganisationsResponse, { token });
  }

  sendContactCode(token: string, channel: ContactChannel, target: string) {
    return this.request('POST', '/api/contact-codes', ContactCodeResponse, { token, body: { channel, target } });
  }

  confirmContactCode(token: string, channel: ContactChannel, target: string, code: string) {
    return this.request('POST', '/api/contact-codes/confirm', ContactConfirmResponse, { token, body: { channel, target, code } });
  }

  uploadBenefitProof(token: string, filename: string, content: Buffer) {
    return this.request('POST', '/api/benefit-proofs', ProofUploadResponse, { token, body: { filename, contentBase64: content.toString('base64') } });
  }

  submitApplication(token: string, signedXml: string) {
    return this.request('POST', '/api/applications', ApplicationSubmitResponse, { token, body: { signedXml } });
  }

  async logout(token: string): Promise<void> {
    await this.request('POST', '/api/auth/logout', z.unknown(), { token, body: {} });
  }

  // Staff of a PMPK commission (docs/pmpk.md, Conclusions): the staff login takes the same signed login document.
  staffLogin(signedXml: string) {
    return this.request('POST', '/api/staff/auth/login', StaffLoginResponse, { body: { signedXml } });
  }

  staffMe(token: string) {
    return this.request('GET', '/api/staff/me', StaffMe, { token });
  }

  async staffLogout(token: string): Promise<void> {
    await this.request('POST', '/api/staff/auth/logout', z.unknown(), { token, body: {} });
  }

  commissionSchedule(token: string) {
    return this.request('GET', '/api/staff/pmpk/schedule', PmpkCommissionSchedule, { token });
  }

  recordConclusion(token: string, body: PmpkConclusionRequest) {
    return this.request('POST', '/api/staff/pmpk/conclusions', PmpkConclusionResponse, { token, body });
  }

  private async request<T extends z.ZodType>(
    method: Method,
    path: string,
    schema: T,
    opts: RequestOptions & { onHeaders?: (headers: Headers) => void },
  ): Promise<z.output<T>> {
    const response = await this.send(method, path, opts);
    if (!response.ok) return this.refusal(response, Boolean(opts.token));
    opts.onHeaders?.(response.headers);
    const json: unknown = await response.json().catch(() => undefined);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new AppFailure('PORTAL_ERROR', `unexpected response from ${path}`);
    return parsed.data;
  }

  private async send(method: Method, path: string, opts: RequestOptions): Promise<Response> {
    const url = new URL(path, this.options.baseUrl());
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    try {
      return await this.fetchFn(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch {
      throw new AppFailure('PORTAL_UNREACHABLE', `portal ${url.origin} unreachable`);
    }
  }

  /** A refusal as its typed failure: SESSION_EXPIRED on an authenticated 401, the portal's code, else PORTAL_ERROR. */
  private async refusal(response: Response, authenticated: boolean): Promise<never> {
    if (response.status === 401 && authenticated) throw new AppFailure('SESSION_EXPIRED');
    const json: unknown = await response.json().catch(() => undefined);
    const body = PortalErrorBody.safeParse(json);
    if (body.success) throw new AppFailure(body.data.code, `portal refused: ${body.data.code}`);
    throw new AppFailure('PORTAL_ERROR', `portal answered HTTP ${response.status}`, { status: String(response.status) });
  }
}
