import { describe, expect, it } from 'vitest';
import { dispositionFilename, MAX_DOCUMENT_BYTES, parseServerTiming, PortalClient } from '../../main/portal-client.ts';

const me = {
  iin: '900101300015',
  fullName: 'ТЕСТОВ ТЕСТ',
  email: null,
  needsEmail: true,
  phones: [],
  notifications: { sms: false, email: false, language: 'kk' },
};

function client(respond: (url: URL, init: RequestInit) => Response | Promise<Response>, timeoutMs = 1000) {
  const seen: { url: string; init: RequestInit }[] = [];
  const fetchFn = (async (input: URL | string, init: RequestInit = {}) => {
    seen.push({ url: String(input), init });
    return respond(new URL(String(input)), init);
  }) as typeof fetch;
  return { seen, portal: new PortalClient({ baseUrl: () => 'https://portal.test/base/', fetch: fetchFn, timeoutMs }) };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('portal client', () => {
  it('sends the bearer token and validates the answer', async () => {
    const { portal, seen } = client(() => json(200, me));
    expect(await portal.me('tok-123')).toEqual(me);
    expect(seen[0]?.url).toBe('https://portal.test/api/me');
    expect((seen[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer tok-123');
    expect(seen[0]?.init.redirect).toBe('error');
  });

  it('passes a portal refusal code through', async () => {
    const { portal } = client(() => json(401, { code: 'AUTH_CERT_REVOKED', message: 'revoked' }));
    await expect(portal.login('<xml/>')).rejects.toMatchObject({ code: 'AUTH_CERT_REVOKED' });
  });

  it('turns 401 on an authenticated call into SESSION_EXPIRED', async () => {
    const { portal } = client(() => json(401, { code: 'AUTH_REQUIRED', message: 'x' }));
    await expect(portal.me('tok')).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
  });

  it('refuses malformed answers and odd error bodies with PORTAL_ERROR', async () => {
    await expect(client(() => json(200, { ...me, iin: 'abc' })).portal.me('t')).rejects.toMatchObject({ code: 'PORTAL_ERROR' });
    await expect(client(() => new Response('<html>', { status: 200 })).portal.challenge()).rejects.toMatchObject({ code: 'PORTAL_ERROR' });
    await expect(client(() => json(500, { code: 'lower-case; <script>', message: '' })).portal.challenge()).rejects.toMatchObject({
      code: 'PORTAL_ERROR',
      details: { status: '500' },
    });
  });

  it('reports network failures and timeouts as PORTAL_UNREACHABLE', async () => {
    await expect(client(() => Promise.reject(new TypeError('fetch failed'))).portal.challenge()).rejects.toMatchObject({
      code: 'PORTAL_UNREACHABLE',
    });
    const slow = client(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
      20,
    );
    await expect(slow.portal.challenge()).rejects.toMatchObject({ code: 'PORTAL_UNREACHABLE' });
  });

  it('downloads a document with its file name (no path parts), refusing one too large', async () => {
    const pdf = (headers: Record<string, string>) => () =>
      new Response(Buffer.from('%PDF-1.7'), { status: 200, headers: { 'content-type': 'application/pdf', ...headers } });
    const named = client(pdf({ 'content-disposition': "attachment; filename=\"a.pdf\"; filename*=UTF-8''..%2F..%2F%D0%B6%D0%BE%D0%BB.pdf" }));
    expect(await named.portal.document('t', '4', '9')).toEqual({ filename: 'жол.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.7') });
    expect(named.seen[0]?.url).toBe('https://portal.test/api/applications/4/documents/9');
    expect((await client(pdf({})).portal.document('t', '4', '9')).filename).toBe('document-9');
    const huge = client(pdf({ 'content-length': String(MAX_DOCUMENT_BYTES + 1) }));
    await expect(huge.portal.document('t', '4', '9')).rejects.toMatchObject({ code: 'PORTAL_ERROR' });
    await expect(client(() => json(404, { code: 'DOCUMENT_NOT_FOUND', message: '' })).portal.document('t', '4', '9')).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
    });
  });

  it('reads Server-Timing and content-disposition defensively', () => {
    expect(parseServerTiming('verify;dur=12.3, pdf;dur=4, junk, x;dur=-1')).toEqual([
      { step: 'verify', ms: 12.3 },
      { step: 'pdf', ms: 4 },
    ]);
    expect(parseServerTiming(null)).toEqual([]);
    expect(dispositionFilename('attachment; filename="..\\evil.xml"', 'd')).toBe('evil.xml');
    expect(dispositionFilename('attachment; filename=".."', 'd')).toBe('d');
    expect(dispositionFilename("attachment; filename*=UTF-8''%E0%A4%A", 'd')).toBe('d');
  });
});
