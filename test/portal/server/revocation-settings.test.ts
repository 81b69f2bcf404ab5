/**
 * The portal's revocation settings: `--crl` files decide revocation alone (no OCSP asked), and
 * `--no-revocation` checks none; both are announced at start as warnings in the portal's log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLoginXml } from '../../../protocol/signed-documents.ts';
import { CRL_FILES_WARNING, NO_REVOCATION_WARNING, startPortal, type RunningPortal, type StartPortalOptions } from '../../../portal/server/start.ts';
import { getDemoPki } from '../../helpers/demo-pki.ts';
import type { DemoKeyFilter } from '../../helpers/demo-pki.ts';
import { signWith } from './real-signatures.ts';

const VALID: DemoKeyFilter = { status: 'valid', role: 'individual', purpose: 'AUTH' };
const REVOKED: DemoKeyFilter = { status: 'revoked', role: 'individual', purpose: 'AUTH' };

/** A portal trusting the demo CA, whose OCSP is asked at a port where nothing answers; its log's warnings. */
async function start(options: Pick<StartPortalOptions, 'crls' | 'revocation'>) {
  const pki = await getDemoPki();
  const dataDir = await mkdtemp(join(tmpdir(), 'joldama-revocation-'));
  const lines: string[] = [];
  try {
    const portal = await startPortal({
      port: 0,
      db: ':memory:',
      dataDir,
      log: { write: (line) => void lines.push(line) },
      extend: async () => ({ trust: [join(pki.dir, pki.index.ca.root), join(pki.dir, pki.index.ca.intermediate)], ocspUrl: 'http://127.0.0.1:9/ocsp' }),
      ...options,
    });
    const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40).map((l) => l.msg);
    return { portal, warnings, dataDir };
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
}

async function login(portal: RunningPortal, key: DemoKeyFilter): Promise<{ token?: string; code?: string }> {
  const challenge = (await (await fetch(`${portal.url}/api/auth/challenge`, { method: 'POST' })).json()) as { nonce: string; origin: string; issuedAt: string };
  const signedXml = await signWith(key, buildLoginXml({ nonce: challenge.nonce, origin: challenge.origin, timestamp: challenge.issuedAt }));
  const res = await fetch(`${portal.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signedXml }) });
  return (await res.json()) as { token?: string; code?: string };
}

function startedWith(options: Pick<StartPortalOptions, 'crls' | 'revocation'> | (() => Promise<Pick<StartPortalOptions, 'crls'>>)) {
  const state: { portal?: RunningPortal; warnings: string[]; dataDir?: string } = { warnings: [] };
  beforeAll(async () => {
    Object.assign(state, await start(typeof options === 'function' ? await options() : options));
  });
  afterAll(async () => {
    await state.portal?.close();
    if (state.dataDir) await rm(state.dataDir, { recursive: true, force: true });
  });
  return state;
}

describe('--crl', () => {
  const started = startedWith(async () => {
    const pki = await getDemoPki();
    return { crls: [join(pki.dir, pki.index.ca.crl)] };
  });

  it('the CRL files decide, without OCSP; announced at start', async () => {
    expect(started.warnings).toContain(CRL_FILES_WARNING);
    expect(await login(started.portal!, VALID)).toMatchObject({ token: expect.any(String) });
    expect(await login(started.portal!, REVOKED)).toMatchObject({ code: 'AUTH_CERT_REVOKED' });
  });
});

describe('--no-revocation', () => {
  const started = startedWith({ revocation: false });

  it('nothing is checked, and it says so loudly', async () => {
    expect(started.warnings).toContain(NO_REVOCATION_WARNING);
    expect(await login(started.portal!, REVOKED)).toMatchObject({ token: expect.any(String) });
  });
});

describe('revocation settings that cannot work', () => {
  it('refuses a missing CRL file or both settings at once, before listening', async () => {
    await expect(start({ crls: ['/nonexistent/demo.crl'] })).rejects.toThrow(/nonexistent/);
    await expect(start({ crls: ['/nonexistent/demo.crl'], revocation: false })).rejects.toThrow(/contradict/);
  });
});
