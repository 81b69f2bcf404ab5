/**
 * A controllable portal for main's auth tests (session lapse, refusals, an unreachable portal are
 * injected here; the real portal is driven in portal-journey.test.ts): node:http, the real response
 * schemas' shapes, and the login document verified with signing's verifyXml
 * against the demo CA (AUTH purpose, no revocation lookup; the revoked person is refused by IIN).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseLoginXml } from '../../../protocol/signed-documents.ts';
import type { Me } from '../../../protocol/portal-api.ts';
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import { verifyXml } from '../../../signing/xml/verify.ts';
import type { DemoPki } from '../../helpers/demo-pki.ts';

export interface StubPortal {
  url: string;
  requests: string[];
  /** Lapse every session (the next authenticated call gets 401). */
  expireSessions(): void;
  /** IINs refused with AUTH_CERT_REVOKED. */
  revoked: Set<string>;
  /** Challenges name this origin instead of the portal's own (a portal relaying another site's login); null: its own. */
  challengeOrigin(origin: string | null): void;
  close(): Promise<void>;
}

export async function startStubPortal(pki: DemoPki): Promise<StubPortal> {
  const trust = TrustStore.fromCertificates([pki.root], [pki.intermediate]);
  const nonces = new Set<string>();
  const sessions = new Map<string, Me>();
  const emails = new Map<string, string>();
  const requests: string[] = [];
  const revoked = new Set<string>();
  let origin = '';
  let claimedOrigin: string | null = null;

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: http.ServerResponse, status: number, code: string) => send(res, status, { code, message: code });

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, string>) : {};
    const route = `${req.method} ${req.url}`;
    requests.push(route);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const me = bearer ? sessions.get(bearer) : undefined;

    if (route === 'POST /api/auth/challenge') {
      const nonce = randomBytes(32).toString('base64url');
      nonces.add(nonce);
      const issuedAt = new Date();
      return send(res, 200, { nonce, origin: claimedOrigin ?? origin, issuedAt: issuedAt.toISOString(), expiresAt: new Date(issuedAt.getTime() + 300_000).toISOString() });
    }
    if (route === 'POST /api/auth/login') {
      const report = await verifyXml(body.signedXml ?? '', { trust, purpose: 'AUTH', revocation: false });
      if (report.indication !== 'TOTAL_PASSED' || !report.signedXml || !report.signer?.iin) {
        return refuse(res, 401, 'AUTH_SIGNATURE_INVALID');
      }
      const doc = parseLoginXml(report.signedXml);
      if (!nonces.delete(doc.nonce) || doc.origin !== origin) return refuse(res, 401, 'AUTH_CHALLENGE_INVALID');
      const iin = report.signer.iin;
      if (revoked.has(iin)) return refuse(res, 401, 'AUTH_CERT_REVOKED');
      const email = emails.get(iin) ?? null;
      const user: Me = {
        iin,
        fullName: report.signer.commonName,
        email,
        needsEmail: email === null,
        phones: [],
        notifications: { sms: false, email: false, language: 'kk' },
      };
      const token = randomBytes(32).toString('base64url');
      sessions.set(token, user);
      return send(res, 200, { token, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), me: user });
    }
    if (!me || !bearer) return refuse(res, 401, 'AUTH_REQUIRED');
    if (route === 'GET /api/me') return send(res, 200, me);
    if (route === 'PUT /api/me/email') {
      emails.set(me.iin, body.email ?? '');
      const updated = { ...me, email: body.email ?? null, needsEmail: false };
      sessions.set(bearer, updated);
      return send(res, 200, updated);
    }
    if (route === 'POST /api/auth/logout') {
      sessions.delete(bearer);
      return send(res, 200, {});
    }
    return refuse(res, 404, 'NOT_FOUND');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    requests,
    revoked,
    expireSessions: () => sessions.clear(),
    challengeOrigin: (o) => (claimedOrigin = o),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
