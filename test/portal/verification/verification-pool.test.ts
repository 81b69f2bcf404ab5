/**
 * The verification pool: verifyXml in worker threads (the real verify-worker.ts, loaded from the
 * sources through tsx), a bounded queue refused with VERIFICATION_BUSY when full, workers that die
 * replaced, a verifier that cannot start failing clearly; and a portal whose verification is held up
 * in a worker still answering everything else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildLoginXml } from '../../../protocol/signed-documents.ts';
import { Refusal } from '../../../portal/refusal.ts';
import type { VerifierSettings } from '../../../portal/verification/messages.ts';
import { createVerificationPool, verifyWorkerEntry, type VerificationPool } from '../../../portal/verification/verification-pool.ts';
import { getDemoPki, type DemoPki } from '../../helpers/demo-pki.ts';
import { signWith } from '../server/real-signatures.ts';
import { ORIGIN, startTestPortal, type TestPortal } from '../server/helpers.ts';
import { INDIVIDUAL } from '../api/fixtures.ts';

const GATED_WORKER = join(import.meta.dirname, 'gated-worker.ts');

let pki: DemoPki;
beforeAll(async () => {
  pki = await getDemoPki();
});

const pools: VerificationPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});
function pool(...args: Parameters<typeof createVerificationPool>): VerificationPool {
  const p = createVerificationPool(...args);
  pools.push(p);
  return p;
}

function demoSettings(overrides: Partial<VerifierSettings> = {}): VerifierSettings {
  return {
    trust: { production: true, ncaTest: false, extra: [join(pki.dir, pki.index.ca.root), join(pki.dir, pki.index.ca.intermediate)] },
    revocation: { crlFiles: [join(pki.dir, pki.index.ca.crl)] },
    maxBytes: 64 * 1024,
    ...overrides,
  };
}

/** A gated pool: jobs "block" wait until `open()`. */
function gatedPool(options: { size?: number; perWorker?: number; maxWaiting?: number } = {}) {
  const gate = new SharedArrayBuffer(4);
  const p = pool({ settings: { gate } as unknown as VerifierSettings, entry: GATED_WORKER, ...options });
  return {
    pool: p,
    open() {
      const view = new Int32Array(gate);
      Atomics.store(view, 0, 1);
      Atomics.notify(view, 0);
    },
  };
}

const settle = <T>(promise: Promise<T>) => {
  const state: { done: boolean } = { done: false };
  void promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
};

describe('the verification pool, with the real worker', () => {
  it('runs the sources’ worker when there is no build beside it', () => {
    expect(verifyWorkerEntry()).toMatch(/portal\/verification\/verify-worker\.ts$/);
  });

  it('verifies real signatures in its threads: a valid login, a revoked key from the CRL file, a tampered or oversized document', async () => {
    const p = pool({ settings: demoSettings(), size: 2 });
    await p.ready();
    const at = new Date(Date.parse(pki.index.generatedAt) + 60_000);
    const login = buildLoginXml({ nonce: 'n'.repeat(43), origin: ORIGIN, timestamp: at.toISOString() });
    const signed = await signWith(INDIVIDUAL, login);
    const ok = await p.verify(signed, { purpose: 'AUTH', at });
    expect(ok).toMatchObject({ indication: 'TOTAL_PASSED', signer: { iin: pki.key(INDIVIDUAL).iin } });
    expect(ok.signedXml).toContain('<nonce>');

    const revoked = await p.verify(await signWith({ status: 'revoked', role: 'individual', purpose: 'AUTH' }, login), { purpose: 'AUTH', at });
    expect(revoked).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });

    const tampered = await p.verify(signed.replace('<nonce>n', '<nonce>m'), { purpose: 'AUTH', at });
    expect(tampered.indication).toBe('TOTAL_FAILED');

    const oversized = await p.verify(`<a>${'x'.repeat(64 * 1024)}</a>`, { purpose: 'AUTH', at });
    expect(oversized).toMatchObject({ subIndication: 'FORMAT_FAILURE', errors: [expect.stringMatching(/65536-byte limit/)] });
  });

  it.runIf(process.platform === 'linux')('runs its workers below normal priority, the portal’s own thread left as it was', async () => {
    const niceOfThreads = () =>
      new Map(
        readdirSync('/proc/self/task').map((tid) => {
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
          // Fields after the command name (which may hold spaces): state is field 3, nice field 19.
          return [tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const;
        }),
      );
    const before = niceOfThreads();
    const p = pool({ settings: demoSettings(), size: 2 });
    await p.ready();
    const after = niceOfThreads();
    const started = [...after].filter(([tid, nice]) => !before.has(tid) && nice === constants.priority.PRIORITY_BELOW_NORMAL);
    expect(started).toHaveLength(2);
    expect(after.get(String(process.pid))).toBe(before.get(String(process.pid)));
  });

  it('says why when it cannot start (a trust file that is missing)', async () => {
    const p = pool({ settings: demoSettings({ trust: { production: false, ncaTest: false, extra: ['/nonexistent/root.pem'] } }), size: 1 });
    await expect(p.ready()).rejects.toThrow(/could not start: .*nonexistent/);
    await expect(p.verify('<a/>', { purpose: 'AUTH', at: new Date() })).rejects.toThrow(/could not start/);
  });
});

describe('the verification pool’s queue', () => {
  it('refuses with VERIFICATION_BUSY once the waiting jobs fill it, and serves the rest', async () => {
    const { pool: p, open } = gatedPool({ size: 1, perWorker: 1, maxWaiting: 2 });
    const at = new Date();
    const held = [p.verify('block', { purpose: 'AUTH', at }), p.verify('one', { purpose: 'AUTH', at }), p.verify('two', { purpose: 'AUTH', at })];
    const refused = await p.verify('three', { purpose: 'AUTH', at }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Refusal);
    expect(refused).toMatchObject({ code: 'VERIFICATION_BUSY' });
    open();
    expect((await Promise.all(held)).map((r) => r.warnings[0])).toEqual(['block', 'one', 'two']);
  });

  it('a worker that dies fails its job and is replaced', async () => {
    const { pool: p } = gatedPool({ size: 1 });
    await expect(p.verify('die', { purpose: 'AUTH', at: new Date() })).rejects.toThrow(/stopped \(exit 7\)/);
    expect((await p.verify('after', { purpose: 'AUTH', at: new Date() })).warnings).toEqual(['after']);
  });
});

describe('a portal verifying in the pool', () => {
  let portal: TestPortal | undefined;
  afterEach(() => portal?.close());

  it('answers other requests while a signature check holds a worker', async () => {
    const { pool: p, open } = gatedPool({ size: 1, perWorker: 1 });
    portal = await startTestPortal(p.verify);
    const login = portal.app.inject({ method: 'POST', url: '/api/auth/login', payload: { signedXml: 'block' } });
    const state = settle(login);
    // The worker's thread is held; this thread is not: health and the challenge are answered.
    expect((await portal.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await portal.app.inject({ method: 'POST', url: '/api/auth/challenge' })).statusCode).toBe(200);
    expect(state.done).toBe(false);
    open();
    expect((await login).json()).toMatchObject({ code: 'AUTH_BAD_SIGNATURE' }); // the stand-in's report has no signed content
  });

  it('answers VERIFICATION_BUSY as 503, retryable', async () => {
    const { pool: p, open } = gatedPool({ size: 1, perWorker: 1, maxWaiting: 0 });
    let taken: () => void = () => {};
    const firstTaken = new Promise<void>((resolve) => (taken = resolve));
    portal = await startTestPortal((xml, check) => {
      const verifying = p.verify(xml, check);
      taken();
      return verifying;
    });
    const held = portal.app.inject({ method: 'POST', url: '/api/auth/login', payload: { signedXml: 'block' } });
    await firstTaken;
    const busy = await portal.app.inject({ method: 'POST', url: '/api/auth/login', payload: { signedXml: 'next' } });
    expect(busy.statusCode).toBe(503);
    expect(busy.json()).toMatchObject({ code: 'VERIFICATION_BUSY' });
    open();
    expect((await held).json()).toMatchObject({ code: 'AUTH_BAD_SIGNATURE' });
  });
});
