/**
 * The demo portal (startPortal extended by demo/portal/start.ts) over real HTTP: generates the demo PKI into the data folder, trusts it,
 * answers OCSP for it, and logs a demo key in with revocation checked by OCSP against itself.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPortal } from '../../portal/server/start.ts';
import { startDemoPortal } from '../../demo/portal/start.ts';
import { buildLoginXml } from '../../protocol/signed-documents.ts';
import { fileSigner, openKeyStore, signXml } from '../../signing/index.ts';
import { demoPkiIndexSchema, type DemoPkiIndex } from '../../demo/pki/generate.ts';

describe('startDemoPortal', () => {
  let portal: RunningPortal;
  let dataDir: string;
  let index: DemoPkiIndex;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'joldama-portal-'));
    portal = await startDemoPortal({ port: 0, db: ':memory:', dataDir, log: false });
    index = demoPkiIndexSchema.parse(JSON.parse(readFileSync(join(dataDir, 'demo-pki', 'index.json'), 'utf8')));
  }, 60_000);
  afterAll(async () => {
    await portal?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function login(status: 'valid' | 'revoked'): Promise<{ status: number; body: { code?: string; token?: string } }> {
    const key = index.keys.find((k) => k.status === status && k.role === 'individual' && k.purposes.includes('AUTH'));
    if (!key) throw new Error(`no ${status} AUTH key`);
    const [opened] = await openKeyStore(join(dataDir, 'demo-pki', key.file), index.password);
    if (!opened) throw new Error('empty key store');
    const challenge = (await (await fetch(`${portal.url}/api/auth/challenge`, { method: 'POST' })).json()) as { nonce: string; origin: string };
    const signedXml = await signXml(buildLoginXml({ nonce: challenge.nonce, origin: challenge.origin, timestamp: new Date().toISOString() }), fileSigner(opened));
    const res = await fetch(`${portal.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signedXml }) });
    return { status: res.status, body: (await res.json()) as { code?: string; token?: string } };
  }

  it('is healthy and publishes its OpenAPI document', async () => {
    const health = await fetch(`${portal.url}/health/ready`);
    expect(await health.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    const openapi = (await (await fetch(`${portal.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/applications/{applicationId}/referral', '/api/me']));
  });

  it('logs a demo key in, checking revocation through its own OCSP responder', async () => {
    const ok = await login('valid');
    expect(ok.status).toBe(200);
    expect(ok.body.token).toMatch(/^[\w-]{43}$/);
    const revoked = await login('revoked');
    expect(revoked.body.code).toBe('AUTH_CERT_REVOKED');
  });

  it('seeds demo data: the demo applicant sees their applications after login', async () => {
    const ok = await login('valid');
    const journal = await fetch(`${portal.url}/api/applications`, { headers: { authorization: `Bearer ${ok.body.token}` } });
    expect(journal.status).toBe(200);
    const body = (await journal.json()) as { total: number };
    expect(body.total).toBeGreaterThan(0);
  });

  it('serves the demo CRL', async () => {
    const crl = await fetch(`${portal.url}/crl/demo-ca.crl`);
    expect(crl.headers.get('content-type')).toBe('application/pkix-crl');
    expect(Buffer.from(await crl.arrayBuffer())).toEqual(readFileSync(join(dataDir, 'demo-pki', index.ca.crl)));
  });
});
