/**
 * The real reference portal in demo mode (SQLite and its demo PKI in a temporary folder) with main's
 * dispatch talking to it, as a user's app would: for tests of main against the real portal.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAppContext } from '../../../main/create-app-context.ts';
import { createDispatch, type Dispatch } from '../../../main/dispatch.ts';
import { loadKeyBackend } from '../../../main/signing-service.ts';
import type { RunningPortal } from '../../../portal/server/start.ts';
import { demoNotificationLog, startDemoPortal, type StartDemoPortalOptions } from '../../../demo/portal/start.ts';
import { DEMO_IDENTITIES } from '../../../demo/pki/identities.ts';
import { demoPkiIndexSchema, type DemoPkiIndex } from '../../../demo/pki/generate.ts';

/** The first individual demo person holds the demo offer (demo/portal/seed.ts). */
export const DEMO_APPLICANT = DEMO_IDENTITIES.find((p) => p.role === 'individual')!;

export interface DemoPortalApp {
  portal: RunningPortal;
  dispatch: Dispatch;
  index: DemoPkiIndex;
  /** The demo keys folder (the app's trust store holds its demo CA). */
  pkiDir: string;
  /** The demo portal's message log (SMS and e-mail texts, one JSON line each, as the outbox delivers them). */
  notificationLog: string;
  /** A demo person's key file of that purpose (default: the demo applicant, who holds the offer). */
  keyFile(purpose: 'AUTH' | 'SIGN', iin?: string): string;
  close(): Promise<void>;
}

export async function startDemoPortalApp(
  options: Omit<StartDemoPortalOptions, 'dataDir'> & { fetch?: typeof fetch } = {},
): Promise<DemoPortalApp> {
  const { fetch: fetchFn, ...portalOptions } = options;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'joldama-portal-app-'));
  const portal = await startDemoPortal({
    port: 0,
    log: false,
    ...portalOptions,
    dataDir: path.join(dir, 'portal'),
  });
  const pkiDir = path.join(dir, 'portal', 'demo-pki');
  const index = demoPkiIndexSchema.parse(JSON.parse(await readFile(path.join(pkiDir, 'index.json'), 'utf8')));
  const context = await createAppContext({
    mode: 'browser',
    version: 'test',
    dataDir: path.join(dir, 'app'),
    policyPath: null,
    // A loopback http portal: accepted in demo mode only.
    demo: true,
    portalUrl: portal.url,
    backend: await loadKeyBackend(),
    demoKeysFolder: pkiDir,
    ...(fetchFn ? { fetch: fetchFn } : {}),
  });
  return {
    portal,
    dispatch: createDispatch(context, { log: { warn: () => {}, error: () => {} } }),
    index,
    pkiDir,
    notificationLog: demoNotificationLog(path.join(dir, 'portal')),
    keyFile(purpose, iin = DEMO_APPLICANT.iin) {
      const key = index.keys.find((k) => k.iin === iin && k.purposes.includes(purpose) && k.role === 'individual');
      if (!key) throw new Error(`no ${purpose} demo key for ${iin}`);
      return path.join(pkiDir, key.file);
    },
    async close() {
      context.cabinetWatch.stop();
      await portal.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
