/**
 * Main's HTTPS to the portal verifies certificates whatever NODE_TLS_REJECT_UNAUTHORIZED says: a
 * loopback HTTPS server with a self-signed certificate is refused while the variable is "0"
 * (Node's global fetch goes through), and accepted when its certificate is the one trusted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleServices } from '../../main/create-app-context.ts';
import { portalFetch } from '../../main/portal-fetch.ts';
import { memorySettings } from './helpers/fake-context.ts';

let dir: string;
let server: https.Server;
let url: string;
let cert: Buffer;
const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'joldama-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  cert = readFileSync(path.join(dir, 'cert.pem'));
  server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ nonce: 'n', origin: url, issuedAt: new Date().toISOString(), expiresAt: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
});

afterAll(async () => {
  if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe("main's HTTPS ignores NODE_TLS_REJECT_UNAUTHORIZED", () => {
  it("Node's own fetch would go through (why main does not use it)", async () => {
    expect((await fetch(url, { method: 'POST' })).status).toBe(200);
  });

  it('refuses a certificate no trusted root vouches for, with the variable at "0"', async () => {
    await expect(portalFetch()(url, { method: 'POST' })).rejects.toThrow();
  });

  it('accepts the server whose certificate is the trusted one', async () => {
    expect((await portalFetch({ ca: cert })(url, { method: 'POST' })).status).toBe(200);
  });

  it("is the portal client's fetch: the challenge is refused as PORTAL_UNREACHABLE", async () => {
    const settings = memorySettings({ portalUrl: url });
    const services = assembleServices({ settings, backend: { listKeys: async () => [], openKeyStore: async () => [], fileSigner: () => { throw new Error('x'); }, signXml: () => '', validityStatus: () => 'valid' } });
    await expect(services.portal.challenge()).rejects.toMatchObject({ code: 'PORTAL_UNREACHABLE' });
    services.cabinetWatch.stop();
  });
});
